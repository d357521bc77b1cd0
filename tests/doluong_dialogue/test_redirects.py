import pytest
from django.test import RequestFactory

from doluong_dialogue import redirects


@pytest.mark.parametrize(
    ("candidate", "taken"),
    [
        ("/petitions/?page=2", "/petitions/?page=2"),
        ("/", "/"),
        ("-2+3", None),
        ("notifications", None),
        ("//evil.example/x", None),
        ("https://evil.example/x", None),
        ("/\\evil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_only_a_path_of_this_site_is_a_place_to_go_back_to(candidate, taken):
    request = RequestFactory().get("/")
    assert redirects.local_path(request, candidate) == taken
    response = redirects.back_to(request, candidate, "/fallback/")
    assert response.status_code == 302
    assert response["Location"] == (taken or "/fallback/")

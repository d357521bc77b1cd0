"""A Content-Security-Policy on every kind of page: nothing inline, nothing from elsewhere."""

import pytest
from django.urls import reverse

from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_strict(response):
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_public_pages_carry_the_policy(client):
    for url in ("/", "/accounts/login/", "/healthz", "/no-such-page/"):
        assert_strict(client.get(url))


def test_every_kind_of_working_page_carries_the_policy(client, staff, department):
    petition, assignment = assigned(staff, department)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    for url in (
        "/",
        reverse("petitions:list"),
        reverse("petitions:detail", args=[petition.pk]),
        reverse("petitions:new"),
        reverse("petitions:quick"),
        reverse("petitions:import"),
        reverse("petitions:assignment", args=[assignment.pk]),
        reverse("petitions:acknowledgements"),
        reverse("petitions:acknowledgement_pdf", args=[petition.pk]),
        reverse("petitions:export"),
        reverse("admin:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)

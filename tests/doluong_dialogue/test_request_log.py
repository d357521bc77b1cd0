"""One log line per request ("doluong.request"): the user, method, path, status and time in
ms, and nothing personal beyond the username."""

import logging
import re

import pytest
from django.urls import path, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINE = re.compile(
    r"^user=(?P<user>\S+) method=(?P<method>[A-Z]+) path=(?P<path>\S+) "
    r"status=(?P<status>\d{3}) ms=(?P<ms>\d+\.\d)$"
)


def lines(caplog) -> list[re.Match]:
    records = [record for record in caplog.records if record.name == "doluong.request"]
    return [LINE.match(record.getMessage()) for record in records]


def test_a_signed_in_users_request_is_one_line_with_who_what_and_how_long(client, caplog):
    client.force_login(UserFactory(username="bxd_log", password="s3cret-Passw0rd"))
    caplog.set_level(logging.INFO, logger="doluong.request")
    response = client.get(reverse("petitions:list"), {"q": "Nguyễn Văn Thử"})
    [line] = lines(caplog)
    assert line is not None
    assert line["user"] == "bxd_log"
    assert line["method"] == "GET"
    assert line["path"] == reverse("petitions:list")
    assert line["status"] == str(response.status_code)
    assert float(line["ms"]) > 0


def test_nothing_personal_beyond_the_username_is_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="doluong.request")
    client.post(
        reverse("public:lookup"),
        {"code": "KN-2026-000001"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Secret Browser",
        QUERY_STRING="ten=Nguyen+Van+Thu",
    )
    [line] = lines(caplog)
    assert line["user"] == "-"
    assert line["method"] == "POST"
    message = caplog.records[-1].getMessage()
    for personal in ("203.0.113.7", "Secret Browser", "Nguyen", "KN-2026-000001"):
        assert personal not in message


def test_a_login_is_logged_under_the_user_it_signed_in(client, caplog):
    UserFactory(username="vpdu_log", password="s3cret-Passw0rd")
    caplog.set_level(logging.INFO, logger="doluong.request")
    client.post(reverse("login"), {"username": "vpdu_log", "password": "s3cret-Passw0rd"})
    [line] = lines(caplog)
    assert (line["user"], line["status"]) == ("vpdu_log", "302")
    assert "s3cret" not in caplog.text


def test_a_newline_in_the_path_cannot_forge_a_second_line(client, caplog):
    caplog.set_level(logging.INFO, logger="doluong.request")
    client.get("/nothing%0Auser=admin method=GET path=/ status=200 ms=1.0")
    [line] = lines(caplog)
    assert line is not None and line["status"] == "404"
    assert "\n" not in caplog.records[-1].getMessage()


def boom(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("boom/", boom)]


@pytest.mark.urls(__name__)
def test_a_server_error_is_logged_as_a_warning(client, caplog):
    client.raise_request_exception = False
    caplog.set_level(logging.INFO, logger="doluong.request")
    assert client.get("/boom/").status_code == 500
    [record] = [r for r in caplog.records if r.name == "doluong.request"]
    assert record.levelno == logging.WARNING
    assert "path=/boom/ status=500" in record.getMessage()

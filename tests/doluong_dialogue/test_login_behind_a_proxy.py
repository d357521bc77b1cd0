"""Behind a reverse proxy every request comes from the proxy's address: the client is the
address the proxy appended to X-Forwarded-For, and a named account is not locked for
everyone behind it. A spray across usernames from one address is slowed too."""

import pytest

from doluong_dialogue.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"
PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1


def log_in(client, username, password, *, client_address, forwarded_prefix=""):
    forwarded = f"{forwarded_prefix}{client_address}"
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_the_client_is_the_address_the_proxy_appended(rf, behind_proxy):
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"
    garbage = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) == PROXY


def test_without_a_proxy_the_header_is_ignored(rf, settings):
    settings.BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "198.51.100.7"


def test_a_locked_account_stays_open_to_the_same_user_elsewhere(client, behind_proxy, settings):
    UserFactory(username="bxd", roles=["party_building"])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bxd", "sai", client_address="203.0.113.5")
    locked = log_in(client, "bxd", PASSWORD, client_address="203.0.113.5")
    assert locked.status_code == 429
    # The same account from the office next door, through the same proxy: not locked.
    response = log_in(client, "bxd", PASSWORD, client_address="198.51.100.9")
    assert response.status_code == 302


def test_a_forged_header_does_not_escape_the_lock(client, behind_proxy, settings):
    UserFactory(username="bxd", roles=["party_building"])
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "bxd", "sai", client_address="203.0.113.5", forwarded_prefix=f"10.0.0.{n}, ")
    response = log_in(
        client, "bxd", PASSWORD, client_address="203.0.113.5", forwarded_prefix="10.9.9.9, "
    )
    assert response.status_code == 429


def test_a_spray_across_usernames_locks_the_address(client, behind_proxy, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    UserFactory(username="bxd", roles=["party_building"])
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1):
        response = log_in(client, f"doan-{n}", "sai", client_address="203.0.113.66")
        assert response.status_code == 200  # each username failed once: nothing locked yet
    log_in(client, "doan-cuoi", "sai", client_address="203.0.113.66")
    # Now even a real account with its right password waits, from that address only.
    assert log_in(client, "bxd", PASSWORD, client_address="203.0.113.66").status_code == 429
    assert log_in(client, "bxd", PASSWORD, client_address="198.51.100.9").status_code == 302

"""Repeated failed logins lock the account at that address, on the site's login page and on
the admin's alike (django-axes, AXES_FAILURE_LIMIT), and the page says so in Vietnamese: for
how long, and whom to ask. The right password does not get through while locked."""

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Mùa-lúa-chín-2026"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.fixture
def administrator():
    return User.objects.create_superuser("quantri", "quantri@doluong.example", PASSWORD)


def attempt(client, url: str, password: str):
    return client.post(url, {"username": "quantri", "password": password})


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_failures_below_the_limit_do_not_lock(client, administrator, settings, url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, url, "sai-mat-khau").status_code == 200
    assert attempt(client, url, PASSWORD).status_code == 302


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_the_limit_of_failures_locks_the_login_with_a_clear_vietnamese_message(
    client, administrator, settings, url
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, url, "sai-mat-khau")
    response = attempt(client, url, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập tạm khóa" in page or "tạm khóa" in page
    assert "15 phút" in page
    assert "Văn phòng Đảng ủy" in page  # whom to ask for a forgotten password
    assert '<html lang="vi"' in page
    assert "_auth_user_id" not in client.session


def test_a_lock_on_the_site_holds_on_the_admin_too(client, administrator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, LOGIN_PAGES[0], "sai-mat-khau")
    assert attempt(client, LOGIN_PAGES[1], PASSWORD).status_code == 429


def test_the_lock_ends_after_the_cool_off(client, administrator, settings, clock):
    from datetime import date, timedelta

    clock.set(date(2026, 11, 30), hour=9)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, LOGIN_PAGES[1], "sai-mat-khau")
    assert attempt(client, LOGIN_PAGES[1], PASSWORD).status_code == 429
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    clock.set(date(2026, 11, 30), hour=9 + (minutes // 60) + 1)
    assert attempt(client, LOGIN_PAGES[1], PASSWORD).status_code == 302

"""The password policy (AUTH_PASSWORD_VALIDATORS: length, common, all digits, like the user's
own details) holds on every form that sets a password: the user's own change, the password
an administrator sets in the admin, and a new user added in the admin, each with Vietnamese
messages."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Mùa-lúa-chín-2026"

# A weak password and what the form says of it, in Vietnamese.
WEAK = [
    ("Ab1-x", "Mật khẩu này quá ngắn: phải có ít nhất 8 ký tự."),
    ("password", "Mật khẩu này quá phổ biến."),
    ("48151623421", "Mật khẩu này hoàn toàn là số."),
    ("canbo_kt2026", "Mật khẩu quá giống với Tên đăng nhập."),
]


@pytest.fixture
def officer():
    return UserFactory(username="canbo_kt")


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser("quantri", "quantri@doluong.example", STRONG)
    client.force_login(admin)
    return client


def errors_of(response) -> str:
    assert response.status_code == 200, "the form was accepted"
    return response.content.decode()


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_the_users_own_change_refuses_a_weak_password(client, officer, password, message):
    client.force_login(officer)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "matkhau-thu-nghiem",
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert message in errors_of(response)
    officer.refresh_from_db()
    assert officer.check_password("matkhau-thu-nghiem")


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_the_admins_password_form_refuses_a_weak_password(admin_client, officer, password, message):
    response = admin_client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"password1": password, "password2": password, "usable_password": "true"},
    )
    assert message in errors_of(response)
    officer.refresh_from_db()
    assert officer.check_password("matkhau-thu-nghiem")


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_a_user_added_in_the_admin_needs_a_strong_password(admin_client, password, message):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "canbo_kt",
            "password1": password,
            "password2": password,
            "usable_password": "true",
        },
    )
    assert message in errors_of(response)
    assert not User.objects.filter(username="canbo_kt").exists()


def test_a_strong_password_is_accepted_everywhere(admin_client, officer):
    response = admin_client.post(
        f"/admin/auth/user/{officer.pk}/password/",
        {"password1": STRONG, "password2": STRONG, "usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/accounts/password/",
        {"old_password": STRONG, "new_password1": STRONG + "!", "new_password2": STRONG + "!"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(STRONG + "!")


def test_the_change_form_tells_the_rules_in_vietnamese(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/password/").content.decode()
    assert "Mật khẩu của bạn phải chứa ít nhất 8 ký tự." in page
    assert "Mật khẩu của bạn không được hoàn toàn bằng số." in page


@pytest.mark.parametrize(("password", "message"), WEAK)
def test_changing_ones_own_password_in_the_admin_refuses_a_weak_one(client, password, message):
    client.force_login(User.objects.create_superuser("canbo_kt", "kt@doluong.example", STRONG))
    response = client.post(
        "/admin/password_change/",
        {"old_password": STRONG, "new_password1": password, "new_password2": password},
    )
    assert message in errors_of(response)

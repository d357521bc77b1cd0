import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-thu-nghiem"


@pytest.fixture
def officer():
    return UserFactory(username="canbo", roles=["party_building"])


def test_login_page_is_in_vietnamese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page


def test_a_wrong_password_says_so_in_vietnamese_and_keeps_the_username(client, officer):
    response = client.post("/accounts/login/", {"username": "canbo", "password": "sai-roi"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert 'value="canbo"' in page


def test_repeated_failures_lock_the_login_for_a_while(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "canbo", "password": "sai-roi"})
    # Locked now, even with the right password.
    response = client.post("/accounts/login/", {"username": "canbo", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "tạm khóa" in page
    assert "15 phút" in page
    assert "_auth_user_id" not in client.session


def test_the_right_password_lands_on_the_home_page(client, officer):
    response = client.post(
        "/accounts/login/", {"username": "canbo", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Xin chào" in response.content.decode()


def test_logout_and_password_change_are_in_vietnamese(client, officer):
    client.force_login(officer)
    page = client.get("/accounts/password/").content.decode()
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu cũ" in page
    response = client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": "x", "new_password2": "y"},
    )
    assert "Mật khẩu cũ không chính xác" in response.content.decode()
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"

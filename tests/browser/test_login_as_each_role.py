import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# username: (the role's section, its heading); members of a unit also see the unit's inbox.
HOME_HEADINGS = {
    "bxd": ("party_building", "Ban Xây dựng Đảng"),
    "vpdu": ("party_office", "Văn phòng Đảng ủy"),
    "bithu": ("secretary", "Bí thư Đảng ủy"),
    "ubkt": ("inspection", "Ủy ban Kiểm tra Đảng ủy"),
    "kinhte": ("unit", "Phòng Kinh tế"),
    "vhxh": ("unit", "Phòng Văn hóa - Xã hội"),
    "mttq": ("front", "UB MTTQ và các đoàn thể"),
}


def log_in(page, username: str, password: str = "doluong2026") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_each_demo_account_logs_in_to_its_own_vietnamese_home_page(page, demo_data, screenshot):
    for username, (section, heading) in HOME_HEADINGS.items():
        log_in(page, username)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        expect(page.locator(f'section[data-role="{section}"] h2')).to_contain_text(heading)
        expect(page.locator(".demo-banner")).to_contain_text("hư cấu")
        screenshot(f"home-{username}")
        assert_accessible(page)
        page.get_by_test_id("user-menu").click()
        page.get_by_role("button", name="Đăng xuất").click()
        expect(page).to_have_url(f"{page.url.split('/accounts')[0]}/accounts/login/")


def test_a_wrong_password_is_answered_in_vietnamese(page, demo_data, screenshot):
    page.goto("/accounts/login/")
    assert_accessible(page)
    log_in(page, "bxd", "sai-mat-khau")
    expect(page.locator(".alert-danger, .invalid-feedback, .alert")).to_contain_text(
        "Tên đăng nhập hoặc mật khẩu không đúng"
    )
    expect(page.get_by_label("Tên đăng nhập")).to_have_value("bxd")
    screenshot("login-wrong-password")
    assert_accessible(page)

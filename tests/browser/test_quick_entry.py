"""Quick entry is typed without leaving the keyboard."""

import pytest
from playwright.sync_api import expect

from petitions.models import Petition
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_two_petitions_in_a_row_with_the_keyboard(page, demo_data, screenshot):
    log_in(page, "mttq")
    page.goto("/petitions/quick/")
    assert_accessible(page)
    name = page.locator("#id_petitioner_name")
    name.click()
    page.keyboard.type("Lê Văn Sáu")
    page.keyboard.press("Enter")  # moves on instead of sending a half-filled form
    expect(page.locator("#id_petitioner_phone")).to_be_focused()
    page.locator("#id_summary").fill("Cống thoát nước xóm Yên Lạc bị tắc")
    content = page.locator("#id_content")
    content.click()
    page.keyboard.type("Mỗi trận mưa lớn nước tràn vào nhà dân.")
    expect(page.locator("[data-count-for='id_content']")).to_contain_text("/ 10.000")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận kiến nghị")
    # The page comes back empty, ready for the next one, with the first in the list below.
    expect(page.locator("#id_petitioner_name")).to_have_value("")
    expect(page.get_by_text("Cống thoát nước xóm Yên Lạc bị tắc")).to_be_visible()
    page.locator("#id_petitioner_name").fill("Cử tri xóm Đà Sơn")
    page.locator("#id_is_group").check()
    expect(page.locator("#id_people_count")).to_be_visible()
    page.locator("#id_people_count").fill("15")
    page.locator("#id_summary").fill("Đề nghị lắp đèn đường xóm Đà Sơn")
    page.locator("#id_content").fill("Đoạn đường qua xóm không có đèn chiếu sáng.")
    page.locator("#id_content").press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận kiến nghị")
    screenshot("quick-entry-two-in-a-row")
    assert_accessible(page)
    assert Petition.objects.filter(created_by__username="mttq").count() == 2
    group = Petition.objects.get(petitioner_name="Cử tri xóm Đà Sơn")
    assert (group.is_group, group.people_count) == (True, 15)

"""The Front's list imported, then uploaded again: the preview says so, and the choice for
the repeated rows is made from the keyboard."""

import pytest
from playwright.sync_api import expect

from petitions.models import ImportBatch, Petition
from tests.browser.test_login_as_each_role import log_in
from tests.petitions.import_files import SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload_sample(page) -> None:
    page.goto("/petitions/import/")
    page.locator("#id_file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(page.get_by_test_id("preview-table")).to_be_visible()


def test_a_list_uploaded_again_is_seen_and_its_repeats_skipped_from_the_keyboard(
    page, demo_data, screenshot
):
    log_in(page, "bxd")
    upload_sample(page)
    page.get_by_role("button", name="Nhập 20 kiến nghị").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã nhập 20 kiến nghị")

    upload_sample(page)
    expect(page.get_by_test_id("same-file")).to_contain_text("tạo 20 kiến nghị")
    expect(page.get_by_test_id("repeats-summary")).to_contain_text(
        "20 dòng trùng với kiến nghị đã có"
    )
    screenshot("import-again-preview")
    import_button = page.get_by_role("button", name="Nhập danh sách")
    import_button.focus()
    page.keyboard.press("Enter")  # no choice made yet

    expect(page.get_by_test_id("duplicates-error")).to_contain_text("Hãy chọn cách xử lý")
    group = page.get_by_role("group", name="Các dòng trùng với kiến nghị đã có")
    skip = group.get_by_role("radio", name="Bỏ qua, không nhập các dòng trùng")
    expect(skip).to_be_focused()
    screenshot("import-again-choice-missing")
    page.keyboard.press("ArrowDown")  # merge …
    page.keyboard.press("ArrowUp")  # … and back to skip: the arrows choose
    expect(skip).to_be_checked()
    page.keyboard.press("Tab")  # to "assign now"
    page.keyboard.press("Tab")  # to the import button
    expect(page.get_by_role("button", name="Nhập danh sách")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("skipped-rows")).to_contain_text(
        "20 dòng trong danh sách không được nhập"
    )
    screenshot("import-again-result")
    assert Petition.objects.count() == 20
    assert ImportBatch.objects.filter(status=ImportBatch.Status.IMPORTED).count() == 2

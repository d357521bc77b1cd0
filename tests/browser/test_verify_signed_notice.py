"""A resident checks a signed conclusion notice on the public page, as its QR code sends them:
no login, the code typed loosely, the details and the valid signature shown, their copy
compared with the original; every page passes the accessibility check and the CSP."""

import pytest
from playwright.sync_api import expect

from conclusions import effects, services
from tests.browser.accessibility import assert_accessible
from tests.conclusions.helpers import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_verifies_a_signed_notice(
    page, reference_data, screenshot, staff, office, secretary, clock, department, tmp_path
):
    conclusion = submitted(staff, office, clock, department)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    record = effects.notice_record(conclusion)
    assert record.status == "ready"
    original = tmp_path / "thong-bao.pdf"
    with record.file.open("rb") as stored:
        original.write_bytes(stored.read())

    page.goto("/xac-thuc/")
    screenshot("verify-lookup")
    assert_accessible(page)
    page.locator("input[name=code]").fill(record.verification_code.lower())
    page.locator("form button[type=submit]").click()
    expect(page.get_by_test_id("signature-status")).to_contain_text("Chữ ký số hợp lệ")
    expect(page.get_by_test_id("signed-document")).to_contain_text("Số 01-TB/ĐU")
    screenshot("verify-document")
    assert_accessible(page)

    page.locator("input[type=file]").set_input_files(str(original))
    page.get_by_test_id("compare").locator("button[type=submit]").click()
    expect(page.get_by_test_id("comparison")).to_have_class("alert alert-success")
    screenshot("verify-original")
    assert_accessible(page)

    page.goto("/xac-thuc/7KQ2-M9XD-4V/")
    expect(page.get_by_test_id("unknown-code")).to_be_visible()
    screenshot("verify-unknown")
    assert_accessible(page)

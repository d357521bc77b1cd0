"""A petition from the Front to its outcome, through the pages each role uses."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from doluong_dialogue import workdays
from petitions.models import Petition
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sunday_ahead() -> str:
    today = timezone.localdate()
    return f"{today + timedelta(days=13 - today.weekday()):%d/%m/%Y}"


def working_day_ahead() -> str:
    return f"{workdays.add_working_days(timezone.localdate(), 7):%d/%m/%Y}"


def log_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()


def test_from_the_front_to_the_outcome(page, demo_data, screenshot):
    # 1. The Front submits what a resident raised.
    log_in(page, "mttq")
    page.goto("/petitions/new/")
    page.get_by_label("Tóm tắt nội dung").fill("Đường liên xóm Yên Thịnh xuống cấp, nhiều ổ gà")
    page.get_by_label("Nội dung đầy đủ").fill(
        "Đoạn đường từ ngã ba chợ đến nhà văn hóa xóm Yên Thịnh xuống cấp nghiêm trọng,\n"
        "mùa mưa ngập nước, học sinh đi lại khó khăn. Đề nghị xã sớm sửa chữa."
    )
    page.get_by_label("Họ tên người kiến nghị").fill("Nguyễn Văn Thưởng")
    page.get_by_label("Địa chỉ").fill("Xóm Yên Thịnh")
    page.get_by_label("Xóm, khối").select_option(label="Xóm Yên Thịnh")
    screenshot("journey-1-front-submits")
    assert_accessible(page)
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận kiến nghị KN-2026-")
    code = page.get_by_test_id("petition-code").inner_text()
    petition = Petition.objects.get(code=code)
    assert petition.submitted_by_department.name == "Ủy ban MTTQ Việt Nam xã"
    screenshot("journey-2-received")
    assert_accessible(page)
    log_out(page)

    # 2. Party Building classifies it and assigns it to Phòng Kinh tế.
    log_in(page, "bxd")
    page.goto(f"/petitions/{petition.pk}/")
    page.get_by_role("link", name="Phân loại", exact=True).click()
    page.get_by_label("Lĩnh vực").select_option(label="Giao thông, thủy lợi, điện, nước")
    page.get_by_label("Bức xúc, nổi cộm").check()
    screenshot("journey-3-classify")
    assert_accessible(page)
    page.get_by_role("button", name="Lưu và giao").click()
    lead = page.get_by_label("Cơ quan chủ trì")
    # A unit with no member is shown, marked, and cannot be chosen.
    expect(
        lead.locator("option", has_text="Hội Cựu chiến binh (chưa có thành viên)")
    ).to_be_disabled()
    lead.select_option(label="Phòng Kinh tế")
    # Typing a deadline says how many working days it gives, and warns on a day off.
    deadline = page.get_by_label("Thời hạn")
    deadline.fill(sunday_ahead())
    expect(page.locator(".deadline-hint")).to_contain_text("là ngày nghỉ (Chủ nhật)")
    page.locator(".deadline-hint").scroll_into_view_if_needed()
    screenshot("journey-4a-deadline-on-a-day-off")
    assert_accessible(page)
    deadline.fill(working_day_ahead())
    expect(page.locator(".deadline-hint")).to_contain_text("ngày làm việc kể từ hôm nay")
    deadline.fill("")
    page.get_by_label("Nội dung chỉ đạo").fill("Khảo sát hiện trạng, báo cáo phương án sửa chữa.")
    screenshot("journey-4-assign")
    assert_accessible(page)
    page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã giao Phòng Kinh tế")
    log_out(page)

    # 3. Phòng Kinh tế finds it in its inbox and answers.
    log_in(page, "kinhte")
    page.goto("/petitions/inbox/")
    expect(page.get_by_text(code)).to_be_visible()
    screenshot("journey-5-inbox")
    assert_accessible(page)
    page.get_by_role("link", name=code).click()
    expect(page).to_have_url(re.compile(r"/petitions/assignments/\d+/$"))
    page.locator("#id_text").fill(
        "Phòng Kinh tế đã khảo sát ngày 26/11. UBND xã bố trí kinh phí sửa chữa, "
        "thi công xong trước ngày 31/12/2026."
    )
    screenshot("journey-6-answer")
    assert_accessible(page)
    page.get_by_role("button", name="Gửi nội dung trả lời").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi nội dung trả lời")
    log_out(page)

    # 4. Party Building accepts the answer and records the outcome.
    log_in(page, "bxd")
    page.goto(f"/petitions/{petition.pk}/")
    page.get_by_role("link", name="Xem xét nội dung trả lời").click()
    assert_accessible(page)
    page.get_by_label("Chấp nhận nội dung trả lời").check()
    page.get_by_role("button", name="Lưu quyết định").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã chấp nhận")
    page.get_by_role("link", name="Ghi nhận kết quả").click()
    page.get_by_label("Sẽ giải quyết").check()
    page.get_by_label("Thời hạn giải quyết xong").fill("31/12/2026")
    screenshot("journey-7-outcome")
    assert_accessible(page)
    page.get_by_role("button", name="Ghi nhận kết quả").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("Sẽ giải quyết")
    expect(page.get_by_test_id("outcome")).to_contain_text("31/12/2026")
    timeline = page.get_by_test_id("timeline")
    for step in ("Đã tiếp nhận", "Đã phân loại", "Đã giao", "Đã trả lời", "Đã kết thúc"):
        expect(timeline).to_contain_text(step)
    screenshot("journey-8-closed")
    assert_accessible(page)

    petition.refresh_from_db()
    assert (petition.status, petition.outcome) == ("closed", "scheduled")
    assert petition.assignments.get().done_on_time is True

"""Oversight in the browser: the Inspection Committee opens the overdue register, drills into
a unit and proposes its review; the Secretary sees the proposal and takes it into
consideration; Phòng Kinh tế finds its reminder in the bell and opens the item from there;
the Party Office issues an urging letter about it. Every page passes the accessibility check."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from conclusions import reminders
from conclusions.models import ReviewFlag, UrgingLetter
from petitions.models import Assignment, Department, PetitionEvent
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out
from tests.petitions.helpers import assigned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = date(2026, 12, 7)


def test_from_the_register_to_the_urging_letter(page, demo_data, screenshot, clock):
    from django.contrib.auth.models import User

    clock.set(date(2026, 11, 2))
    staff = User.objects.get(username="bxd")
    economy = Department.objects.get(name="Phòng Kinh tế")
    _petition, late = assigned(staff, economy, summary="Cống thoát nước xóm Yên Thịnh bị tắc")
    Assignment.objects.filter(pk=late.pk).update(deadline=date(2026, 11, 18))  # 12 days late
    clock.set(MONDAY, hour=7)
    reminders.reminders_send(on=MONDAY)
    clock.set(MONDAY, hour=9)

    # 1. The Inspection Committee: the register, the unit's items, a proposal of review.
    log_in(page, "ubkt")
    expect(page.get_by_test_id("register-summary")).to_contain_text("Phòng Kinh tế")
    page.get_by_role("link", name="Mở trang giám sát").click()
    row = page.locator(f'tr[data-unit="{economy.pk}"]')
    expect(row).to_be_visible()
    screenshot("oversight-1-register")
    assert_accessible(page)
    row.locator('a[href*="bucket=10%2B"]').click()
    expect(page.get_by_test_id("result-count")).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("overdue-items")).to_contain_text(late.petition.code)
    page.get_by_role("link", name="Đề nghị kiểm điểm đơn vị này").click()
    page.get_by_role("button", name="Gửi đề nghị đến đồng chí Bí thư").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Hãy nêu lý do")
    page.get_by_label("Lý do").fill("Chậm trả lời kiến nghị quá 10 ngày làm việc, không báo cáo.")
    page.get_by_label(f"{late.petition.code}", exact=False).check()
    screenshot("oversight-2-proposal")
    assert_accessible(page)
    # With a long name and a count in the bell, the navigation bar still fits the window.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Gửi đề nghị đến đồng chí Bí thư").click()
    expect(page.locator(".alert-success")).to_be_visible()
    flag = ReviewFlag.objects.get()
    assert list(flag.assignments.all()) == [Assignment.objects.get(pk=late.pk)]
    log_out(page)

    # 2. The Secretary finds it on the home page and takes it into consideration.
    log_in(page, "bithu")
    expect(page.get_by_test_id("tile-flags")).to_contain_text("1")
    page.get_by_test_id("tile-flags").click()
    page.get_by_role("link", name="Phòng Kinh tế").first.click()
    expect(page.get_by_test_id("flag-evidence")).to_contain_text(late.petition.code)
    page.get_by_label("Ý kiến, kết luận của Thường trực Đảng ủy").fill(
        "Giao Văn phòng Đảng ủy mời Phòng Kinh tế làm việc."
    )
    page.get_by_role("button", name="Đưa vào xem xét").click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("oversight-3-considered")
    assert_accessible(page)
    flag.refresh_from_db()
    assert flag.status == ReviewFlag.Status.CONSIDERED
    log_out(page)

    # 3. Phòng Kinh tế: the bell has its reminder; it opens the item.
    log_in(page, "kinhte")
    expect(page.get_by_test_id("bell-count")).to_be_visible()
    page.get_by_test_id("bell").click()
    expect(page.get_by_test_id("notification").first).to_contain_text("Quá hạn")
    screenshot("oversight-4-bell")
    assert_accessible(page)
    page.get_by_test_id("notification").filter(has_text=late.petition.code).first.click()
    expect(page).to_have_url(re.compile(rf"/petitions/assignments/{late.pk}/$"))
    log_out(page)

    # 4. The Party Office sends an urging letter from the unit's overdue items.
    log_in(page, "vpdu")
    page.goto(f"/conclusions/oversight/items/?kind=assignment&unit={economy.pk}")
    page.get_by_role("button", name="Soạn công văn đôn đốc").first.click()
    expect(page.get_by_test_id("letter-form")).to_be_visible()
    page.get_by_role("button", name="Ban hành công văn").click()
    expect(page.locator(".alert-success")).to_contain_text("01-CV/ĐU")
    page.reload()
    screenshot("oversight-5-letter")
    assert_accessible(page)
    letter = UrgingLetter.objects.get()
    assert letter.number == 1
    assert late.petition.events.filter(kind=PetitionEvent.Kind.URGED).exists()

"""Whoever is a member of a unit answers for it from the inbox: a department's officer, the
Front's officer and the Party Office's officer alike. The inbox reads on a phone too."""

import pytest
from playwright.sync_api import expect

from petitions import services
from petitions.models import Assignment, Department, Petition, Topic
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = {
    "kinhte": "Phòng Kinh tế",
    "mttq": "Ủy ban MTTQ Việt Nam xã",
    "vpdu": "Văn phòng Đảng ủy",
}


def assign_to(unit_name: str, summary: str) -> Assignment:
    from django.contrib.auth.models import User

    staff = User.objects.get(username="bxd")
    petition = services.petition_receive(
        data=services.PetitionData(
            summary=summary,
            content=f"{summary}. Đề nghị đơn vị xem xét, trả lời người kiến nghị.",
            petitioner_name="Trần Thị Lài",
            petitioner_address="Xóm Yên Lạc",
            channel=Petition.Channel.FRONT,
            received_on=services.today(),
            topic=Topic.objects.get(name="Hoạt động của các tổ chức trong hệ thống chính trị"),
        ),
        actor=staff,
    )
    return services.petition_assign(
        petition=petition, actor=staff, department=Department.objects.get(name=unit_name)
    )


def test_a_member_of_each_kind_of_unit_answers_from_the_inbox(page, demo_data, screenshot):
    assignments = {
        username: assign_to(unit, f"Kiến nghị giao {unit} trả lời")
        for username, unit in UNITS.items()
    }
    for username, assignment in assignments.items():
        code = assignment.petition.code
        log_in(page, username)
        page.get_by_role("link", name="Việc được giao").click()
        row = page.locator(f'tr[data-code="{code}"]')
        expect(row).to_be_visible()
        screenshot(f"units-{username}-inbox")
        assert_accessible(page)
        row.get_by_role("link", name=code).click()
        page.locator("#id_text").fill(
            f"{UNITS[username]} đã làm việc với người kiến nghị và giải thích rõ."
        )
        screenshot(f"units-{username}-answer")
        assert_accessible(page)
        page.get_by_role("button", name="Gửi nội dung trả lời").click()
        expect(page.locator(".alert-success")).to_contain_text("Đã gửi nội dung trả lời")
        assignment.refresh_from_db()
        assert assignment.status == Assignment.Status.ANSWERED
        log_out(page)


def test_the_inbox_on_a_phone_shows_each_deadline(browser, live_server, demo_data, screenshot):
    assignment = assign_to("Phòng Kinh tế", "Đèn chiếu sáng đường trục xóm hỏng")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    phone = context.new_page()
    log_in(phone, "kinhte")
    phone.goto("/petitions/inbox/")
    card = phone.locator(f'tr[data-code="{assignment.petition.code}"]')
    deadline = card.get_by_test_id("deadline-cell")
    expect(deadline).to_be_visible()
    expect(deadline).to_contain_text(f"{assignment.deadline:%d/%m/%Y}")
    # Nothing runs off the side of the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    phone.screenshot(path=str(_path("units-inbox-phone")), full_page=True)
    context.close()


def _path(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"

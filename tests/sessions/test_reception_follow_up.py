"""The register's lines on the reception day's page show every column of Mẫu 03, and the
office writes the "follow-up of the result" of a line later; a line whose petition has an
outcome shows it when no follow-up was typed."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html

from petitions.models import Petition
from sessions import reception
from sessions.models import ReceptionVisit
from tests.sessions.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(clock, office):
    clock.set(TODAY)
    return reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=office
    )


def visit(day, actor, **fields):
    data = {
        "visitor_name": "Nguyễn Văn Bình",
        "content": "Khiếu nại việc thu hồi đất",
        "kind": ReceptionVisit.Kind.COMPLAINT,
        "handled_before_by": "UBND xã (năm 2025)",
        **fields,
    }
    return reception.reception_visit_record(day=day, data=reception.VisitData(**data), actor=actor)


def cells(client, day, testid) -> list[str]:
    page = html.fromstring(client.get(reverse("sessions:reception_day", args=[day.pk])).content)
    return [
        " ".join(cell.xpath("./text()|./span/text()")).strip()
        for cell in page.xpath(f'//td[@data-testid="{testid}"]')
    ]


def test_the_day_shows_prior_handling_remit_and_follow_up(client, day, office):
    visit(day, office, follow_up="Đã hướng dẫn gửi đơn")
    client.force_login(office)
    with translation.override("en"):
        assert cells(client, day, "visit-handled-before") == ["UBND xã (năm 2025)"]
        assert cells(client, day, "visit-remit") == ["No"]
        assert cells(client, day, "visit-follow-up") == ["Đã hướng dẫn gửi đơn"]


def test_the_office_writes_the_follow_up_later_and_nothing_else_changes(day, office):
    line = visit(day, office)
    before = ReceptionVisit.objects.values().get(pk=line.pk)
    reception.reception_visit_follow_up(
        visit=line, follow_up="  UBND xã đã trả lời ngày 10/12/2026 ", actor=office
    )
    after = ReceptionVisit.objects.values().get(pk=line.pk)
    assert after.pop("follow_up") == "UBND xã đã trả lời ngày 10/12/2026"
    before.pop("follow_up")
    assert after == before


@pytest.mark.parametrize("who", ["office", "staff", "secretary"])
def test_the_reception_staff_write_it_from_the_days_page(client, day, office, request, who):
    line = visit(day, office)
    client.force_login(request.getfixturevalue(who))
    url = reverse("sessions:reception_follow_up", args=[line.pk])
    response = client.post(url, {"follow_up": "Đã chuyển Chủ tịch UBND xã"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#visit-{line.pk}")
    line.refresh_from_db()
    assert line.follow_up == "Đã chuyển Chủ tịch UBND xã"


@pytest.mark.parametrize(("who", "status"), [("inspector", 403), ("dept_user", 404)])
def test_others_do_not(client, day, office, request, who, status):
    line = visit(day, office)
    client.force_login(request.getfixturevalue(who))
    url = reverse("sessions:reception_follow_up", args=[line.pk])
    assert client.post(url, {"follow_up": "x"}).status_code == status
    line.refresh_from_db()
    assert line.follow_up == ""


def test_only_the_reception_staff_see_the_follow_up_form(client, day, office, inspector):
    visit(day, office)
    url = reverse("sessions:reception_day", args=[day.pk])
    client.force_login(office)
    assert b'data-testid="follow-up-form"' in client.get(url).content
    client.force_login(inspector)
    assert b'data-testid="follow-up-form"' not in client.get(url).content


def test_the_petitions_outcome_is_the_follow_up_when_none_is_typed(client, day, office):
    typed = visit(day, office, kind=ReceptionVisit.Kind.PROPOSAL, follow_up="Ghi tay")
    untyped = visit(day, office, kind=ReceptionVisit.Kind.PROPOSAL)
    Petition.objects.filter(pk__in=[typed.petition_id, untyped.petition_id]).update(
        status=Petition.Status.CLOSED,
        outcome=Petition.Outcome.RESOLVED,
        outcome_note="Đã lắp đèn",
    )
    client.force_login(office)
    with translation.override("en"):
        assert cells(client, day, "visit-follow-up") == ["Ghi tay", "Resolved: Đã lắp đèn"]


def test_an_open_petition_gives_no_follow_up(client, day, office):
    visit(day, office, kind=ReceptionVisit.Kind.PROPOSAL)
    client.force_login(office)
    assert cells(client, day, "visit-follow-up") == ["—"]

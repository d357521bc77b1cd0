"""Reception days cancelled with a reason, held or not, and counted month by month against the
minimum of Quy định 11-QĐi/TW (Kết luận 215-KL/TW): this month by the days scheduled, the past
months of the year by the days held; the home warning's figures equal the lists they open."""

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html

from doluong_dialogue.rules import RuleError
from sessions import reception
from sessions.models import ReceptionDay, ReceptionVisit
from tests.conclusions.figures import figures_of, list_length

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)


def schedule(actor, held_on, **fields) -> ReceptionDay:
    return reception.reception_day_schedule(
        held_on=held_on, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=actor, **fields
    )


def record(day, actor) -> ReceptionVisit:
    return reception.reception_visit_record(
        day=day,
        data=reception.VisitData(
            visitor_name="Lê Văn Cường",
            content="Phản ánh đèn đường xóm Đông Hồ hỏng",
            kind=ReceptionVisit.Kind.FEEDBACK,
        ),
        actor=actor,
    )


@pytest.fixture
def year_so_far(clock, office):
    """October: two days, one with a visit, one marked held (nobody came); September: two
    days, one cancelled; November (this month): one day."""
    clock.set(date(2026, 9, 1))
    september = [schedule(office, date(2026, 9, 10)), schedule(office, date(2026, 9, 24))]
    october = [schedule(office, date(2026, 10, 8)), schedule(office, date(2026, 10, 22))]
    ad_hoc = schedule(
        office,
        date(2026, 10, 15),
        ad_hoc=True,
        ad_hoc_reason=ReceptionDay.Reason.MANY_PEOPLE,
    )
    november = schedule(office, date(2026, 11, 26))
    clock.set(date(2026, 9, 10))
    record(september[0], office)
    reception.reception_day_cancel(day=september[1], reason="Bí thư đi công tác", actor=office)
    clock.set(date(2026, 10, 8))
    record(october[0], office)
    clock.set(date(2026, 10, 22))
    reception.reception_day_mark_held(day=october[1], actor=office)
    clock.set(TODAY)
    return {"september": september, "october": october, "ad_hoc": ad_hoc, "november": november}


def test_a_day_is_cancelled_with_its_reason_and_leaves_the_public_schedule(client, clock, office):
    clock.set(TODAY)
    day = schedule(office, date(2026, 12, 3))
    with translation.override("en"), pytest.raises(RuleError, match="Say why") as refused:
        reception.reception_day_cancel(day=day, reason="  ", actor=office)
    assert refused.value.field == "cancel_reason"
    reception.reception_day_cancel(day=day, reason="Trùng hội nghị Ban Chấp hành", actor=office)
    day.refresh_from_db()
    assert day.cancelled and day.cancel_reason == "Trùng hội nghị Ban Chấp hành"
    assert day.cancelled_by == office and day.cancelled_at
    assert "03/12/2026" not in client.get("/lich-tiep-dan/").content.decode()
    with pytest.raises(RuleError):
        record(day, office)


def test_a_day_with_visits_recorded_cannot_be_cancelled(clock, office):
    clock.set(TODAY)
    day = schedule(office, TODAY)
    record(day, office)
    with translation.override("en"), pytest.raises(RuleError, match="cannot be cancelled"):
        reception.reception_day_cancel(day=day, reason="Nhầm", actor=office)
    assert not ReceptionDay.objects.get(pk=day.pk).cancelled


def test_a_coming_day_cannot_be_marked_held(clock, office):
    clock.set(TODAY)
    day = schedule(office, date(2026, 12, 3))
    with pytest.raises(RuleError):
        reception.reception_day_mark_held(day=day, actor=office)


def test_months_count_scheduled_and_held_days_against_the_minimum(year_so_far):
    months = {row.month: row for row in reception.months_of_year(2026, on=TODAY)}
    september, october, november = months[9], months[10], months[11]
    assert (september.scheduled, september.held, september.ad_hoc) == (1, 1, 0)
    assert (october.scheduled, october.held, october.ad_hoc) == (2, 2, 1)
    assert (november.scheduled, november.held, november.state) == (1, 0, "current")
    assert september.short and not october.short and november.short
    assert months[12].state == "coming" and not months[12].short
    # January to August had no day: short too, as past months.
    assert [row.month for row in reception.month_shortfalls(on=TODAY)] == [
        *range(1, 10),
        11,
    ]


def test_a_past_day_neither_visited_nor_marked_is_not_held(clock, office):
    clock.set(date(2026, 10, 1))
    schedule(office, date(2026, 10, 8))
    schedule(office, date(2026, 10, 22))
    months = {row.month: row for row in reception.months_of_year(2026, on=TODAY)}
    assert (months[10].scheduled, months[10].held, months[10].short) == (2, 0, True)


def test_the_office_cancels_from_the_day_page_and_bad_input_is_said_in_vietnamese(
    client, clock, office, inspector
):
    clock.set(TODAY)
    day = schedule(office, date(2026, 12, 3))
    url = reverse("sessions:reception_day_cancel", args=[day.pk])
    client.force_login(inspector)
    assert client.post(url, {"cancel_reason": "x"}).status_code == 403
    client.force_login(office)
    response = client.post(url, {"cancel_reason": ""})
    assert response.status_code == 200
    (message,) = response.context["cancel_form"].errors["cancel_reason"]
    assert message in response.content.decode()
    assert not ReceptionDay.objects.get(pk=day.pk).cancelled
    response = client.post(url, {"cancel_reason": "Bí thư đi công tác"})
    assert response.status_code == 302
    page = client.get(reverse("sessions:reception_day", args=[day.pk])).content.decode()
    assert "Bí thư đi công tác" in page and 'data-testid="visit-form"' not in page


def test_the_office_marks_a_day_held_when_nobody_came(client, clock, office):
    clock.set(date(2026, 11, 1))
    day = schedule(office, date(2026, 11, 5))
    clock.set(TODAY)
    client.force_login(office)
    response = client.post(reverse("sessions:reception_day_held", args=[day.pk]))
    assert response.status_code == 302
    assert ReceptionDay.objects.get(pk=day.pk).marked_held


def test_the_schedule_page_shows_each_month_scheduled_held_and_required(
    client, year_so_far, secretary
):
    client.force_login(secretary)
    response = client.get(reverse("sessions:reception"))
    months = {row.month: row for row in response.context["months"]}
    assert (months[10].scheduled, months[10].held, months[10].required) == (2, 2, 2)
    page = response.content.decode()
    assert 'data-testid="reception-months"' in page
    listed = client.get(
        reverse("sessions:reception"), {"year": 2026, "month": 9, "show": "cancelled"}
    )
    assert list_length(listed.content.decode()) == 1
    assert "Bí thư đi công tác" in listed.content.decode()


@pytest.mark.parametrize("username", ["secretary", "office"])
def test_every_home_reception_figure_equals_the_list_it_opens(
    client, year_so_far, request, username
):
    client.force_login(request.getfixturevalue(username))
    home = client.get("/").content.decode()
    figures = [(href, value) for href, value in figures_of(home) if "/tiep-dan/" in href]
    # January to September (held) and November (scheduled): October is not short.
    assert len(figures) == 10
    assert ("/sessions/tiep-dan/?year=2026&month=9&show=held", 1) in figures
    assert ("/sessions/tiep-dan/?year=2026&month=11&show=scheduled", 1) in figures
    for href, value in figures:
        assert list_length(client.get(href).content.decode()) == value, href


def test_units_do_not_see_the_warning(client, year_so_far, dept_user, inspector):
    for user in (dept_user, inspector):
        client.force_login(user)
        assert 'data-testid="reception-shortfall"' not in client.get("/").content.decode()


def test_the_days_of_the_year_are_listed_by_date_ad_hoc_ones_in_their_place(
    client, year_so_far, secretary
):
    client.force_login(secretary)
    response = client.get(reverse("sessions:reception"), {"year": 2026})
    listed = [day.held_on for day in response.context["days"]]
    assert listed == sorted(listed)
    assert date(2026, 10, 15) in listed


def test_the_reason_for_cancelling_is_marked_required(client, clock, office):
    clock.set(TODAY)
    day = schedule(office, date(2026, 12, 3))
    client.force_login(office)
    page = client.get(reverse("sessions:reception_day", args=[day.pk]))
    assert page.context["cancel_form"].fields["cancel_reason"].required


def test_a_days_time_range_stays_on_one_line(client, clock, office):
    clock.set(TODAY)
    schedule(office, date(2026, 12, 2), ends_at=time(11))
    client.force_login(office)
    for url in (reverse("sessions:reception"), reverse("reception_public")):
        page = html.fromstring(client.get(url, {"year": 2026, "month": 12}).content)
        (cell,) = page.xpath('//td[@data-testid="reception-day-time"]')
        assert cell.text_content() == "07:30\u201311:00"
        assert "text-nowrap" in cell.get("class").split()

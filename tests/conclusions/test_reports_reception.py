"""The monthly and periodic reports tell the Secretary's citizen reception: the days held
against the minimum, the visits received by kind, how many became petitions and how many
were routed out, in the figures, the workbook and the report document."""

import io
import re
from datetime import date, time

import pytest
from openpyxl import load_workbook

from conclusions import reports
from sessions import reception
from sessions.models import ReceptionDay, ReceptionVisit
from tests.documents.conftest import flowing, pdf_text

pytestmark = pytest.mark.django_db


def schedule(actor, held_on, **fields) -> ReceptionDay:
    return reception.reception_day_schedule(
        held_on=held_on, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=actor, **fields
    )


def record(day, actor, kind, people=1) -> ReceptionVisit:
    return reception.reception_visit_record(
        day=day,
        data=reception.VisitData(
            visitor_name="Phạm Văn Đức",
            content="Nội dung công dân trình bày tại buổi tiếp",
            kind=kind,
            people_count=people,
        ),
        actor=actor,
    )


@pytest.fixture
def november(clock, office):
    """Two days of the schedule held (one with three visits, one marked held), one ad-hoc day
    with a denunciation, one day cancelled; a visit in October."""
    clock.set(date(2026, 10, 1))
    first, second, cancelled = (
        schedule(office, date(2026, 11, 5)),
        schedule(office, date(2026, 11, 19)),
        schedule(office, date(2026, 11, 26)),
    )
    ad_hoc = schedule(
        office, date(2026, 11, 12), ad_hoc=True, ad_hoc_reason=ReceptionDay.Reason.PRESSING
    )
    october = schedule(office, date(2026, 10, 15))
    clock.set(date(2026, 10, 15))
    record(october, office, ReceptionVisit.Kind.PROPOSAL)
    clock.set(date(2026, 11, 5))
    record(first, office, ReceptionVisit.Kind.PROPOSAL)
    record(first, office, ReceptionVisit.Kind.FEEDBACK, people=3)
    record(first, office, ReceptionVisit.Kind.COMPLAINT)
    clock.set(date(2026, 11, 12))
    record(ad_hoc, office, ReceptionVisit.Kind.DENUNCIATION)
    clock.set(date(2026, 11, 19))
    reception.reception_day_mark_held(day=second, actor=office)
    reception.reception_day_cancel(day=cancelled, reason="Bí thư đi công tác", actor=office)
    clock.set(date(2026, 12, 1))
    return reports.statistics(reports.Period.of("month", 2026, number=11))


def test_the_figures_count_days_held_and_visits_by_kind(november):
    found = november.reception
    assert (found.held, found.ad_hoc, found.required) == (3, 1, 2)
    by_kind = {row.name: row.cells(reports.RECEPTION_COLUMNS) for row in found.by_kind}
    assert by_kind == {
        "Khiếu nại": [1, 1, 0, 1],
        "Tố cáo": [1, 1, 0, 1],
        "Kiến nghị": [1, 1, 1, 0],
        "Phản ánh": [1, 3, 1, 0],
    }
    assert found.total.cells(reports.RECEPTION_COLUMNS) == [4, 6, 2, 2]


def test_a_year_requires_two_days_a_month(november):
    year = reports.statistics(reports.Period.of("year", 2026))
    assert year.reception.required == 24
    assert year.reception.total.values["visits"] == 5


def test_the_workbook_has_the_reception_sheet(november):
    book = load_workbook(io.BytesIO(reports.workbook(november)))
    sheet = book["Tiếp công dân của Bí thư"]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0] == ["TT", "Loại vụ việc", *reports.RECEPTION_HEADERS]
    assert rows[-1][1:] == ["Tổng cộng", 4, 6, 2, 2]


def test_the_report_tells_the_reception_days_and_visits(november, tmp_path):
    from doluong_dialogue import documents as d

    document = reports.report_document(november, day=date(2026, 12, 1))
    text = flowing(pdf_text(d.render_pdf(document), tmp_path))
    assert "IV. TIẾP CÔNG DÂN CỦA BÍ THƯ ĐẢNG ỦY" in text
    assert "tiếp công dân 3 ngày (2 ngày theo lịch, 1 ngày đột xuất)" in text
    assert "đạt yêu cầu tối thiểu 2 ngày" in text
    assert "đã tiếp 4 lượt công dân (6 người)" in text
    assert "2 lượt kiến nghị, phản ánh được tiếp nhận thành kiến nghị" in text
    assert "2 lượt khiếu nại, tố cáo được hướng dẫn, chuyển đơn" in text
    assert re.search(r"Tổng cộng\s+4\s+6\s+2\s+2", text)
    assert "V. ĐÁNH GIÁ, ĐỀ XUẤT" in text


def test_a_month_short_of_days_says_so(clock, office, tmp_path):
    clock.set(date(2026, 11, 1))
    day = schedule(office, date(2026, 11, 5))
    clock.set(date(2026, 11, 5))
    reception.reception_day_mark_held(day=day, actor=office)
    clock.set(date(2026, 12, 1))
    stats = reports.statistics(reports.Period.of("month", 2026, number=11))
    document = reports.report_document(stats, day=date(2026, 12, 1))
    paragraphs = " ".join(
        run.text for part in document.body for run in getattr(part, "runs", ()) if run.text
    )
    assert "1 ngày (1 ngày theo lịch, 0 ngày đột xuất)" in paragraphs
    assert "chưa đạt yêu cầu tối thiểu 2 ngày" in paragraphs


def test_the_report_page_tells_the_days_held_against_the_minimum(client, november, staff):
    from django.urls import reverse
    from django.utils import translation

    client.force_login(staff)
    with translation.override("en"):
        page = client.get(
            reverse("conclusions:reports"), {"kind": "month", "year": 2026, "number": 11}
        ).content.decode()
    assert (
        "Reception days held: 3 (2 of the schedule, 1 ad hoc); at least 2 days of the "
        "schedule required."
    ) in page


def test_a_month_with_days_held_but_no_visit_still_shows_the_days(clock, office, client, staff):
    from django.urls import reverse
    from django.utils import translation

    clock.set(date(2026, 11, 1))
    day = schedule(office, date(2026, 11, 5))
    clock.set(date(2026, 11, 5))
    reception.reception_day_mark_held(day=day, actor=office)
    clock.set(date(2026, 12, 1))
    client.force_login(staff)
    with translation.override("en"):
        page = client.get(
            reverse("conclusions:reports"), {"kind": "month", "year": 2026, "number": 11}
        ).content.decode()
    assert "Reception days held: 1 (1 of the schedule, 0 ad hoc)" in page

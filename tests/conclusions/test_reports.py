"""Statistics and the periodic report: the periods, the figures against hand-counted
petitions, and the same figures on the page, in the Excel workbook and in the PDF report."""

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conclusions import reports
from petitions import services
from petitions.models import Petition, ResidentialUnit, Topic
from tests.documents.conftest import flowing, pdf_text
from tests.petitions.helpers import assigned, classified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "number", "start", "end"),
    [
        ("month", 2, date(2026, 2, 1), date(2026, 2, 28)),
        ("quarter", 3, date(2026, 7, 1), date(2026, 9, 30)),
        ("half1", 1, date(2026, 1, 1), date(2026, 6, 30)),
        ("nine_months", 1, date(2026, 1, 1), date(2026, 9, 30)),
        ("half2", 1, date(2026, 7, 1), date(2026, 12, 31)),
        ("year", 1, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_the_periods(kind, number, start, end):
    period = reports.Period.of(kind, 2026, number=number)
    assert (period.start, period.end) == (start, end)


@pytest.fixture
def petitions(staff, department, clock):
    """In November 2026: three on roads (one resolved, one closed otherwise, one with the
    unit past its deadline), one on health being handled; one in October; a duplicate."""
    clock.set(date(2026, 11, 2))
    roads = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    health = Topic.objects.get(name__startswith="Chăm sóc sức khỏe")
    resolved = classified(staff, summary="Đèn đường hỏng")
    services.petition_close(petition=resolved, actor=staff, outcome=Petition.Outcome.RESOLVED)
    forwarded = classified(staff, summary="Cầu treo xuống cấp")
    services.petition_close(
        petition=forwarded, actor=staff, outcome=Petition.Outcome.FORWARDED, note="UBND tỉnh"
    )
    late, _ = assigned(staff, department, summary="Cống thoát nước bị tắc")
    Petition.objects.filter(pk=late.pk).update(deadline=date(2026, 11, 20))
    sick = classified(staff, summary="Trạm y tế thiếu thuốc")
    Petition.objects.filter(pk=sick.pk).update(topic=health)
    classified(staff, summary="Đường ngập", received_on=date(2026, 10, 20))
    duplicate = classified(staff, summary="Đèn đường hỏng (trùng)")
    Petition.objects.filter(pk=duplicate.pk).update(duplicate_of=resolved)
    assert {p.topic for p in Petition.objects.all()} == {roads, health}
    clock.set(date(2026, 12, 1))  # November is over: its overdue petitions are counted
    return roads, health


def test_the_figures_count_what_was_received_in_the_period(petitions):
    stats = reports.statistics(reports.Period.of("month", 2026, number=11))
    total = stats.total.values
    assert (total["received"], total["closed"], total["resolved"]) == (4, 2, 1)
    assert (total["handling"], total["overdue"]) == (2, 1)
    roads = next(row for row in stats.by_topic if row.name.startswith("Giao thông"))
    assert roads.cells(reports.PETITION_COLUMNS) == [3, 2, 1, 1, 1]
    (economy,) = stats.by_unit
    assert economy.name == "Phòng Kinh tế" and economy.values["assigned"] == 1
    october = reports.statistics(reports.Period.of("month", 2026, number=10))
    assert october.total.values["received"] == 1


def test_a_deadline_still_to_come_is_not_overdue_in_the_current_period(petitions, clock):
    clock.set(date(2026, 11, 10))  # the late petition's deadline is 20/11
    stats = reports.statistics(reports.Period.of("month", 2026, number=11))
    assert stats.total.values["overdue"] == 0


class Cells(HTMLParser):
    """The text of each cell of the page's report tables, table by table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("data-testid") or "").startswith("report-table"):
            self._table = self.tables.setdefault(attrs["data-testid"], [])
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = ""

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def test_the_page_the_workbook_and_the_report_show_the_same_figures(
    petitions, client, inspector, tmp_path
):
    client.force_login(inspector)
    query = "kind=month&year=2026&number=11"
    expected = reports.tables(reports.statistics(reports.Period.of("month", 2026, number=11)))

    parser = Cells()
    parser.feed(client.get(f"/conclusions/reports/?{query}").content.decode())
    for number, (_title, header, rows) in enumerate(expected, start=1):
        shown = parser.tables.get(f"report-table-{number}", [])
        if rows:
            assert shown == [list(header)] + [[str(cell) for cell in row] for row in rows]

    book = load_workbook(
        io.BytesIO(client.get(f"/conclusions/reports/bao-cao.xlsx?{query}").content)
    )
    for sheet, (title, header, rows) in zip(book.worksheets, expected, strict=True):
        assert sheet.title == title[:31]
        values = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert values[0] == list(header)
        assert [[str(c) if c is not None else "" for c in row] for row in values[1:]] == [
            [str(cell) for cell in row] for row in rows
        ]

    pdf = client.get(f"/conclusions/reports/bao-cao.pdf?{query}").content
    text = flowing(pdf_text(pdf, tmp_path))
    assert "tiếp nhận 4 kiến nghị" in text and "đã kết thúc 2 kiến nghị" in text
    # The chart of the page is drawn in the PDF too: its bars' figures are there.
    assert "Biểu đồ: kiến nghị tiếp nhận và đã giải quyết theo lĩnh vực" in text
    assert "1/3" in text  # roads: 1 resolved of 3 received
    roads = next(row for row in expected[0][2] if row[1].startswith("Giao thông"))
    assert re.search(r"Giao thông, thủy lợi, điện, nước\s+3\s+2\s+1\s+1\s+1", text)
    assert roads[2:] == [3, 2, 1, 1, 1]
    word = client.get(f"/conclusions/reports/bao-cao.docx?{query}")
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_a_period_that_ends_before_it_starts_gets_a_clear_message(client, inspector):
    client.force_login(inspector)
    for query, message in [
        ("kind=custom&start=01/12/2026&end=01/11/2026", "Kỳ báo cáo kết thúc trước ngày bắt đầu"),
        ("kind=quarter&year=2026&number=7", "Quý được đánh số từ 1 đến 4"),
        ("kind=month&year=2026", "Hãy nhập tháng hoặc quý"),
    ]:
        response = client.get(f"/conclusions/reports/?{query}")
        assert response.status_code == 200
        assert message in response.content.decode()
        refused = client.get(f"/conclusions/reports/bao-cao.xlsx?{query}")
        assert refused["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "query",
    ["kind=year&year=2026", "kind=custom&start=01/11/2026&end=20/11/2026"],
    ids=["whole-months-from-the-tallies", "custom-days-from-the-rows"],
)
def test_the_statistics_page_s_queries_do_not_grow_with_the_rows(
    petitions, staff, department, other_department, client, inspector, clock, query
):
    def queries() -> int:
        clock.set(date(2026, 12, 1))
        client.force_login(inspector)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/conclusions/reports/?{query}").status_code == 200
        return len(captured)

    few = queries()
    clock.set(date(2026, 11, 10))
    hamlets = [ResidentialUnit.objects.create(name=f"Xóm {n}") for n in range(1, 4)]
    for n, topic in enumerate(Topic.objects.all()[:4]):
        for unit in (department, other_department):
            petition, _ = assigned(staff, unit, summary=f"Kiến nghị số {n}")
            Petition.objects.filter(pk=petition.pk).update(
                topic=topic, residential_unit=hamlets[n % 3]
            )
    assert queries() == few


def test_units_do_not_see_the_reports(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/conclusions/reports/").status_code == 403


def _figures(stats) -> tuple:
    def rows(found):
        return [(row.name, row.values) for row in found]

    return rows(stats.by_topic), rows(stats.by_hamlet), rows(stats.by_unit), stats.total.values


def test_the_tallies_by_month_give_the_figures_a_count_of_the_rows_gives(
    petitions, staff, department, other_department, dept_user, clock, monkeypatch
):
    """Periods of whole months are summed from the tallies by month (petitions/tallies.py);
    each figure equals the count of the petitions and assignments themselves, for a month,
    a quarter and the year, in the past and the current period, after every kind of
    change."""
    from petitions.models import Assignment, ResidentialUnit

    yen_thinh = ResidentialUnit.objects.create(name="Yên Thịnh")
    dong_ho = ResidentialUnit.objects.create(name="Đông Hồ")
    clock.set(date(2026, 9, 14))
    september = {"received_on": date(2026, 9, 14)}
    on_time, answered = assigned(staff, department, residential_unit=yen_thinh, **september)
    answer = services.answer_submit(assignment=answered, actor=dept_user, text="Đã sửa xong.")
    services.answer_review(answer=answer, actor=staff, accept=True)
    _late, late_assignment = assigned(
        staff, other_department, residential_unit=dong_ho, **september
    )
    clock.set(date(2026, 10, 30))
    answer = services.answer_submit(assignment=late_assignment, actor=dept_user, text="Chậm.")
    october = {"received_on": date(2026, 10, 30)}
    classified(staff, summary="Xin hỗ trợ giống lúa", residential_unit=dong_ho, **october)
    routed = classified(staff, summary="Khiếu nại đất đai", **october)
    services.petition_route_out(petition=routed, actor=staff, legal_channel_note="Thanh tra")
    clock.set(date(2026, 12, 1))
    periods = [reports.Period.of("month", 2026, number=number) for number in (9, 10, 11, 12)] + [
        reports.Period.of("quarter", 2026, number=4),
        reports.Period.of("half2", 2026),
        reports.Period.of("year", 2026),
    ]

    def assert_same():
        for period in periods:
            tallied = _figures(reports.statistics(period))
            with monkeypatch.context() as rows_only:
                rows_only.setattr(reports, "_whole_months", lambda period: False)
                counted = _figures(reports.statistics(period))
            assert tallied == counted, period.label

    assert_same()
    # A petition closes, another is reclassified and moved, a deadline moves, an assignment
    # is cancelled by hand, a petition is merged and another deleted.
    services.petition_close(
        petition=Petition.objects.get(pk=on_time.pk),
        actor=staff,
        outcome=Petition.Outcome.RESOLVED,
    )
    Petition.objects.filter(summary="Xin hỗ trợ giống lúa").update(
        topic=petitions[1], residential_unit=yen_thinh, deadline=date(2026, 11, 3)
    )
    Assignment.objects.filter(pk=late_assignment.pk).update(
        status=Assignment.Status.CANCELLED, deadline=date(2026, 9, 1)
    )
    Petition.objects.filter(summary="Đường ngập").update(duplicate_of=on_time)
    Petition.objects.filter(summary="Trạm y tế thiếu thuốc").delete()
    assert_same()
    # The current month's overdue figure is read today.
    clock.set(date(2026, 11, 25))
    assert_same()
    stats = reports.statistics(reports.Period.of("year", 2026))
    assert (
        stats.total.values["received"]
        == Petition.objects.filter(received_on__year=2026, duplicate_of=None)
        .exclude(status=Petition.Status.ROUTED_OUT)
        .count()
    )

"""Statistics for a period and the periodic report to the upper level (Kết luận 215-KL/TW):
petitions by topic and by hamlet, the units' work, the sessions held — one computation that
the page, the Excel workbook and the report (PDF and Word) all show, so that their figures
are the same.

Petitions count once (duplicates merged into another are left out, as are complaints routed
to their own procedure); "received" is by the day received, the other columns are the state
of those petitions as it is today; overdue is read on the period's last day, or today for
the current period.
"""

from __future__ import annotations

import calendar
import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum
from openpyxl import Workbook

from conclusions.models import Directive
from doluong_dialogue import charts, clock, spreadsheets
from doluong_dialogue import documents as d
from doluong_dialogue.models import SiteConfiguration, Tally
from petitions.models import Assignment, Department, Petition, ResidentialUnit, Topic
from sessions import reception
from sessions.models import AgendaItem, DialogueSession, ReceptionDay, ReceptionVisit
from sessions.surveys import satisfaction

KINDS = {
    "month": "Tháng",
    "quarter": "Quý",
    "half1": "6 tháng đầu năm",
    "nine_months": "9 tháng",
    "half2": "6 tháng cuối năm",
    "year": "Năm",
    "custom": "Khoảng thời gian",
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    @property
    def as_of(self) -> date:
        """The day "overdue" is read on: the end of a past period, today for the current."""
        return min(self.end, clock.today())

    @classmethod
    def of(cls, kind: str, year: int, *, number: int = 1, start=None, end=None) -> Period:
        """A report period: a month (`number` 1-12), a quarter (1-4), the first or second
        half, nine months, the year, or `custom` from `start` to `end`."""
        if kind == "month":
            last = calendar.monthrange(year, number)[1]
            return cls(date(year, number, 1), date(year, number, last), f"tháng {number}/{year}")
        if kind == "quarter":
            first_month = 3 * (number - 1) + 1
            last = calendar.monthrange(year, first_month + 2)[1]
            return cls(
                date(year, first_month, 1),
                date(year, first_month + 2, last),
                f"quý {'I II III IV'.split()[number - 1]} năm {year}",
            )
        if kind == "half1":
            return cls(date(year, 1, 1), date(year, 6, 30), f"6 tháng đầu năm {year}")
        if kind == "half2":
            return cls(date(year, 7, 1), date(year, 12, 31), f"6 tháng cuối năm {year}")
        if kind == "nine_months":
            return cls(date(year, 1, 1), date(year, 9, 30), f"9 tháng đầu năm {year}")
        if kind == "year":
            return cls(date(year, 1, 1), date(year, 12, 31), f"năm {year}")
        if kind == "custom" and start and end:
            return cls(start, end, f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")
        raise ValueError(f"Unknown report period {kind!r}")


# --- The figures -------------------------------------------------------------------------------

PETITION_COLUMNS = ("received", "closed", "resolved", "handling", "overdue")
PETITION_HEADERS = (
    "Tiếp nhận",
    "Đã kết thúc",
    "Trong đó đã giải quyết",
    "Đang giải quyết",
    "Quá hạn",
)
UNIT_COLUMNS = ("assigned", "done", "on_time", "late", "overdue")
UNIT_HEADERS = ("Được giao", "Đã hoàn thành", "Đúng hạn", "Chậm", "Đang quá hạn")


@dataclass
class Row:
    name: str
    values: dict[str, int]

    def cells(self, columns) -> list[int]:
        return [self.values.get(column, 0) for column in columns]


@dataclass
class Statistics:
    period: Period
    by_topic: list[Row] = field(default_factory=list)
    by_hamlet: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)
    total: Row | None = None
    reception: Reception | None = None


def _petitions(period: Period):
    return Petition.objects.filter(
        received_on__gte=period.start,
        received_on__lte=period.end,
        duplicate_of__isnull=True,
    ).exclude(status=Petition.Status.ROUTED_OUT)


def _petition_counts(period: Period):
    closed = Q(status=Petition.Status.CLOSED)
    return {
        "received": Count("pk"),
        "closed": Count("pk", filter=closed),
        "resolved": Count("pk", filter=closed & Q(outcome=Petition.Outcome.RESOLVED)),
        "handling": Count("pk", filter=~closed),
        "overdue": Count("pk", filter=~closed & Q(deadline__lt=period.as_of)),
    }


def _whole_months(period: Period) -> bool:
    """Whether the period is made of whole months, ten years at most (every kind but most
    custom periods): the tallies by month answer it (petitions/tallies.py)."""
    last = calendar.monthrange(period.end.year, period.end.month)[1]
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month
    return period.start.day == 1 and period.end.day == last and 0 <= months < 120


def _months(period: Period) -> list[str]:
    """The months of a period as the tallies by deadline name them ("2026-05-01")."""
    months, day = [], period.start
    while day <= period.end:
        months.append(f"{day:%Y-%m-01}")
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _summed(period: Period, given: list[str], due: list[str]) -> list[dict]:
    """Rows (name, unit_id, status, n) of the tallies `given` (by month) over the period,
    and of the tallies `due` (by deadline, the month as status) of its months overdue on
    its `as_of` day: one query over a few keys a month, however many rows they count."""
    return list(
        Tally.objects.filter(
            Q(name__in=given, day__gte=period.start, day__lte=period.end)
            | Q(name__in=due, status__in=_months(period), day__lt=period.as_of)
        )
        .values("name", "unit_id", "status")
        .annotate(n=Sum("count"))
        .order_by()
    )


def _tallied_petition_tables(period: Period, topics: dict, hamlets: dict) -> tuple[list, list, Row]:
    """`_petition_tables` of a period of whole months, from the tallies by topic and by
    hamlet."""
    places = ("topic", "hamlet")
    received = {f"received_{place}": place for place in places}
    due = {f"received_due_{place}": place for place in places}
    grouped: dict[str, dict] = {place: {} for place in places}
    for row in _summed(period, list(received), list(due)):
        place = received.get(row["name"]) or due[row["name"]]
        values = grouped[place].setdefault(row["unit_id"], dict.fromkeys(PETITION_COLUMNS, 0))
        n = row["n"]
        if row["name"] in due:
            values["overdue"] += n
        else:
            values["received"] += n
            if row["status"] == "handling":
                values["handling"] += n
            else:
                values["closed"] += n
                values["resolved"] += n if row["status"] == "resolved" else 0
    # Every petition counted has one topic (or none): the topics add up to the total.
    total = {
        column: sum(values[column] for values in grouped["topic"].values())
        for column in PETITION_COLUMNS
    }
    shown = {
        place: {key: values for key, values in found.items() if values["received"]}
        for place, found in grouped.items()
    }
    return (
        _named(shown["topic"], topics, "Chưa phân loại"),
        _named(shown["hamlet"], hamlets, "Không rõ"),
        Row("Tổng cộng", total),
    )


def _petition_tables(period: Period, topics: dict, hamlets: dict) -> tuple[list, list, Row]:
    """The petitions by topic, by hamlet, and in all: for whole months from the tallies by
    month, otherwise from one pass over the period's petitions grouped by both (a year of a
    province is half a million rows: one pass, not three)."""
    if _whole_months(period):
        return _tallied_petition_tables(period, topics, hamlets)
    found = (
        _petitions(period)
        .values("topic", "residential_unit")
        .annotate(**_petition_counts(period))
        .order_by()
    )
    by_topic: dict = {}
    by_hamlet: dict = {}
    total = dict.fromkeys(PETITION_COLUMNS, 0)
    for row in found:
        for grouped, key in ((by_topic, row["topic"]), (by_hamlet, row["residential_unit"])):
            values = grouped.setdefault(key, dict.fromkeys(PETITION_COLUMNS, 0))
            for column in PETITION_COLUMNS:
                values[column] += row[column]
        for column in PETITION_COLUMNS:
            total[column] += row[column]
    return (
        _named(by_topic, topics, "Chưa phân loại"),
        _named(by_hamlet, hamlets, "Không rõ"),
        Row("Tổng cộng", total),
    )


def _named(grouped: dict, names: dict, unnamed: str) -> list[Row]:
    rows = [Row(names.get(key, unnamed), values) for key, values in grouped.items()]
    return sorted(rows, key=lambda row: (-row.values["received"], row.name))


def _tallied_assignments(period: Period) -> dict[int, dict[str, int]]:
    """The assignments' columns of the units' table for a period of whole months, from the
    tallies of the assignments given by month."""
    values: dict[int, dict[str, int]] = {}
    for row in _summed(period, ["assignment_given"], ["assignment_given_due"]):
        totals = values.setdefault(row["unit_id"], dict.fromkeys(UNIT_COLUMNS, 0))
        n = row["n"]
        if row["name"] == "assignment_given_due":
            totals["overdue"] += n
            continue
        totals["assigned"] += n
        if row["status"] in ("on_time", "late"):
            totals["done"] += n
            totals[row["status"]] += n
    return {unit: totals for unit, totals in values.items() if totals["assigned"]}


def _units(period: Period) -> list[Row]:
    values = {}
    models = [
        (Assignment, "department", "assigned_on"),
        (Directive, "lead", "conclusion__issued_on"),
    ]
    if _whole_months(period):
        values = _tallied_assignments(period)
        models = models[1:]
    # Given in the period: an assignment on the day it was made, a directive on the day its
    # notice was issued.
    for model, unit_field, given_on in models:
        given = {given_on + "__gte": period.start, given_on + "__lte": period.end}
        items = model.objects.filter(**given)
        found = (
            items.values(unit_field)
            .annotate(
                assigned=Count("pk"),
                done=Count("pk", filter=Q(done_on_time__isnull=False)),
                on_time=Count("pk", filter=Q(done_on_time=True)),
                late=Count("pk", filter=Q(done_on_time=False)),
                overdue=Count(
                    "pk", filter=model.running_condition() & Q(deadline__lt=period.as_of)
                ),
            )
            .order_by()
        )
        for row in found:
            totals = values.setdefault(row[unit_field], dict.fromkeys(UNIT_COLUMNS, 0))
            for column in UNIT_COLUMNS:
                totals[column] += row[column]
    names = dict(Department.objects.filter(pk__in=values).values_list("pk", "name"))
    rows = [Row(names[pk], counts) for pk, counts in values.items()]
    return sorted(rows, key=lambda row: (-row.values["assigned"], row.name))


def _sessions(period: Period) -> list[Row]:
    held = (
        DialogueSession.objects.filter(
            held_on__gte=period.start,
            held_on__lte=period.end,
            status__in=["held", "concluded", "archived"],
        )
        .select_related("organiser")
        .order_by("held_on", "pk")
    )
    agenda = dict(
        AgendaItem.objects.filter(session__in=held)
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    dialogued = dict(
        AgendaItem.objects.filter(session__in=held, dialogued=True)
        .values("session")
        .annotate(n=Count("pk"))
        .values_list("session", "n")
    )
    directives = dict(
        Directive.objects.filter(conclusion__session__in=held)
        .values("conclusion__session")
        .annotate(n=Count("pk"))
        .values_list("conclusion__session", "n")
    )
    surveyed = satisfaction(held)
    rows = []
    for session in held:
        survey = surveyed.get(session.pk)
        percent = survey.percent if survey is not None else None
        values = {
            "agenda": agenda.get(session.pk, 0),
            "dialogued": dialogued.get(session.pk, 0),
            "directives": directives.get(session.pk, 0),
            "surveyed": survey.responses if survey is not None else 0,
            "satisfied": f"{percent}%" if percent is not None else "—",
        }
        # An organisation's own dialogue (plan section IV.2) says whose it is.
        held_by = f"{session.organiser.name}: " if session.organiser_id else ""
        rows.append(Row(f"{session.held_on:%d/%m/%Y} — {held_by}{session.title}", values))
    return rows


SESSION_COLUMNS = ("agenda", "dialogued", "directives", "surveyed", "satisfied")
SESSION_HEADERS = (
    "Kiến nghị trong chương trình",
    "Đã đối thoại",
    "Nhiệm vụ được giao",
    "Phiếu lấy ý kiến",
    "Tỷ lệ hài lòng",
)


# --- The Secretary's citizen reception -----------------------------------------------------------

RECEPTION_COLUMNS = ("visits", "people", "petitions", "routed_out")
RECEPTION_HEADERS = ("Lượt tiếp", "Số người", "Thành kiến nghị", "Hướng dẫn, chuyển đơn")
RECEPTION_TITLE = "Tiếp công dân của Bí thư"


@dataclass
class Reception:
    """The reception days held in the period (regular and ad hoc, as
    ReceptionDayQuerySet.held reads "held") against the minimum, and the visits received
    there by kind: how many became petitions in the flow, how many were routed out."""

    held: int
    ad_hoc: int
    required: int
    by_kind: list[Row]
    total: Row

    @property
    def regular(self) -> int:
        """The days of the schedule held, which the minimum counts (ad-hoc days come on top)."""
        return self.held - self.ad_hoc

    @property
    def short(self) -> bool:
        return self.regular < self.required


def _months_in(period: Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def _reception(period: Period) -> Reception:
    in_period = {"held_on__gte": period.start, "held_on__lte": period.end}
    held = ReceptionDay.objects.filter(**in_period).held(on=period.as_of)
    days = dict(held.values("ad_hoc").annotate(n=Count("pk")).values_list("ad_hoc", "n"))
    routed = Q(petition__status=Petition.Status.ROUTED_OUT)
    found = {
        row["kind"]: row
        for row in ReceptionVisit.objects.filter(
            day__held_on__gte=period.start, day__held_on__lte=period.end
        )
        .values("kind")
        .annotate(
            visits=Count("pk"),
            people=Sum("people_count"),
            petitions=Count("pk", filter=Q(petition__isnull=False) & ~routed),
            routed_out=Count("pk", filter=routed),
        )
        .order_by()
    }
    rows = [
        Row(name, {column: found.get(kind, {}).get(column) or 0 for column in RECEPTION_COLUMNS})
        for kind, name in reception.KIND_VI.items()
    ]
    total = {column: sum(row.values[column] for row in rows) for column in RECEPTION_COLUMNS}
    return Reception(
        held=days.get(False, 0) + days.get(True, 0),
        ad_hoc=days.get(True, 0),
        required=reception.RECEPTION_DAYS_PER_MONTH * _months_in(period),
        by_kind=rows,
        total=Row("Tổng cộng", total),
    )


def statistics(period: Period) -> Statistics:
    topics = dict(Topic.objects.values_list("pk", "name"))
    hamlets = {unit.pk: str(unit) for unit in ResidentialUnit.objects.all()}
    by_topic, by_hamlet, total = _petition_tables(period, topics, hamlets)
    return Statistics(
        period=period,
        by_topic=by_topic,
        by_hamlet=by_hamlet,
        by_unit=_units(period),
        sessions=_sessions(period),
        total=total,
        reception=_reception(period),
    )


def topic_chart(stats: Statistics, *, whole: str = "tiếp nhận", part: str = "đã giải quyết"):
    """The petitions by topic as bars: received, and of them resolved."""
    return charts.horizontal_bars(
        [(row.name, row.values["received"], row.values["resolved"]) for row in stats.by_topic],
        whole=whole,
        part=part,
        title=f"Kiến nghị theo lĩnh vực {stats.period.label}",
    )


def tables(stats: Statistics) -> list[tuple[str, tuple[str, ...], list[list]]]:
    """(title, header, rows) of every table, as the page, the workbook and the report show
    them (the same cells)."""

    def numbered(rows, columns, *, total=None):
        cells = [[str(n), row.name, *row.cells(columns)] for n, row in enumerate(rows, 1)]
        if total is not None:
            cells.append(["", total.name, *total.cells(columns)])
        return cells

    return [
        (
            "Kiến nghị theo lĩnh vực",
            ("TT", "Lĩnh vực", *PETITION_HEADERS),
            numbered(stats.by_topic, PETITION_COLUMNS, total=stats.total),
        ),
        (
            "Kiến nghị theo xóm, khối",
            ("TT", "Xóm, khối", *PETITION_HEADERS),
            numbered(stats.by_hamlet, PETITION_COLUMNS, total=stats.total),
        ),
        (
            "Việc giao và nhiệm vụ theo cơ quan, đơn vị",
            ("TT", "Cơ quan, đơn vị", *UNIT_HEADERS),
            numbered(stats.by_unit, UNIT_COLUMNS),
        ),
        (
            "Các kỳ tiếp xúc, đối thoại",
            ("TT", "Kỳ đối thoại", *SESSION_HEADERS),
            numbered(stats.sessions, SESSION_COLUMNS),
        ),
        (
            RECEPTION_TITLE,
            ("TT", "Loại vụ việc", *RECEPTION_HEADERS),
            numbered(stats.reception.by_kind, RECEPTION_COLUMNS, total=stats.reception.total)
            if stats.reception.total.values["visits"]
            else [],
        ),
    ]


# --- The workbook and the report ------------------------------------------------------------


def workbook(stats: Statistics) -> bytes:
    return workbook_of(tables(stats), stats.period.label)


def workbook_of(named_tables, label: str) -> bytes:
    """A sheet per (title, header, rows): the title and `label` first, then the table."""
    book = Workbook(write_only=True)
    for title, header, rows in named_tables:
        sheet = book.create_sheet(title[:31])
        sheet.append([spreadsheets.text_cell(sheet, f"{title} — {label}", bold=True)])
        sheet.append([spreadsheets.text_cell(sheet, column, bold=True) for column in header])
        for cells in rows:
            sheet.append(spreadsheets.row(sheet, cells))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _reception_paragraphs(found: Reception, period: Period) -> list:
    """Section IV: the Secretary's reception days (Quy định 11-QĐi/TW, Kết luận 215-KL/TW)."""
    total = found.total.values
    regular = found.regular
    days = f"{found.held} ngày ({regular} ngày theo lịch, {found.ad_hoc} ngày đột xuất)"
    short = (
        f"; số ngày tiếp theo lịch chưa đạt yêu cầu tối thiểu {found.required} ngày"
        if regular < found.required
        else f", đạt yêu cầu tối thiểu {found.required} ngày"
    )
    return [
        d.Heading("IV. TIẾP CÔNG DÂN CỦA BÍ THƯ ĐẢNG ỦY"),
        d.Paragraph(
            f"Trong {period.label}, đồng chí Bí thư Đảng ủy tiếp công dân {days}{short}; "
            f"đã tiếp {total['visits']} lượt công dân ({total['people']} người). Trong đó "
            f"{total['petitions']} lượt kiến nghị, phản ánh được tiếp nhận thành kiến nghị "
            f"và giao giải quyết theo quy trình; {total['routed_out']} lượt khiếu nại, tố "
            "cáo được hướng dẫn, chuyển đơn đến cơ quan có thẩm quyền theo quy định."
        ),
    ]


def report_document(stats: Statistics, *, day: date) -> d.PartyDocument:
    site = SiteConfiguration.load()
    total = stats.total.values
    period = stats.period
    body = [
        d.Heading("I. TÌNH HÌNH TIẾP NHẬN, PHÂN LOẠI KIẾN NGHỊ"),
        d.Paragraph(
            f"Trong {period.label}, {site.short_name} tiếp nhận {total['received']} kiến nghị, "
            f"phản ánh của Nhân dân; đã kết thúc {total['closed']} kiến nghị (trong đó đã giải "
            f"quyết dứt điểm {total['resolved']}), đang giải quyết {total['handling']} kiến "
            f"nghị, trong đó {total['overdue']} kiến nghị quá hạn."
        ),
    ]
    if stats.by_topic:
        body.append(
            d.Figure(
                svg=topic_chart(stats),
                caption="Biểu đồ: kiến nghị tiếp nhận và đã giải quyết theo lĩnh vực",
            )
        )
    for number, (title, header, rows) in enumerate(tables(stats), start=1):
        if number == 3:
            body.append(d.Heading("II. KẾT QUẢ THỰC HIỆN CỦA CÁC CƠ QUAN, ĐƠN VỊ"))
        if number == 4:
            body.append(d.Heading("III. CÁC KỲ TIẾP XÚC, ĐỐI THOẠI"))
        if number == 5:
            body += _reception_paragraphs(stats.reception, period)
        body.append(d.Paragraph(d.Run(f"{title}:", bold=True), indent=False, keep_with_next=True))
        if rows:
            body.append(
                d.Table(
                    header=header,
                    rows=tuple(tuple(str(cell) for cell in row) for row in rows),
                    widths=(6, 34, *([60 / (len(header) - 2)] * (len(header) - 2))),
                )
            )
        else:
            body.append(d.Paragraph("Không có số liệu trong kỳ."))
    body += [
        d.Heading("V. ĐÁNH GIÁ, ĐỀ XUẤT"),
        d.Paragraph(
            "Các cơ quan, đơn vị tiếp tục rà soát, giải quyết dứt điểm các kiến nghị quá hạn; "
            "Văn phòng Đảng ủy theo dõi, đôn đốc; Ủy ban Kiểm tra Đảng ủy kiểm tra, giám sát "
            "việc thực hiện theo Kết luận số 215-KL/TW."
        ),
    ]
    return d.PartyDocument(
        code="BC",
        title=f"Báo cáo kết quả tiếp xúc, đối thoại {period.label}",
        day=day,
        type_name="BÁO CÁO",
        summary=f"kết quả tiếp xúc, đối thoại với Nhân dân và giải quyết kiến nghị {period.label}",
        body=body,
        recipients=["Ban Thường vụ Đảng ủy cấp trên", "Thường trực Đảng ủy"],
    )

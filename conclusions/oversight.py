"""What the Inspection Committee watches: the overdue register by unit with its ageing
buckets, the on-time rate per unit over a period, its trend by month, and the items behind
every figure — assignments of petitions and directives of issued conclusions alike.

Everything is read as of one day through a `DeadlineReader`, so that "overdue by 6 working
days" means here what it means on the item's page; each figure is one aggregate query per
kind of item, whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from conclusions.models import Directive
from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.models import Tally
from petitions.models import Assignment, Department, Petition, ResidentialUnit, Topic
from sessions.models import DialogueSession

# (key, label, fewest working days overdue, most); the last is open-ended.
BUCKETS = (
    ("1-5", "1-5", 1, 5),
    ("6-10", "6-10", 6, 10),
    ("10+", "> 10", 11, None),
)
KINDS = ("assignment", "directive")


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; the period bounds the on-time rate (items done in
    it), the rest every figure."""

    start: date | None = None
    end: date | None = None
    session: DialogueSession | None = None
    topic: Topic | None = None
    hamlet: ResidentialUnit | None = None

    def query(self) -> str:
        """The filters as a query string for the drill-down links ("" when none)."""
        from urllib.parse import urlencode

        values = {
            "start": f"{self.start:%d/%m/%Y}" if self.start else "",
            "end": f"{self.end:%d/%m/%Y}" if self.end else "",
            "session": self.session.pk if self.session else "",
            "topic": self.topic.pk if self.topic else "",
            "hamlet": self.hamlet.pk if self.hamlet else "",
        }
        return urlencode({key: value for key, value in values.items() if value})


def _narrowed(filters: Filters) -> bool:
    """Whether the filters narrow the items (the period bounds the rates alone)."""
    return bool(filters.session or filters.topic or filters.hamlet)


@dataclass(frozen=True)
class _Tallied:
    """Where the assignments within the filters are summed from (petitions/tallies.py):
    every assignment, or those of one topic or one hamlet, whose tallies' names end in the
    place and whose statuses in its id ("open:3")."""

    suffix: str = ""
    place: str = ""

    def running(self) -> QuerySet:
        """By lead unit and deadline, the running ones."""
        return Tally.objects.filter(
            name=f"assignment{self.suffix}",
            status__in=[f"{status}{self.place}" for status in _running("assignment")],
        )

    def done(self) -> QuerySet:
        """By lead unit and the day they were done, on time or late."""
        return Tally.objects.filter(
            name=f"assignment_done{self.suffix}",
            status__in=(f"on_time{self.place}", f"late{self.place}"),
        )

    @property
    def on_time(self) -> str:
        return f"on_time{self.place}"


def _tallied(filters: Filters) -> _Tallied | None:
    """The tallies that sum the assignments within the filters, or None when the rows must
    be counted (a session, or a topic and a hamlet at once)."""
    if filters.session or (filters.topic and filters.hamlet):
        return None
    if filters.topic:
        return _Tallied("_topic", f":{filters.topic.pk}")
    if filters.hamlet:
        return _Tallied("_hamlet", f":{filters.hamlet.pk}")
    return _Tallied()


def _petitions(filters: Filters) -> QuerySet | None:
    """The petitions the filters narrow to, or None when they narrow nothing."""
    if not _narrowed(filters):
        return None
    petitions = Petition.objects.all()
    if filters.session:
        petitions = petitions.filter(agenda_items__session=filters.session)
    if filters.topic:
        petitions = petitions.filter(topic=filters.topic)
    if filters.hamlet:
        petitions = petitions.filter(residential_unit=filters.hamlet)
    return petitions.values("pk")


def assignments(filters: Filters) -> QuerySet:
    """The assignments of the petitions the filters narrow to; the petition's topic and
    hamlet are read from the assignment's own copies of them (its indexes answer)."""
    found = Assignment.objects.all()
    if filters.session:
        found = found.filter(petition__in=_petitions(Filters(session=filters.session)))
    if filters.topic:
        found = found.filter(petition_topic_id=filters.topic.pk)
    if filters.hamlet:
        found = found.filter(petition_hamlet_id=filters.hamlet.pk)
    return found


def directives(filters: Filters) -> QuerySet:
    """The directives being followed (of issued conclusions) that the filters concern: of the
    session's conclusion, or linked to a petition of the topic or hamlet."""
    found = Directive.objects.followed()
    if filters.session:
        found = found.filter(conclusion__session=filters.session)
    if filters.topic or filters.hamlet:
        petitions = _petitions(Filters(topic=filters.topic, hamlet=filters.hamlet))
        linked = Directive.petitions.through.objects.filter(petition__in=petitions)
        found = found.filter(pk__in=linked.values("directive_id"))
    return found


def items(kind: str, filters: Filters) -> QuerySet:
    return assignments(filters) if kind == "assignment" else directives(filters)


def unit_field(kind: str) -> str:
    return "department" if kind == "assignment" else "lead"


# --- The overdue register -----------------------------------------------------------------


def bucket_conditions(reader: DeadlineReader, field: str = "deadline") -> dict[str, Q]:
    """The deadline ranges of the ageing buckets as of `reader.on`, on the date `field`
    (the assignments' tally keeps the deadline as its `day`).

    Overdue days count the working days after the deadline up to the last working day on or
    before today, so a deadline on or after the 5th working day back is 1 to 5 days overdue.
    """
    on = reader.on
    last = on
    while not reader.calendar.is_working_day(last):
        last -= timedelta(days=1)
    fifth = reader.calendar.add(last, -5)
    tenth = reader.calendar.add(last, -10)
    return {
        "1-5": Q(**{f"{field}__gte": fifth, f"{field}__lt": on}),
        "6-10": Q(**{f"{field}__gte": tenth, f"{field}__lt": fifth}),
        "10+": Q(**{f"{field}__lt": tenth}),
    }


@dataclass
class RegisterRow:
    unit: Department
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> bucket -> n

    def total(self, kind: str | None = None) -> int:
        kinds = [kind] if kind else KINDS
        return sum(sum(self.counts.get(k, {}).values()) for k in kinds)

    def cells(self) -> list[tuple[str, str, int]]:
        """(kind, bucket, count) in the table's column order."""
        return [
            (kind, key, self.counts.get(kind, {}).get(key, 0))
            for kind in KINDS
            for key, *_rest in BUCKETS
        ]


def register(filters: Filters, reader: DeadlineReader) -> list[RegisterRow]:
    """Units with something overdue, most overdue first: two aggregates and the units."""
    conditions = bucket_conditions(reader)
    rows: dict[int, RegisterRow] = {}
    counts_by_unit: dict[int, dict[str, dict[str, int]]] = {}
    tallied = _tallied(filters)
    for kind in KINDS:
        if kind == "assignment" and tallied is not None:
            # Summed from a tally (by lead unit, status and deadline), a few hundred keys
            # however many assignments are overdue.
            field_name, by_day = "unit_id", bucket_conditions(reader, "day")
            found = (
                tallied.running()
                .filter(day__lt=reader.on)
                .values(field_name)
                .annotate(**{key: Sum("count", filter=by_day[key]) for key, *_r in BUCKETS})
                .order_by()
            )
        else:
            field_name = unit_field(kind)
            found = (
                items(kind, filters)
                .filter(Q(status__in=_running(kind)), deadline__lt=reader.on)
                .values(field_name)
                .annotate(**{key: Count("pk", filter=conditions[key]) for key, *_r in BUCKETS})
                .order_by()
            )
        for row in found:
            counts = {key: row[key] or 0 for key, *_r in BUCKETS}
            if any(counts.values()):
                counts_by_unit.setdefault(row[field_name], {})[kind] = counts
    for unit in Department.objects.filter(pk__in=counts_by_unit).order_by("name"):
        rows[unit.pk] = RegisterRow(unit, counts_by_unit[unit.pk])
    return sorted(rows.values(), key=lambda row: (-row.total(), row.unit.name))


def _running(kind: str) -> tuple[str, ...]:
    model = Assignment if kind == "assignment" else Directive
    return tuple(model.RUNNING_STATUSES)


def overdue_items(
    kind: str,
    filters: Filters,
    reader: DeadlineReader,
    *,
    unit: Department | None = None,
    bucket: str | None = None,
) -> QuerySet:
    """The items behind a register figure, oldest deadline first."""
    found = items(kind, filters).filter(status__in=_running(kind), deadline__lt=reader.on)
    if unit is not None:
        found = found.filter(**{unit_field(kind): unit})
    if bucket:
        found = found.filter(bucket_conditions(reader)[bucket])
    related = ("petition", "department") if kind == "assignment" else ("conclusion", "lead")
    return found.select_related(*related).order_by("deadline", "pk")


# --- On time ----------------------------------------------------------------------------------


@dataclass
class Rate:
    done: int = 0
    on_time: int = 0

    @property
    def late(self) -> int:
        return self.done - self.on_time

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.done) if self.done else None


def _done_in(found: QuerySet, filters: Filters) -> QuerySet:
    """Done within the filters' days (local time), as bounds on the moment itself so that
    the index on it answers (a cast of each moment to its day would be read row by row)."""
    found = found.filter(done_at__isnull=False, done_on_time__isnull=False)
    if filters.start:
        found = found.filter(done_at__gte=clock.start_of_day(filters.start))
    if filters.end and filters.end < date.max:
        found = found.filter(done_at__lt=clock.start_of_day(filters.end + timedelta(days=1)))
    return found


def _done_counts(kind: str, filters: Filters, group: str) -> list[dict]:
    """The items done within the filters, grouped by `group` (the unit, or "month"): rows of
    the group, "done" and "on_time". Assignments are summed from a tally, a few thousand
    keys however many were done; those of a session, and directives, counted from the
    rows."""
    tallied = _tallied(filters)
    if kind == "assignment" and tallied is not None:
        found = tallied.done()
        if filters.start:
            found = found.filter(day__gte=filters.start)
        if filters.end and filters.end < date.max:
            found = found.filter(day__lte=filters.end)
        unit, done, on_time = (
            "unit_id",
            Sum("count"),
            Coalesce(Sum("count", filter=Q(status=tallied.on_time)), 0),
        )
        month = TruncMonth("day")
    else:
        found, unit, done, on_time = (
            _done_in(items(kind, filters), filters),
            unit_field(kind),
            Count("pk"),
            Count("pk", filter=Q(done_on_time=True)),
        )
        month = TruncMonth("done_at")
    if group == "month":
        found = found.annotate(month=month).values("month")
    else:
        found = found.annotate(unit=F(unit)).values("unit")
    return list(found.annotate(done=done, on_time=on_time).order_by())


def on_time_by_unit(filters: Filters) -> list[tuple[Department, Rate]]:
    """Items completed in the period, per unit: how many, how many on time."""
    rates: dict[int, Rate] = {}
    for kind in KINDS:
        found = _done_counts(kind, filters, "unit")
        for row in found:
            if not row["done"]:  # a tally's keys may sum to none until compacted
                continue
            rate = rates.setdefault(row["unit"], Rate())
            rate.done += row["done"]
            rate.on_time += row["on_time"]
    units = Department.objects.filter(pk__in=rates).order_by("name")
    return sorted(
        ((unit, rates[unit.pk]) for unit in units),
        key=lambda pair: (pair[1].percent if pair[1].percent is not None else 101, pair[0].name),
    )


@dataclass(frozen=True)
class Month:
    first_day: date
    rate: Rate

    @property
    def label(self) -> str:
        return f"{self.first_day:%m/%Y}"


def trend(filters: Filters, reader: DeadlineReader, *, months: int = 12) -> list[Month]:
    """The on-time rate of the items completed in each of the last `months` months."""
    on = reader.on
    first = date(on.year, on.month, 1)
    for _month in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    by_month: dict[date, Rate] = {}
    window = Filters(
        start=first, end=on, session=filters.session, topic=filters.topic, hamlet=filters.hamlet
    )
    for kind in KINDS:
        for row in _done_counts(kind, window, "month"):
            month = row["month"]
            month = date(month.year, month.month, 1)
            rate = by_month.setdefault(month, Rate())
            rate.done += row["done"]
            rate.on_time += row["on_time"]
    result, day = [], first
    for _month in range(months):
        result.append(Month(day, by_month.get(day, Rate())))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return result


# --- The same figures as a workbook and a report ------------------------------------------------


def describe(filters: Filters, reader: DeadlineReader) -> str:
    """What the figures are, in words: the day, the period, what they are narrowed to."""
    parts = [f"tính đến ngày {reader.on:%d/%m/%Y}"]
    if filters.start or filters.end:
        start = f"{filters.start:%d/%m/%Y}" if filters.start else "…"
        end = f"{filters.end:%d/%m/%Y}" if filters.end else "…"
        parts.append(f"hoàn thành từ {start} đến {end}")
    if filters.session:
        parts.append(f"kỳ đối thoại ngày {filters.session.held_on:%d/%m/%Y}")
    if filters.topic:
        parts.append(f"lĩnh vực {filters.topic.name}")
    if filters.hamlet:
        parts.append(str(filters.hamlet))
    return ", ".join(parts)


def tables(filters: Filters, reader: DeadlineReader, rows: list[RegisterRow] | None = None):
    """(title, header, rows) of the register and of the on-time rates: the dashboard's
    figures, as its workbook and its report show them."""
    if rows is None:
        rows = register(filters, reader)
    buckets = [label for _key, label, *_rest in BUCKETS]
    register_rows = [
        [str(n), row.unit.name, *[count for _kind, _key, count in row.cells()], row.total()]
        for n, row in enumerate(rows, start=1)
    ]
    rates = [
        [str(n), unit.name, rate.done, rate.on_time, rate.late, f"{rate.percent}%"]
        for n, (unit, rate) in enumerate(on_time_by_unit(filters), start=1)
    ]
    return [
        (
            "Sổ theo dõi quá hạn",
            (
                "TT",
                "Cơ quan chủ trì",
                *[f"Việc giao {label}" for label in buckets],
                *[f"Nhiệm vụ {label}" for label in buckets],
                "Tổng số",
            ),
            register_rows,
        ),
        (
            "Tỷ lệ hoàn thành đúng hạn",
            ("TT", "Cơ quan, đơn vị", "Đã hoàn thành", "Đúng hạn", "Chậm", "Tỷ lệ"),
            rates,
        ),
    ]


def report_document(filters: Filters, reader: DeadlineReader):
    from doluong_dialogue import documents as d

    body = [
        d.Paragraph(
            "Ủy ban Kiểm tra Đảng ủy báo cáo tình hình thực hiện các nội dung được giao trả lời "
            "kiến nghị của Nhân dân và nhiệm vụ theo thông báo kết luận "
            f"({describe(filters, reader)}); số ngày quá hạn tính theo ngày làm việc."
        )
    ]
    for number, (title, header, rows) in enumerate(tables(filters, reader), start=1):
        body.append(d.Heading(f"{'I II'.split()[number - 1]}. {title.upper()}"))
        if rows:
            widths = (6, 28, *([66 / (len(header) - 2)] * (len(header) - 2)))
            body.append(
                d.Table(
                    header=header,
                    rows=tuple(tuple(str(cell) for cell in row) for row in rows),
                    widths=widths,
                )
            )
        else:
            body.append(d.Paragraph("Không có số liệu."))
    site = d.Issuer.current()
    return d.PartyDocument(
        code="BC",
        title="Báo cáo giám sát việc thực hiện nội dung được giao",
        day=reader.on,
        type_name="BÁO CÁO",
        summary="tình hình thực hiện các nội dung được giao, các nội dung quá hạn",
        body=body,
        # The Inspection Committee's own report: its header, its number, its signature.
        issuer=d.Issuer(
            superior_body=site.issuing_body,
            issuing_body="ỦY BAN KIỂM TRA",
            place_name=site.place_name,
            code_suffix="UBKT",
        ),
        signatures=[d.Signature(title="CHỦ NHIỆM", authority="T/M ỦY BAN KIỂM TRA")],
        recipients=["Thường trực Đảng ủy"],
    )

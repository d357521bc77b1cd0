"""The Secretary's citizen reception days and the reception register (Sổ tiếp công dân).

Quy định 11-QĐi/TW, amended by Kết luận 215-KL/TW (23/11/2025): the head of the commune Party
committee receives citizens in person at least RECEPTION_DAYS_PER_MONTH days a month, and ad
hoc when a case is pressing, complex, involves many people or could cause serious
consequences. What is raised there joins the petitions' follow-up: a proposal or feedback
becomes a petition received "At a citizen reception" (tiếp dân); a complaint or denunciation
is recorded and routed out at intake to its legal channel.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError
from petitions.models import Petition
from petitions.services import PetitionData, petition_receive
from sessions.models import ReceptionDay, ReceptionVisit

RECEPTION_DAYS_PER_MONTH = 2
FOLLOW_UP_MAX_LENGTH = 2000
ID_NUMBER = re.compile(r"\d{9}|\d{12}")

# The register's kinds as the petitions' kinds.
PETITION_KIND = {
    ReceptionVisit.Kind.COMPLAINT: Petition.Kind.COMPLAINT,
    ReceptionVisit.Kind.DENUNCIATION: Petition.Kind.DENUNCIATION,
    ReceptionVisit.Kind.PROPOSAL: Petition.Kind.PROPOSAL,
    ReceptionVisit.Kind.FEEDBACK: Petition.Kind.FEEDBACK,
}
LEGAL_KINDS = (ReceptionVisit.Kind.COMPLAINT, ReceptionVisit.Kind.DENUNCIATION)
ROUTED_OUT_GUIDANCE = "Hướng dẫn công dân gửi đơn đến cơ quan có thẩm quyền theo quy định"


def remit_by_kind(kind: str) -> bool:
    """Whether a visit is within the committee's remit when the clerk does not say: a complaint
    or denunciation goes to the body with the power to settle it (Luật Khiếu nại 2011, Luật Tố
    cáo 2018), so it is not; a proposal or feedback is."""
    return kind not in LEGAL_KINDS


@dataclass
class VisitData:
    visitor_name: str
    content: str
    kind: str
    visitor_address: str = ""
    id_number: str = ""
    people_count: int = 1
    handled_before_by: str = ""
    # None: as the kind says (see remit_by_kind).
    within_remit: bool | None = None
    guidance: str = ""
    follow_up: str = ""
    hide_identity: bool = False


def reception_day_schedule(
    *,
    held_on: date,
    starts_at: time,
    location: str,
    actor,
    ends_at: time | None = None,
    ad_hoc: bool = False,
    ad_hoc_reason: str = "",
    on: date | None = None,
) -> ReceptionDay:
    """Put a reception day on the schedule; an ad-hoc one says why (Kết luận 215-KL/TW).
    `on` is the day it is scheduled (today unless the demo replays the year)."""
    errors = []
    if held_on < (on or clock.today()):
        errors.append(RuleError(_("A reception day cannot be in the past."), field="held_on"))
    if not location.strip():
        errors.append(RuleError(_("Enter the place of the reception."), field="location"))
    if ends_at is not None and ends_at <= starts_at:
        errors.append(RuleError(_("The reception must end after it starts."), field="ends_at"))
    if ad_hoc and ad_hoc_reason not in ReceptionDay.Reason.values:
        errors.append(
            RuleError(
                _("An ad-hoc reception day needs its reason from the list."),
                field="ad_hoc_reason",
            )
        )
    if errors:
        raise RuleError.combine(errors)
    return ReceptionDay.objects.create(
        held_on=held_on,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        ad_hoc=ad_hoc,
        ad_hoc_reason=ad_hoc_reason if ad_hoc else "",
        created_by=actor,
        created_at=clock.moment(on) if on else clock.now(),
    )


def _plain_id_number(text: str) -> str:
    """The ID number as typed, without the spaces or dots some write between groups."""
    return re.sub(r"[\s.]", "", text)


def visit_errors(data: VisitData) -> list[RuleError]:
    errors = []
    if not data.visitor_name.strip():
        errors.append(RuleError(_("Enter the visitor's name."), field="visitor_name"))
    if not data.content.strip():
        errors.append(RuleError(_("Enter a summary of what was raised."), field="content"))
    if data.id_number.strip() and not ID_NUMBER.fullmatch(_plain_id_number(data.id_number)):
        errors.append(
            RuleError(
                _("The ID number has 9 or 12 digits (identity card or citizen ID card)."),
                field="id_number",
            )
        )
    if data.kind not in ReceptionVisit.Kind.values:
        errors.append(RuleError(_("Choose the kind of the case."), field="kind"))
    if data.people_count < 1:
        errors.append(RuleError(_("At least one person came."), field="people_count"))
    return errors


def next_number(year: int) -> int:
    """The register's next order number: the register is numbered through the year."""
    last = ReceptionVisit.objects.filter(day__held_on__year=year)
    return (last.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def reception_visit_record(
    *, day: ReceptionDay, data: VisitData, actor, on: date | None = None
) -> ReceptionVisit:
    """Write one line of the register and send what was raised into the petitions' flow.

    A proposal or feedback becomes a petition received "At a citizen reception"; a complaint or
    denunciation becomes a petition routed out at intake (petition_receive does it), the
    guidance given being its legal channel note.
    """
    errors = visit_errors(data)
    if day.cancelled:
        errors.append(RuleError(_("This reception day was cancelled.")))
    elif day.held_on > (on or clock.today()):
        errors.append(RuleError(_("Visits are recorded on or after the reception day.")))
    if errors:
        raise RuleError.combine(errors)
    year = day.held_on.year
    # The register is numbered through the year: lock the year's days (every visit belongs
    # to one of them) so that two clerks saving at once take two numbers, never the same.
    list(
        ReceptionDay.objects.select_for_update()
        .filter(held_on__year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    number = next_number(year)
    legal = data.kind in LEGAL_KINDS
    # A complaint or denunciation is always routed out: when nothing was typed, the register's
    # column "guidance given or transfer made" says the same as the petition's legal note.
    guidance = data.guidance.strip() or (ROUTED_OUT_GUIDANCE if legal else "")
    petition = petition_receive(
        data=PetitionData(
            summary=data.content.strip()[:300],
            content=data.content.strip(),
            petitioner_name=data.visitor_name.strip(),
            petitioner_address=data.visitor_address.strip(),
            channel=Petition.Channel.RECEPTION,
            received_on=day.held_on,
            kind=PETITION_KIND[data.kind],
            is_group=data.people_count > 1,
            people_count=data.people_count,
            hide_identity=data.hide_identity,
            legal_channel_note=guidance if legal else "",
        ),
        actor=actor,
        note="Tiếp công dân ngày " + f"{day.held_on:%d/%m/%Y}",
        on=max(day.held_on, on or clock.today()),
    )
    return ReceptionVisit.objects.create(
        day=day,
        number=number,
        visitor_name=data.visitor_name.strip(),
        visitor_address=data.visitor_address.strip(),
        id_number=_plain_id_number(data.id_number),
        content=data.content.strip(),
        kind=data.kind,
        people_count=data.people_count,
        handled_before_by=data.handled_before_by.strip(),
        within_remit=remit_by_kind(data.kind) if data.within_remit is None else data.within_remit,
        guidance=guidance,
        follow_up=data.follow_up.strip(),
        petition=petition,
        created_by=actor,
        created_at=clock.moment(on) if on else clock.now(),
    )


@transaction.atomic
def reception_day_cancel(
    *, day: ReceptionDay, reason: str, actor, on: date | None = None
) -> ReceptionDay:
    """Take a day off the schedule, saying why; a day whose visits are in the register took
    place and stays."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.cancelled:
        raise RuleError(_("This reception day was cancelled."))
    if day.visits.exists():
        raise RuleError(
            _("Visits are recorded for this day: it took place and cannot be cancelled.")
        )
    if not reason.strip():
        raise RuleError(_("Say why the reception day is cancelled."), field="cancel_reason")
    day.cancelled = True
    day.cancel_reason = reason.strip()
    day.cancelled_by = actor
    day.cancelled_at = clock.moment(on) if on else clock.now()
    day.save(update_fields=["cancelled", "cancel_reason", "cancelled_by", "cancelled_at"])
    return day


@transaction.atomic
def reception_day_mark_held(*, day: ReceptionDay, actor, on: date | None = None) -> ReceptionDay:
    """Record that a day took place though no visit is in the register (no citizen came)."""
    day = ReceptionDay.objects.select_for_update().get(pk=day.pk)
    if day.cancelled:
        raise RuleError(_("This reception day was cancelled."))
    if day.held_on > (on or clock.today()):
        raise RuleError(_("A reception day is marked held on or after the day."))
    day.marked_held = True
    day.save(update_fields=["marked_held"])
    return day


@transaction.atomic
def reception_visit_follow_up(*, visit: ReceptionVisit, follow_up: str, actor) -> ReceptionVisit:
    """Write, later, the register's column "follow-up of the result" of one line: the only
    column that changes once the visit is recorded (the rest is what was said that day).
    Blank clears it, and the page shows the petition's outcome again."""
    visit = ReceptionVisit.objects.select_for_update().get(pk=visit.pk)
    text = follow_up.strip()
    if len(text) > FOLLOW_UP_MAX_LENGTH:
        raise RuleError(
            _("Keep the follow-up within %(max)s characters.") % {"max": FOLLOW_UP_MAX_LENGTH},
            field="follow_up",
        )
    visit.follow_up = text
    visit.save(update_fields=["follow_up"])
    return visit


# --- The monthly minimum ------------------------------------------------------------------------
#
# Quy định 11-QĐi/TW as amended by Kết luận 215-KL/TW: at least RECEPTION_DAYS_PER_MONTH days
# of the schedule a month; ad-hoc days come on top and do not make up for a missing one.
# "Scheduled" counts the month's regular days not cancelled; "held" those of them that took
# place (ReceptionDayQuerySet.held: the date has come and a visit is recorded or the office
# marked the day held). The current month is short when fewer are scheduled than required,
# a past month of the year when fewer were held.


@dataclass
class MonthCount:
    year: int
    month: int
    scheduled: int
    held: int
    ad_hoc: int
    required: int
    state: str  # "past", "current" or "coming"

    @property
    def short(self) -> bool:
        if self.state == "past":
            return self.held < self.required
        if self.state == "current":
            return self.scheduled < self.required
        return False

    @property
    def figure(self) -> str:
        """What the warning counts: "held" for a past month, "scheduled" otherwise."""
        return "held" if self.state == "past" else "scheduled"


def days_listed(year: int, month: int | None = None, show: str = "", *, on: date):
    """The days the schedule page lists: of the year or one month, all of them or only the
    scheduled (regular, not cancelled), held (regular, held), ad-hoc or cancelled ones."""
    days = ReceptionDay.objects.filter(held_on__year=year)
    if month:
        days = days.filter(held_on__month=month)
    if show == "scheduled":
        days = days.regular().active()
    elif show == "held":
        days = days.regular().held(on=on)
    elif show == "ad_hoc":
        days = days.filter(ad_hoc=True).active()
    elif show == "cancelled":
        days = days.filter(cancelled=True)
    # Explicit: the page counts the visits with a GROUP BY, and Django drops the model's
    # ordering from a grouped query (an ad-hoc day would come last, not in its place).
    return days.order_by("held_on", "starts_at", "pk")


def months_of_year(year: int, *, on: date | None = None) -> list[MonthCount]:
    """Scheduled, held and ad-hoc days of every month of `year`, against the minimum."""
    on = on or clock.today()
    days = ReceptionDay.objects.filter(held_on__year=year).active()
    scheduled = dict(
        days.regular()
        .values("held_on__month")
        .annotate(n=Count("pk"))
        .values_list("held_on__month", "n")
    )
    held = dict(
        days.regular()
        .held(on=on)
        .values("held_on__month")
        .annotate(n=Count("pk"))
        .values_list("held_on__month", "n")
    )
    ad_hoc = dict(
        days.filter(ad_hoc=True)
        .values("held_on__month")
        .annotate(n=Count("pk"))
        .values_list("held_on__month", "n")
    )
    months = []
    for month in range(1, 13):
        if (year, month) < (on.year, on.month):
            state = "past"
        elif (year, month) == (on.year, on.month):
            state = "current"
        else:
            state = "coming"
        months.append(
            MonthCount(
                year,
                month,
                scheduled.get(month, 0),
                held.get(month, 0),
                ad_hoc.get(month, 0),
                RECEPTION_DAYS_PER_MONTH,
                state,
            )
        )
    return months


def month_shortfalls(*, on: date | None = None) -> list[MonthCount]:
    """The months of this year, up to the current one, short of the minimum (the home
    pages of the Secretary and the Party Office warn of them)."""
    on = on or clock.today()
    return [month for month in months_of_year(on.year, on=on) if month.short]


def visits_of_month(year: int, month: int):
    return (
        ReceptionVisit.objects.filter(day__held_on__year=year, day__held_on__month=month)
        .select_related("day", "petition")
        .order_by("day__held_on", "number")
    )


REGISTER_HEADER = (
    "STT",
    "Ngày tiếp",
    "Họ tên",
    "Địa chỉ, số CMND/CCCD",
    "Nội dung vụ việc",
    "Phân loại",
    "Số người",
    "Cơ quan đã giải quyết",
    "Thuộc thẩm quyền",
    "Hướng dẫn, chuyển đơn",
    "Theo dõi kết quả",
)
# The columns' widths in the workbook (characters): the content and the guidance are read in
# full, the register printed on landscape pages.
REGISTER_WIDTHS = (6, 12, 22, 28, 50, 11, 8, 24, 11, 36, 24)
KIND_VI = {
    ReceptionVisit.Kind.COMPLAINT: "Khiếu nại",
    ReceptionVisit.Kind.DENUNCIATION: "Tố cáo",
    ReceptionVisit.Kind.PROPOSAL: "Kiến nghị",
    ReceptionVisit.Kind.FEEDBACK: "Phản ánh",
}


def mask_id_number(id_number: str) -> str:
    """The ID number as those who may not read it see it: its last four digits."""
    if not id_number:
        return ""
    return "•" * (len(id_number) - 4) + id_number[-4:]


# A visitor who asked to stay unnamed, as the register shows them to whoever may not know them.
WITHHELD = "Giữ bí mật danh tính"


def identity_withheld(visit, show_identity: Callable | None) -> bool:
    """Whether the visitor is to be masked: they asked to stay unnamed and the reader may not
    know them (`show_identity(petition)`, petitions.permissions.can_see_identity)."""
    petition = visit.petition
    if petition is None or not petition.hide_identity or show_identity is None:
        return False
    return not show_identity(petition)


def register_rows(
    visits, *, show_id_numbers: bool, show_identity: Callable | None = None
) -> list[tuple[str, ...]]:
    """The register's lines, every cell a text, in the columns of Mẫu 03; the ID numbers in
    full only for those who may read them (sessions.permissions.can_see_id_numbers); a
    visitor who asked to stay unnamed masked for whoever may not know them."""
    rows = []
    for visit in visits:
        address = visit.visitor_address
        id_number = visit.id_number if show_id_numbers else mask_id_number(visit.id_number)
        name = visit.visitor_name
        if identity_withheld(visit, show_identity):
            name, address, id_number = WITHHELD, "", ""
        if id_number:
            address = f"{address}; {id_number}" if address else id_number
        rows.append(
            (
                str(visit.number),
                f"{visit.day.held_on:%d/%m/%Y}",
                name,
                address,
                visit.content,
                KIND_VI[visit.kind],
                str(visit.people_count),
                visit.handled_before_by,
                "Có" if visit.within_remit else "Không",
                visit.guidance,
                visit.follow_up,
            )
        )
    return rows


def register_workbook(
    year: int, month: int, *, show_id_numbers: bool, show_identity: Callable | None = None
) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from doluong_dialogue import spreadsheets

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"So tiep cong dan {month:02d}-{year}")
    for index, width in enumerate(REGISTER_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    sheet.page_setup.orientation = "landscape"
    wrapped = Alignment(wrap_text=True, vertical="top")

    def cells(values, *, bold=False):
        row = [spreadsheets.text_cell(sheet, value, bold=bold) for value in values]
        for cell in row:
            cell.alignment = wrapped
        return row

    sheet.append(
        [spreadsheets.text_cell(sheet, f"SỔ TIẾP CÔNG DÂN — THÁNG {month:02d}/{year}", bold=True)]
    )
    sheet.append(cells(REGISTER_HEADER, bold=True))
    lines = register_rows(
        visits_of_month(year, month), show_id_numbers=show_id_numbers, show_identity=show_identity
    )
    for line in lines:
        sheet.append(cells(line))
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def register_document(
    year: int,
    month: int,
    *,
    show_id_numbers: bool,
    show_identity: Callable | None = None,
    day: date | None = None,
):
    from doluong_dialogue import documents as d

    rows = register_rows(
        visits_of_month(year, month), show_id_numbers=show_id_numbers, show_identity=show_identity
    )
    body = [
        d.Paragraph(
            f"Tháng {month:02d} năm {year}: {len(rows)} lượt tiếp công dân "
            "(Mẫu 03, Thông tư 04/2021/TT-TTCP)."
        ),
        d.Table(
            header=REGISTER_HEADER,
            rows=tuple(rows) or (("", "", "Không có lượt tiếp", "", "", "", "", "", "", "", ""),),
            widths=(4, 8, 10, 13, 20, 7, 5, 9, 7, 11, 6),
        ),
    ]
    return d.PartyDocument(
        code="STCD",
        title=f"Sổ tiếp công dân tháng {month:02d}/{year}",
        day=day or clock.today(),
        type_name="SỔ TIẾP CÔNG DÂN",
        summary=f"Tháng {month:02d} năm {year}",
        body=body,
        signatures=[],
        recipients=None,
    )


def register_pdf(
    year: int, month: int, *, show_id_numbers: bool, show_identity: Callable | None = None
) -> bytes:
    from doluong_dialogue import documents as d

    return d.render_pdf(
        register_document(
            year, month, show_id_numbers=show_id_numbers, show_identity=show_identity
        ),
        template="sessions/reception/register_document.html",
    )

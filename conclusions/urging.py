"""Formal urging letters (công văn đôn đốc): the Party Office asks the unit that leads an
overdue assignment or directive to finish it and report by a date.

A letter is drafted from the item (its words can be changed, and its Word copy downloaded),
then issued: it takes the next "CV" number of the term, the documents worker renders its PDF,
the item's timeline says so, and the unit is e-mailed the PDF once it is ready (durable side
effects).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from conclusions.models import Directive, DirectiveEvent, UrgingLetter
from conclusions.permissions import can_urge
from doluong_dialogue import clock, side_effects, text, workdays
from doluong_dialogue import documents as d
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.rules import RuleError
from petitions import permissions
from petitions.models import Assignment, PetitionEvent

BUILDER = "conclusions.urging"
EMAIL = "conclusions.urging_email"
REPLY_WORKING_DAYS = 5
Status = UrgingLetter.Status


def _what(item) -> str:
    if isinstance(item, Assignment):
        petition = item.petition
        return f"giải quyết, trả lời kiến nghị {petition.code} ({petition.summary.rstrip('. ')})"
    number = item.conclusion.number or 0
    task = text.lower_first(item.task.rstrip(". "))
    return f"thực hiện nhiệm vụ được giao tại Thông báo kết luận số {number:02d}-TB/ĐU: {task}"


def default_request(item, reply_by: date) -> str:
    return (
        f"Đề nghị {item_unit(item).name} khẩn trương {_what(item)}; báo cáo kết quả về "
        f"Thường trực Đảng ủy (qua Văn phòng Đảng ủy) trước ngày {reply_by:%d/%m/%Y}."
    )


def item_unit(item):
    return item.department if isinstance(item, Assignment) else item.lead


@transaction.atomic
def urging_draft(*, item, actor: User, on: date | None = None) -> UrgingLetter:
    """A draft letter about an overdue item, with the words the Party Office usually writes."""
    if not can_urge(actor):
        raise RuleError(_("Only the Party Office sends urging letters."))
    today = on or clock.today()
    if not (item.is_running and item.deadline < today):
        raise RuleError(_("An urging letter is sent about an item that is overdue."))
    reply_by = workdays.add_working_days(today, REPLY_WORKING_DAYS)
    return UrgingLetter.objects.create(
        assignment=item if isinstance(item, Assignment) else None,
        directive=item if isinstance(item, Directive) else None,
        unit=item_unit(item),
        request=default_request(item, reply_by),
        reply_by=reply_by,
        created_by=actor,
        created_at=clock.moment(on),
    )


@dataclass
class LetterData:
    request: str
    reply_by: date | None


def _lock(letter: UrgingLetter) -> UrgingLetter:
    return UrgingLetter.objects.select_for_update().get(pk=letter.pk)


@transaction.atomic
def urging_update(
    *, letter: UrgingLetter, data: LetterData, actor: User, on: date | None = None
) -> UrgingLetter:
    if not can_urge(actor):
        raise RuleError(_("Only the Party Office sends urging letters."))
    letter = _lock(letter)
    if not letter.is_draft:
        raise RuleError(_("The letter is issued: its words no longer change."))
    words = " ".join((data.request or "").split())
    errors = []
    if not words:
        errors.append(RuleError(_("Say what the unit is asked to do."), field="request"))
    if data.reply_by is None:
        errors.append(RuleError(_("Give the day to report by."), field="reply_by"))
    elif data.reply_by <= (on or clock.today()):
        errors.append(RuleError(_("The day to report by must be after today."), field="reply_by"))
    if errors:
        raise RuleError.combine(errors)
    letter.request, letter.reply_by = words, data.reply_by
    letter.save(update_fields=["request", "reply_by"])
    return letter


@transaction.atomic
def urging_issue(*, letter: UrgingLetter, actor: User, on: date | None = None) -> UrgingLetter:
    if not can_urge(actor):
        raise RuleError(_("Only the Party Office sends urging letters."))
    letter = _lock(letter)
    if not letter.is_draft:
        raise RuleError(
            _("The letter was issued already (number %(number)s).")
            % {"number": f"{letter.number:02d}"}
        )
    today = on or clock.today()
    if letter.reply_by <= today:
        raise RuleError(_("The day to report by must be after today."), field="reply_by")
    letter.number = d.next_number("CV")
    letter.term_start = d.current_term().start
    letter.status = Status.ISSUED
    letter.issued_on = today
    letter.issued_by = actor
    letter.save()
    note = f"Công văn số {letter.number:02d}-CV/ĐU, báo cáo trước {letter.reply_by:%d/%m/%Y}"
    if letter.assignment_id:
        PetitionEvent.record(
            letter.assignment.petition,
            actor,
            PetitionEvent.Kind.URGED,
            from_status=letter.assignment.petition.status,
            note=note,
            at=clock.moment(on),
        )
    else:
        DirectiveEvent.record(
            letter.directive,
            actor,
            DirectiveEvent.Kind.URGED,
            from_status=letter.directive.status,
            note=note,
            at=clock.moment(on),
        )
    d.request_pdf(
        pdf_key(letter),
        builder=BUILDER,
        object_id=letter.pk,
        title=f"Công văn số {letter.number:02d}-CV đôn đốc {letter.unit.name}",
        version=str(letter.number),
    )
    side_effects.schedule(EMAIL, key=f"{EMAIL}:{letter.pk}", letter_id=letter.pk)
    return letter


def pdf_key(letter: UrgingLetter) -> str:
    return f"{BUILDER}:{letter.pk}"


def pdf_record(letter: UrgingLetter):
    return d.RenderedDocument.objects.filter(key=pdf_key(letter)).first()


# --- The document ------------------------------------------------------------------------------


def letter_document(letter: UrgingLetter) -> d.PartyDocument:
    site = SiteConfiguration.load()
    item = letter.item
    reader = DeadlineReader(letter.issued_on or clock.today())
    late = reader.overdue_days(item.deadline)
    if isinstance(item, Assignment):
        given = (
            f"Ngày {item.assigned_on:%d/%m/%Y}, Ban Thường vụ {site.short_name} giao "
            f"{letter.unit.name} chủ trì giải quyết, trả lời kiến nghị {item.petition.code} "
            f"của Nhân dân ({item.petition.summary.rstrip('. ')}), thời hạn trước ngày "
            f"{item.deadline:%d/%m/%Y}."
        )
    else:
        conclusion = item.conclusion
        given = (
            f"Tại Thông báo kết luận số {conclusion.number or 0:02d}-TB/ĐU ngày "
            f"{conclusion.signed_on or item.deadline:%d/%m/%Y}, {letter.unit.name} được giao "
            f"chủ trì {text.lower_first(item.task.rstrip('. '))}, thời hạn hoàn thành trước ngày "
            f"{item.deadline:%d/%m/%Y}."
        )
    return d.PartyDocument(
        code="CV",
        title=str(letter),
        day=letter.issued_on or clock.today(),
        number=letter.number,
        subject="V/v đôn đốc thực hiện nhiệm vụ được giao",
        body=[
            d.Addressee((letter.unit.name,)),
            d.Paragraph(given),
            d.Paragraph(
                f"Đến nay đã quá hạn {late} ngày làm việc nhưng Thường trực Đảng ủy chưa nhận "
                "được báo cáo kết quả."
            ),
            d.Paragraph(letter.request),
            d.Paragraph(
                f"Ban Thường vụ {site.short_name} đề nghị {letter.unit.name} nghiêm túc thực "
                "hiện./.",
                keep_with_next=True,
            ),
        ],
        # Sent to the unit; the Inspection Committee follows it.
        recipients=["Như trên", "Ủy ban Kiểm tra Đảng ủy (để theo dõi)"],
        final=not letter.is_draft,
    )


def build_letter(letter_id: int) -> d.PartyDocument:
    return letter_document(
        UrgingLetter.objects.select_related(
            "unit", "assignment__petition", "directive__conclusion"
        ).get(pk=letter_id)
    )


def _may_read(user, letter_id) -> bool:
    return permissions.Access(user).read_all


class LetterNotReady(Exception):
    """The PDF is not rendered yet: the e-mail is tried again later."""


def send_letter_email(*, letter_id: int) -> None:
    from conclusions.effects import send_mail, unit_addresses

    letter = UrgingLetter.objects.select_related("unit").filter(pk=letter_id).first()
    if letter is None:
        return
    recipients = unit_addresses(letter.unit)
    if not recipients:
        return
    record = pdf_record(letter)
    if record is None or not record.is_ready:
        raise LetterNotReady(f"The PDF of urging letter {letter_id} is not rendered yet.")
    with record.file.open("rb") as pdf:
        attachment = (f"cong-van-don-doc-so-{letter.number:02d}.pdf", pdf.read(), "application/pdf")
    send_mail("urging", {"letter": letter}, sorted(recipients), attachments=[attachment])


def register() -> None:
    d.register_builder(BUILDER, build_letter, may_read=_may_read)
    side_effects.register(EMAIL, send_letter_email)

"""The conclusion's first draft, written from the session: its agenda, what was said and
answered at it, the units' answers and the petitions' outcomes, in the sections of plan
section III.6.2.1 — what was dialogued and what was not, what is resolved, what is being and
will be resolved, and who must answer by when (the directives).

The text is Vietnamese whatever the interface language: it is the document's own words.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from petitions.models import Assignment, Department, Petition
from sessions.minutes_text import WEEKDAYS
from sessions.models import AgendaItem, DialogueSession, Speech
from sessions.surveys import satisfaction_sentence

# A directive with no later assignment deadline to follow gets this many working days.
DEFAULT_WORKING_DAYS = 15


@dataclass
class DraftDirective:
    lead: Department
    task: str
    petitions: list[Petition] = field(default_factory=list)
    deadline: date | None = None
    working_days: int | None = None


@dataclass
class Draft:
    summary: str
    opening: str
    dialogued: str
    not_dialogued: str
    resolved: str
    in_progress: str
    closing: str
    directives: list[DraftDirective]
    recipient_units: list[Department]


def _where(petition: Petition) -> str:
    """The hamlet in brackets, unless the summary already names it."""
    unit = petition.residential_unit
    if unit is None or str(unit).casefold() in petition.summary.casefold():
        return ""
    return f" ({unit})"


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" .;")
    return f"{text[:1].upper()}{text[1:]}" if text else ""


def _line(petition: Petition, what: str = "") -> str:
    if petition.hide_identity:
        # The notice is published: a petitioner who asked to stay unknown is not pointed to
        # by their words or their hamlet, only by the receipt code they hold.
        head = f"- Kiến nghị {petition.code} (người kiến nghị đề nghị giữ bí mật)"
    else:
        head = f"- {_sentence(petition.summary)}{_where(petition)}"
    return f"{head}: {what}." if what else f"{head}."


def _session_day(session: DialogueSession) -> str:
    day = session.held_on
    return f"{WEEKDAYS[day.weekday()]}, ngày {day:%d}/{day:%m}/{day.year}"


def _with_survey(session: DialogueSession, closing: str) -> str:
    """The closing section, after the attendees' satisfaction when the survey has answers."""
    sentence = satisfaction_sentence(session)
    return f"{sentence} {closing}" if sentence else closing


def draft_from_session(session: DialogueSession, *, body_name: str) -> Draft:
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("petition__residential_unit", "petition__lead_department")
        .prefetch_related(
            Prefetch(
                "petition__assignments",
                queryset=Assignment.objects.select_related("department").order_by("id"),
            ),
        )
        .order_by("order", "id")
    )
    spoken = defaultdict(list)
    dialogued, not_dialogued, resolved, in_progress = [], [], [], []
    for speech in (
        Speech.objects.filter(session=session).select_related("petition").order_by("order", "id")
    ):
        if speech.agenda_item_id:
            if speech.answer:
                spoken[speech.agenda_item_id].append(speech)
        elif session.organiser_id:
            # An organisation's dialogue: what members raised, and the answer given there.
            dialogued.append(_spoken_line(speech))

    owed: dict[int, DraftDirective] = {}
    for item in items:
        petition = item.petition
        answers = spoken.get(item.pk, [])
        if item.dialogued:
            said = "; ".join(
                f"{speech.answered_by or 'chủ trì'} trả lời: {_sentence(speech.answer)}"
                for speech in answers
            )
            dialogued.append(_line(petition, said))
        else:
            not_dialogued.append(
                _line(
                    petition, "chưa đối thoại tại hội nghị, cơ quan được giao trả lời bằng văn bản"
                )
            )
        outcome = petition.outcome
        if petition.status == Petition.Status.CLOSED and outcome == Petition.Outcome.RESOLVED:
            resolved.append(_line(petition, _sentence(petition.outcome_note) or "đã giải quyết"))
            continue
        running = [a for a in petition.assignments.all() if a.status in ("open", "answered")]
        lead = running[0].department if running else petition.lead_department
        if outcome == Petition.Outcome.SCHEDULED and petition.scheduled_for:
            when = f"sẽ giải quyết xong trước ngày {petition.scheduled_for:%d/%m/%Y}"
        elif running:
            when = (
                f"{running[0].department} đang giải quyết, thời hạn {running[0].deadline:%d/%m/%Y}"
            )
        elif outcome == Petition.Outcome.IN_PROGRESS:
            when = "đang giải quyết"
        else:
            when = ""
        if when:
            in_progress.append(_line(petition, when))
        if lead is None or outcome in (
            Petition.Outcome.REJECTED,
            Petition.Outcome.FORWARDED,
            Petition.Outcome.DUPLICATE,
        ):
            continue
        directive = owed.get(lead.pk)
        if directive is None:
            directive = owed[lead.pk] = DraftDirective(lead=lead, task="")
        directive.petitions.append(petition)
        latest = max((a.deadline for a in running), default=None)
        if (
            latest
            and latest > session.held_on
            and (directive.deadline is None or latest > directive.deadline)
        ):
            directive.deadline = latest

    directives = []
    for directive in owed.values():
        # The linked petitions' codes follow the task in the notice ("(kiến nghị KN-…)").
        directive.task = "giải quyết dứt điểm và trả lời bằng văn bản cho Nhân dân"
        if directive.deadline is None:
            directive.working_days = DEFAULT_WORKING_DAYS
        directives.append(directive)

    if session.organiser_id:
        return _organisation_draft(session, body_name, dialogued, not_dialogued, resolved)
    presiding = "; ".join(f"đồng chí {name}, {title}" for title, name in session.presiding)
    opening = (
        f"Vào {_session_day(session)}, tại {session.location or '…'}, {body_name} tổ chức "
        f"{session.title[:1].lower()}{session.title[1:]}"
        + (f" do {presiding} chủ trì" if presiding else "")
        + ". Sau khi nghe ý kiến, kiến nghị của cán bộ, đảng viên và Nhân dân, ý kiến trả lời "
        "của các cơ quan, đơn vị, đồng chí chủ trì hội nghị kết luận như sau:"
    )
    return Draft(
        summary=(
            "Kết luận của đồng chí Bí thư Đảng ủy tại hội nghị tiếp xúc, đối thoại với Nhân dân "
            f"ngày {session.held_on:%d/%m/%Y}"
        ),
        opening=opening,
        dialogued="\n".join(dialogued) or "- Không có nội dung.",
        not_dialogued="\n".join(not_dialogued) or "- Không có nội dung.",
        resolved="\n".join(resolved) or "- Không có nội dung.",
        in_progress="\n".join(in_progress) or "- Không có nội dung.",
        closing=_with_survey(
            session,
            "Văn phòng Đảng ủy theo dõi, đôn đốc các cơ quan, đơn vị thực hiện; định kỳ tổng "
            "hợp, báo cáo Thường trực Đảng ủy. Ủy ban Kiểm tra Đảng ủy kiểm tra, giám sát việc "
            "thực hiện kết luận.",
        ),
        directives=directives,
        recipient_units=[directive.lead for directive in directives],
    )


def _spoken_line(speech: Speech) -> str:
    who = speech.speaker + (f" ({speech.speaker_from})" if speech.speaker_from else "")
    sentences = [f"- {who}: {_sentence(speech.raised)}."]
    if speech.answer:
        sentences.append(f"{speech.answered_by or 'Chủ trì'} trả lời: {_sentence(speech.answer)}.")
    if speech.petition_id:
        sentences.append(f"Đã chuyển Đảng ủy, chính quyền xã (kiến nghị {speech.petition.code}).")
    return " ".join(sentences)


def _organisation_draft(session, body_name, dialogued, not_dialogued, resolved) -> Draft:
    """An organisation's own dialogue with its members (plan section IV.2): concluded by its
    head; what needs the commune is forwarded to it, not directed to its units."""
    from sessions.organisers import style_of

    style = style_of(session.organiser)
    head = style.head_label
    presiding = "; ".join(f"đồng chí {name}, {title}" for title, name in session.presiding)
    opening = (
        f"Vào {_session_day(session)}, tại {session.location or '…'}, {body_name} tổ chức "
        f"{session.title[:1].lower()}{session.title[1:]}"
        + (f" do {presiding} chủ trì" if presiding else "")
        + f". Sau khi nghe ý kiến, kiến nghị của {style.members}, đồng chí chủ trì hội nghị kết "
        "luận như sau:"
    )
    return Draft(
        summary=(
            f"Kết luận của đồng chí {head} tại hội nghị đối thoại với {style.members} "
            f"ngày {session.held_on:%d/%m/%Y}"
        ),
        opening=opening,
        dialogued="\n".join(dialogued) or "- Không có nội dung.",
        not_dialogued="\n".join(not_dialogued) or "- Không có nội dung.",
        resolved="\n".join(resolved) or "- Không có nội dung.",
        in_progress="- Các kiến nghị vượt thẩm quyền được tổng hợp, chuyển Đảng ủy, Ủy ban nhân "
        "dân xã xem xét, giải quyết theo quy định.",
        closing=_with_survey(
            session,
            f"{style.branches} tiếp tục nắm bắt tâm tư, nguyện vọng của {style.members}; "
            "tổng hợp, báo cáo kết quả theo chủ đề tiếp xúc, đối thoại.",
        ),
        directives=[],
        recipient_units=[],
    )

"""Every change of a dialogue session, each in one transaction with its event row.

Views, the demo data and the tests call these; a refusal is a `RuleError` naming the field it
is about, which the views put beside what was typed.
"""

import calendar
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from uuid import UUID

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doluong_dialogue import clock, side_effects, workdays
from doluong_dialogue.rules import RuleError
from petitions import services as petition_services
from petitions.models import Department, Petition, ResidentialUnit, Topic
from sessions import effects, organisers
from sessions.minutes_text import draw_up_minutes
from sessions.models import (
    AgendaItem,
    DialogueSession,
    Invitation,
    Invitee,
    Minutes,
    PreparationStep,
    SessionAttachment,
    SessionEvent,
    Speech,
)

Status = DialogueSession.Status
Kind = DialogueSession.Kind
Event = SessionEvent.Kind

# Luật Tổ chức chính quyền địa phương 2025, Điều 43: residents are told of a dialogue at least
# 7 days before it; a shorter notice must be explained. That is the Party committee's dialogue
# with the people (plan section II.6.1: "Thông báo cho Nhân dân được biết"); an
# organisation's dialogue with its own officials and members (plan section IV.2) sets no notice
# period: the organisation invites its members through its branches.
NOTICE_DAYS = 7


def notice_days_required(session: DialogueSession) -> int:
    return 0 if session.is_organisations else NOTICE_DAYS


def when_held(days: int) -> str:
    """How far off a session is, as a sentence reads it: today, tomorrow, in n days."""
    if days == 0:
        return _("The session is today")
    if days == 1:
        return _("The session is tomorrow")
    return _("The session is in %(days)s days") % {"days": days}


def _short_notice(days: int, required: int) -> str:
    if days == 0:
        text = _(
            "The session is today: residents must be told at least %(required)s days before. "
            "Give the reason for the short notice."
        )
    elif days == 1:
        text = _(
            "The session is tomorrow: residents must be told at least %(required)s days "
            "before. Give the reason for the short notice."
        )
    else:
        text = _(
            "The session is in %(days)s days: residents must be told at least %(required)s "
            "days before. Give the reason for the short notice."
        )
    return text % {"days": days, "required": required}


def _notice_note(days: int) -> str:
    if days == 0:
        return _("on the day of the session")
    return ngettext("%(days)s day before the session", "%(days)s days before the session", days) % {
        "days": days
    }


# A petition that left the answering this way is not put to a session.
NOT_FOR_AN_AGENDA = (Petition.Status.ROUTED_OUT,)


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _lock(session: DialogueSession) -> DialogueSession:
    return DialogueSession.objects.select_for_update().get(pk=session.pk)


def _record(session, actor, kind, *, from_status="", note="", on=None) -> SessionEvent:
    return SessionEvent.record(
        session, actor, kind, from_status=from_status, note=note, at=clock.moment(on)
    )


# --- Planning ----------------------------------------------------------------------------


@dataclass
class SessionData:
    """What planning records about a session (the form and the demo data)."""

    title: str
    kind: str
    held_on: date
    starts_at: time | None = None
    location: str = ""
    half_year: int | None = None
    topics: Sequence[Topic] = ()
    pressing_issue: str = ""
    decided_by: str = ""
    chair: str = DialogueSession.Chair.SECRETARY
    secretary_name: str = ""
    council_chair_name: str = ""
    committee_chair_name: str = ""
    participating_units: Sequence[Department] = ()
    advisory_unit: Department | None = None
    target_audience: str = ""
    # An organisation's own dialogue (plan section IV.2): chaired by its own head.
    organiser: Department | None = None
    organiser_head_name: str = ""

    SCALARS = (
        "title",
        "kind",
        "held_on",
        "starts_at",
        "location",
        "half_year",
        "pressing_issue",
        "decided_by",
        "chair",
        "secretary_name",
        "council_chair_name",
        "committee_chair_name",
        "advisory_unit",
        "target_audience",
        "organiser",
        "organiser_head_name",
    )

    @classmethod
    def of(cls, session: DialogueSession) -> "SessionData":
        return cls(
            **{name: getattr(session, name) for name in cls.SCALARS},
            topics=list(session.topics.all()),
            participating_units=list(session.participating_units.all()),
        )


def half_of(day: date) -> int:
    return 1 if day.month <= 6 else 2


def session_data_errors(
    data: SessionData, *, on: date | None = None, past_allowed: bool = False
) -> list[RuleError]:
    """What planning refuses in `data`, every refusal at once."""
    on = on or clock.today()
    errors = []
    if not data.title.strip():
        errors.append(RuleError(_("Give the session a title."), field="title"))
    if data.held_on < on and not past_allowed:
        errors.append(
            RuleError(
                _("%(date)s has already passed: a session is planned for a day to come.")
                % {"date": f"{data.held_on:%d/%m/%Y}"},
                field="held_on",
            )
        )
    if data.kind == Kind.PERIODIC:
        if data.half_year not in (1, 2):
            errors.append(RuleError(_("Say which half of the year it covers."), field="half_year"))
        elif data.half_year != half_of(data.held_on):
            errors.append(
                RuleError(
                    _("The session of that half of the year is held in that half of the year."),
                    field="held_on",
                )
            )
    if data.organiser is not None:
        if data.organiser.kind != Department.Kind.FRONT:
            errors.append(
                RuleError(
                    _("Only the Front or a mass organisation holds its own dialogue."),
                    field="organiser",
                )
            )
        if not _text(data.organiser_head_name):
            errors.append(
                RuleError(
                    _("Give the name of the organisation's head, who chairs the dialogue."),
                    field="organiser_head_name",
                )
            )
    if data.kind == Kind.THEMATIC and not data.topics:
        errors.append(
            RuleError(_("A thematic session is about one topic at least."), field="topics")
        )
    if data.kind == Kind.AD_HOC:
        if not data.pressing_issue.strip():
            errors.append(
                RuleError(
                    _("Say what pressing issue calls for the session."), field="pressing_issue"
                )
            )
        if not data.decided_by.strip():
            errors.append(
                RuleError(
                    _("Say who decided to hold it (the Standing Committee of the Party)."),
                    field="decided_by",
                )
            )
    return errors


def _apply(session: DialogueSession, data: SessionData) -> None:
    for name in SessionData.SCALARS:
        value = getattr(data, name)
        setattr(session, name, _text(value) if isinstance(value, str) else value)
    if session.kind != Kind.PERIODIC:
        session.half_year = None
    if session.kind != Kind.AD_HOC:
        session.pressing_issue = ""
        session.decided_by = ""
    if session.organiser_id is not None:
        # The organisation's head chairs its dialogue; the commune's leaders do not.
        session.chair = DialogueSession.Chair.ORGANISATION
        session.secretary_name = session.council_chair_name = session.committee_chair_name = ""
    else:
        session.organiser_head_name = ""
        if session.chair == DialogueSession.Chair.ORGANISATION:
            session.chair = DialogueSession.Chair.SECRETARY
    session.year = session.held_on.year


@transaction.atomic
def session_create(*, data: SessionData, actor: User, on: date | None = None) -> DialogueSession:
    errors = session_data_errors(data, on=on)
    if errors:
        raise RuleError.combine(errors)
    session = DialogueSession(created_by=actor)
    _apply(session, data)
    session.save()
    session.topics.set(data.topics)
    session.participating_units.set(data.participating_units)
    _record(session, actor, Event.PLANNED, note=f"{session.held_on:%d/%m/%Y}", on=on)
    return session


@transaction.atomic
def session_update(
    *, session: DialogueSession, data: SessionData, actor: User, on: date | None = None
) -> DialogueSession:
    """Correct a session being prepared. The date of an announced session moves only by a
    postponement, which tells the residents again."""
    session = _lock(session)
    if not session.is_being_prepared:
        raise RuleError(_("Only a session still being prepared can be edited."))
    if data.organiser != session.organiser:
        raise RuleError(_("A session keeps the body that organises it."), field="organiser")
    if session.status == Status.ANNOUNCED and data.held_on != session.held_on:
        raise RuleError(
            _("The session has been announced: postpone it to move its date."), field="held_on"
        )
    errors = session_data_errors(data, on=on, past_allowed=data.held_on == session.held_on)
    if errors:
        raise RuleError.combine(errors)
    _apply(session, data)
    session.save()
    session.topics.set(data.topics)
    session.participating_units.set(data.participating_units)
    _record(session, actor, Event.EDITED, from_status=session.status, on=on)
    if session.status == Status.ANNOUNCED:
        effects.request_announcement_pdf(session)  # the posted notice follows the change
    return session


def default_periodic_day(year: int, half: int) -> date:
    """Where the plan's periodic sessions fall unless staff choose otherwise: the first working
    day from the 15th of June (first half) or of December (second half)."""
    day = date(year, 6 if half == 1 else 12, 15)
    while not workdays.is_working_day(day):
        day = day.replace(day=day.day + 1)
    return day


@transaction.atomic
def sessions_plan_periodic(
    *, year: int, actor: User, on: date | None = None
) -> tuple[list[DialogueSession], list[str]]:
    """The plan's two periodic sessions of `year` (section II.4), created in one action.

    A half that has its periodic session already, or whose day has passed, is reported, not
    created. Staff then set each session's date, place and people.
    """
    on = on or clock.today()
    created, skipped = [], []
    for half in (1, 2):
        label = DialogueSession.HalfYear(half).label
        if DialogueSession.objects.filter(kind=Kind.PERIODIC, year=year, half_year=half).exists():
            skipped.append(_("%(half)s: it is planned already.") % {"half": label})
            continue
        day = default_periodic_day(year, half)
        last_day = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        if last_day < on:
            skipped.append(_("%(half)s: that half of the year has passed.") % {"half": label})
            continue
        day = max(day, workdays.add_working_days(on, NOTICE_DAYS + 1))
        if day > last_day:
            skipped.append(
                _("%(half)s: too little of it is left to announce a session in time.")
                % {"half": label}
            )
            continue
        # The session's name, as the plan and its documents write it (Vietnamese).
        title = (
            f"Hội nghị tiếp xúc, đối thoại định kỳ 6 tháng {'đầu' if half == 1 else 'cuối'} "
            f"năm {year}"
        )
        created.append(
            session_create(
                data=SessionData(title=title, kind=Kind.PERIODIC, held_on=day, half_year=half),
                actor=actor,
                on=on,
            )
        )
    return created, skipped


@transaction.atomic
def session_announce(
    *, session: DialogueSession, actor: User, reason: str = "", on: date | None = None
) -> DialogueSession:
    """Tell the residents: at least 7 days before the session (Luật Tổ chức chính quyền địa
    phương 2025, Điều 43); a shorter notice needs its reason recorded. An organisation's
    dialogue with its own members is announced any day up to the session's."""
    on = on or clock.today()
    session = _lock(session)
    if not session.can_be_announced:
        raise RuleError(_("Only a planned or postponed session can be announced."))
    if session.held_on < on:
        raise RuleError(_("The session's date has passed: postpone it to a new date first."))
    notice = (session.held_on - on).days
    required = notice_days_required(session)
    reason = _text(reason)
    if notice < required and not reason:
        raise RuleError(_short_notice(notice, required), field="short_notice_reason")
    from_status = session.status
    session.status = Status.ANNOUNCED
    session.announced_on = on
    session.short_notice_reason = reason if notice < required else ""
    session.save(update_fields=["status", "announced_on", "short_notice_reason", "updated_at"])
    note = _notice_note(notice)
    if session.short_notice_reason:
        note += f" · {session.short_notice_reason}"
    _record(session, actor, Event.ANNOUNCED, from_status=from_status, note=note, on=on)
    _mark_step(session, PreparationStep.Step.ANNOUNCEMENT, actor, on=on)
    effects.request_announcement_pdf(session)
    return session


@transaction.atomic
def session_postpone(
    *,
    session: DialogueSession,
    actor: User,
    new_date: date,
    reason: str,
    on: date | None = None,
) -> DialogueSession:
    """Move a session not yet held to a new date; it must be announced again."""
    on = on or clock.today()
    session = _lock(session)
    if not session.is_being_prepared:
        raise RuleError(_("Only a session not yet held can be postponed."))
    errors = []
    if not _text(reason):
        errors.append(RuleError(_("Give the reason for the postponement."), field="reason"))
    if new_date <= on:
        errors.append(RuleError(_("The new date must be after today."), field="new_date"))
    elif new_date == session.held_on:
        errors.append(RuleError(_("That is the session's date already."), field="new_date"))
    if errors:
        raise RuleError.combine(errors)
    from_status, old_date = session.status, session.held_on
    session.status = Status.POSTPONED
    session.held_on = new_date
    session.year = new_date.year
    session.announced_on = None
    session.short_notice_reason = ""
    session.status_reason = _text(reason)
    session.save()
    _record(
        session,
        actor,
        Event.POSTPONED,
        from_status=from_status,
        note=f"{old_date:%d/%m/%Y} → {new_date:%d/%m/%Y} · {session.status_reason}",
        on=on,
    )
    return session


@transaction.atomic
def session_cancel(
    *, session: DialogueSession, actor: User, reason: str, on: date | None = None
) -> DialogueSession:
    session = _lock(session)
    if not session.is_being_prepared:
        raise RuleError(_("Only a session not yet held can be cancelled."))
    if not _text(reason):
        raise RuleError(_("Give the reason for cancelling."), field="reason")
    from_status = session.status
    session.status = Status.CANCELLED
    session.status_reason = _text(reason)
    session.save(update_fields=["status", "status_reason", "updated_at"])
    _record(
        session, actor, Event.CANCELLED, from_status=from_status, note=session.status_reason, on=on
    )
    return session


@transaction.atomic
def announcement_print(*, session: DialogueSession, actor: User):
    """Make the printable notice as it reads now (before or after announcing)."""
    session = _lock(session)
    if session.status in {Status.CANCELLED, Status.CONCLUDED}:
        raise RuleError(_("The notice of a cancelled or concluded session is not printed."))
    return effects.request_announcement_pdf(session)


@transaction.atomic
def session_hold(*, session: DialogueSession, actor: User, on: date | None = None):
    """The session is under way: what is said is recorded from now on."""
    on = on or clock.today()
    session = _lock(session)
    if session.status != Status.ANNOUNCED:
        raise RuleError(_("Only an announced session can be held."))
    if on < session.held_on:
        raise RuleError(
            _("The session is on %(date)s: it can be recorded from that day.")
            % {"date": f"{session.held_on:%d/%m/%Y}"}
        )
    session.status = Status.HELD
    session.save(update_fields=["status", "updated_at"])
    _record(session, actor, Event.HELD, from_status=Status.ANNOUNCED, on=on)
    return session


@transaction.atomic
def session_conclude(
    *, session: DialogueSession, actor: User, note: str = "", on: date | None = None
) -> DialogueSession:
    """The Secretary's conclusion on the session is signed (called by the conclusions app
    when it signs one): what was said has its answer on record."""
    session = _lock(session)
    if session.status != Status.HELD:
        raise RuleError(_("Only a session that has been held can be concluded."))
    session.status = Status.CONCLUDED
    session.save(update_fields=["status", "updated_at"])
    _record(session, actor, Event.CONCLUDED, from_status=Status.HELD, note=_text(note), on=on)
    return session


@transaction.atomic
def session_archive(
    *, session: DialogueSession, actor: User, on: date | None = None
) -> DialogueSession:
    """The session's dossier is complete and filed: concluded, with final minutes."""
    session = _lock(session)
    if session.status != Status.CONCLUDED:
        raise RuleError(_("Only a concluded session can be archived."))
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is None or not minutes.is_final:
        raise RuleError(_("Finalise the minutes before archiving the session's dossier."))
    session.status = Status.ARCHIVED
    session.save(update_fields=["status", "updated_at"])
    _record(session, actor, Event.ARCHIVED, from_status=Status.CONCLUDED, on=on)
    return session


@transaction.atomic
def attachment_add(
    *, session: DialogueSession, actor: User, upload: UploadedFile, on: date | None = None
) -> SessionAttachment:
    """Keep a document with the session (checked by `petitions.uploads.validate_upload`);
    an archived dossier is closed."""
    if session.status == Status.ARCHIVED:
        raise RuleError(_("The session's dossier is archived: nothing more is attached."))
    attachment = SessionAttachment(
        session=session,
        original_name=upload.name[:255],
        content_type=getattr(upload, "checked_content_type", "") or upload.content_type or "",
        size=upload.size,
        uploaded_by=actor,
        created_at=clock.moment(on),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _record(
        session, actor, Event.ATTACHMENT_ADDED, from_status=session.status, note=upload.name, on=on
    )
    return attachment


# --- Preparation ---------------------------------------------------------------------------


def _mark_step(session, step, actor, *, note: str = "", on=None) -> PreparationStep:
    done, _created = PreparationStep.objects.get_or_create(
        session=session,
        step=step,
        defaults={"done_by": actor, "done_at": clock.moment(on), "note": _text(note)},
    )
    return done


@transaction.atomic
def step_done(
    *, session: DialogueSession, step: str, actor: User, note: str = "", on: date | None = None
) -> PreparationStep:
    """Record who did a step of the preparation checklist (plan III.6.1) and when."""
    session = _lock(session)
    if step not in PreparationStep.Step.values:
        raise RuleError(_("Choose a step of the preparation."), field="step")
    if PreparationStep.objects.filter(session=session, step=step).exists():
        raise RuleError(_("That step is recorded as done already."), field="step")
    done = _mark_step(session, step, actor, note=note, on=on)
    _record(
        session,
        actor,
        Event.STEP_DONE,
        from_status=session.status,
        note=str(PreparationStep.Step(step).label),
        on=on,
    )
    return done


@transaction.atomic
def step_undo(*, session: DialogueSession, step: str, actor: User) -> None:
    PreparationStep.objects.filter(session=session, step=step).delete()


# --- Agenda ----------------------------------------------------------------------------------


def _agenda_open(session: DialogueSession) -> None:
    if not session.agenda_open:
        raise RuleError(_("The agenda of a concluded or cancelled session cannot change."))


@dataclass
class AgendaChange:
    added: list[Petition] = field(default_factory=list)
    skipped: list[tuple[Petition, str]] = field(default_factory=list)


@transaction.atomic
def agenda_add(
    *,
    session: DialogueSession,
    petitions: Iterable[Petition],
    actor: User,
    raised_at_session: bool = False,
    on: date | None = None,
) -> AgendaChange:
    """Put petitions to the session; those already on its agenda, or that cannot be put to a
    session, are named with the reason instead."""
    session = _lock(session)
    _agenda_open(session)
    change = AgendaChange()
    order = session.agenda_items.aggregate(last=Max("order"))["last"] or 0
    on_agenda = set(session.agenda_items.values_list("petition_id", flat=True))
    for petition in petitions:
        if petition.pk in on_agenda:
            change.skipped.append((petition, _("it is on this session's agenda already")))
            continue
        if petition.status in NOT_FOR_AN_AGENDA:
            change.skipped.append(
                (petition, _("it was routed to the complaint or denunciation procedure"))
            )
            continue
        if petition.duplicate_of_id:
            change.skipped.append(
                (
                    petition,
                    _("it was merged into %(code)s: put that one")
                    % {"code": petition.duplicate_of.code},
                )
            )
            continue
        order += 1
        try:
            with transaction.atomic():
                AgendaItem.objects.create(
                    session=session,
                    petition=petition,
                    order=order,
                    raised_at_session=raised_at_session,
                    added_by=actor,
                )
        except IntegrityError:  # put there by someone else a moment ago
            change.skipped.append((petition, _("it is on this session's agenda already")))
            continue
        on_agenda.add(petition.pk)
        change.added.append(petition)
    if change.added:
        _record(
            session,
            actor,
            Event.AGENDA_CHANGED,
            from_status=session.status,
            note=_("Added: %(codes)s") % {"codes": ", ".join(p.code for p in change.added)},
            on=on,
        )
    return change


@transaction.atomic
def agenda_remove(*, item: AgendaItem, actor: User, on: date | None = None) -> None:
    session = _lock(item.session)
    _agenda_open(session)
    if item.speeches.exists():
        raise RuleError(_("It was spoken about at the session: it stays on the agenda."))
    code = item.petition.code
    item.delete()
    _record(
        session,
        actor,
        Event.AGENDA_CHANGED,
        from_status=session.status,
        note=_("Removed: %(code)s") % {"code": code},
        on=on,
    )


@transaction.atomic
def agenda_move(*, item: AgendaItem, actor: User, step: int) -> None:
    """Move an item up (-1) or down (+1) among the items of its topic on the agenda."""
    session = _lock(item.session)
    _agenda_open(session)
    items = list(session.agenda_items.select_related("petition").order_by("order", "id"))
    same_topic = [i for i in items if i.petition.topic_id == item.petition.topic_id]
    index = next(n for n, i in enumerate(same_topic) if i.pk == item.pk)
    target = index + step
    if not 0 <= target < len(same_topic):
        return
    other = same_topic[target]
    # Renumber the whole agenda first so that every item has an order of its own.
    for number, agenda_item in enumerate(items, start=1):
        agenda_item.order = number
    item_obj = next(i for i in items if i.pk == item.pk)
    other_obj = next(i for i in items if i.pk == other.pk)
    item_obj.order, other_obj.order = other_obj.order, item_obj.order
    AgendaItem.objects.bulk_update(items, ["order"])


# --- Invitations ------------------------------------------------------------------------------


def invitation_of(session: DialogueSession) -> Invitation:
    invitation, _created = Invitation.objects.get_or_create(session=session)
    return invitation


@transaction.atomic
def invitee_add(
    *,
    invitation: Invitation,
    actor: User,
    kind: str,
    name: str = "",
    position: str = "",
    department: Department | None = None,
    residential_unit: ResidentialUnit | None = None,
    email: str = "",
) -> Invitee:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_draft:
        raise RuleError(_("The invitation has been issued: its invitees no longer change."))
    if department is not None and not name:
        name = department.name
    if residential_unit is not None and not name:
        name = _("Representative of %(unit)s") % {"unit": residential_unit}
    name = _text(name)
    if not name:
        raise RuleError(_("Give the invitee's name, or choose a unit or a hamlet."), field="name")
    if invitation.invitees.filter(kind=kind, name__iexact=name).exists():
        raise RuleError(_("%(name)s is on the list already.") % {"name": name}, field="name")
    order = invitation.invitees.aggregate(last=Max("order"))["last"] or 0
    return Invitee.objects.create(
        invitation=invitation,
        kind=kind,
        name=name,
        position=_text(position),
        department=department,
        residential_unit=residential_unit,
        email=(email or (department.email if department else "")).strip(),
        order=order + 1,
    )


@transaction.atomic
def invitee_remove(*, invitee: Invitee, actor: User) -> None:
    if not invitee.invitation.is_draft:
        raise RuleError(_("The invitation has been issued: its invitees no longer change."))
    invitee.delete()


@transaction.atomic
def invitation_issue(*, invitation: Invitation, actor: User, on: date | None = None) -> Invitation:
    """Number the invitation(s) in the term's sequence ("Số 05-GM/ĐU"), and e-mail every
    invitee who has an address (recorded with the issue: none lost, none sent twice)."""

    on = on or clock.today()
    invitation = (
        Invitation.objects.select_for_update().select_related("session").get(pk=invitation.pk)
    )
    session = invitation.session
    if not invitation.is_draft:
        raise RuleError(_("The invitation has been issued already."))
    if not session.is_being_prepared:
        raise RuleError(_("Invitations are issued for a session still to be held."))
    invitees = list(invitation.invitees.all())
    if not invitees:
        raise RuleError(_("Add the invitees first."))
    if invitation.mode == Invitation.Mode.LIST:
        invitation.number = organisers.next_number(session, "GM", on=on)
    else:
        for invitee in invitees:
            invitee.number = organisers.next_number(session, "GM", on=on)
        Invitee.objects.bulk_update(invitees, ["number"])
    invitation.status = Invitation.Status.ISSUED
    invitation.issued_on = on
    invitation.issued_by = actor
    invitation.save()
    for invitee in invitees:
        if invitee.email:
            side_effects.schedule(
                effects.INVITATION_EMAIL,
                key=f"invitation-email:{invitee.pk}",
                invitee_id=invitee.pk,
            )
    effects.request_invitation_pdfs(invitation)
    _record(
        session,
        actor,
        Event.INVITATION_ISSUED,
        from_status=session.status,
        note=_("%(count)s invitees") % {"count": len(invitees)},
        on=on,
    )
    return invitation


# --- At the session ---------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    session: DialogueSession,
    actor: User,
    attendance: int | None,
    units: Iterable[Department] = (),
    on: date | None = None,
) -> DialogueSession:
    session = _lock(session)
    if session.status != Status.HELD:
        raise RuleError(_("Attendance is recorded at the session, once it is under way."))
    if attendance is not None and attendance < 0:
        raise RuleError(_("The number of people cannot be negative."), field="attendance")
    session.attendance = attendance
    session.save(update_fields=["attendance", "updated_at"])
    session.attending_units.set(units)
    _record(
        session,
        actor,
        Event.ATTENDANCE,
        from_status=session.status,
        note=_("%(count)s people") % {"count": attendance or 0},
        on=on,
    )
    return session


@dataclass
class SpeechData:
    speaker: str
    raised: str
    speaker_from: str = ""
    agenda_item: AgendaItem | None = None
    new_petition: bool = False
    answer: str = ""
    answered_by: str = ""
    dialogued: bool = True


@transaction.atomic
def speech_save(
    *,
    session: DialogueSession,
    actor: User,
    client_id: UUID,
    data: SpeechData,
    on: date | None = None,
) -> tuple[Speech, bool]:
    """Record (or correct) what one person raised at the session and the answer given.

    `client_id` comes from the page where it was typed: the same speech sent again after a
    dropped connection updates the same row. The same words from the same speaker under
    another id are refused as typed twice. With `new_petition`, what was raised becomes a
    petition received at the session and put on its agenda. Returns the speech and whether
    it was created.
    """
    session = _lock(session)
    if session.status != Status.HELD:
        raise RuleError(_("What is said is recorded while the session is being held."))
    speaker, raised = _text(data.speaker), _text(data.raised)
    errors = []
    if not speaker:
        errors.append(RuleError(_("Give the speaker's name."), field="speaker"))
    if not raised:
        errors.append(RuleError(_("Write down what was raised."), field="raised"))
    if data.agenda_item is not None and data.agenda_item.session_id != session.pk:
        errors.append(
            RuleError(_("That petition is not on this session's agenda."), field="agenda_item")
        )
    if data.new_petition and session.organiser_id is not None:
        errors.append(
            RuleError(
                _(
                    "At an organisation's own dialogue, a proposal is recorded here and "
                    "forwarded to the commune afterwards, from the session's page."
                ),
                field="new_petition",
            )
        )
    if errors:
        raise RuleError.combine(errors)
    speech = Speech.objects.filter(client_id=client_id).first()
    if speech is not None and speech.session_id != session.pk:
        raise RuleError(_("That speech belongs to another session."))
    twice = (
        Speech.objects.filter(session=session, speaker=speaker, raised=raised)
        .exclude(client_id=client_id)
        .first()
    )
    if twice is not None:
        raise RuleError(
            _("%(speaker)s's words are recorded already (at %(time)s).")
            % {"speaker": speaker, "time": f"{clock.localtime(twice.created_at):%H:%M}"},
            field="raised",
        )
    created = speech is None
    if created:
        order = session.speeches.aggregate(last=Max("order"))["last"] or 0
        speech = Speech(
            session=session,
            client_id=client_id,
            order=order + 1,
            recorded_by=actor,
            created_at=clock.moment(on),
        )
    speech.speaker = speaker
    speech.speaker_from = _text(data.speaker_from)
    speech.raised = raised
    speech.answer = _text(data.answer)
    speech.answered_by = _text(data.answered_by)
    speech.dialogued = data.dialogued
    speech.agenda_item = data.agenda_item
    if data.agenda_item is not None:
        speech.petition = data.agenda_item.petition
    elif data.new_petition and speech.petition_id is None:
        speech.petition = _petition_raised_at(session, actor, speech, on=on)
    speech.save()
    if speech.agenda_item_id and data.dialogued:
        AgendaItem.objects.filter(pk=speech.agenda_item_id).update(dialogued=True)
    return speech, created


def _petition_raised_at(session, actor, speech, *, on=None) -> Petition:
    """A new petition received at the session (channel "at a dialogue session")."""
    summary = speech.raised.split("\n", 1)[0]
    limit = Petition._meta.get_field("summary").max_length
    if len(summary) > limit:
        summary = summary[: limit - 1].rsplit(" ", 1)[0] + "…"
    petition = petition_services.petition_receive(
        data=petition_services.PetitionData(
            summary=summary,
            content=speech.raised,
            petitioner_name=speech.speaker,
            petitioner_address=speech.speaker_from,
            channel=Petition.Channel.SESSION,
            received_on=session.held_on,
        ),
        actor=actor,
        note=_("Raised at the session “%(title)s”.") % {"title": session.title},
        on=on,
    )
    AgendaItem.objects.create(
        session=session,
        petition=petition,
        order=(session.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1,
        raised_at_session=True,
        dialogued=speech.dialogued,
        added_by=actor,
    )
    return petition


@transaction.atomic
def speech_delete(*, speech: Speech, actor: User) -> None:
    if speech.session.status != Status.HELD:
        raise RuleError(_("What was said can be corrected only while the session is held."))
    speech.delete()


# --- Minutes ----------------------------------------------------------------------------------


@transaction.atomic
def minutes_draw_up(
    *, session: DialogueSession, actor: User, recorder_name: str = "", again: bool = False
) -> Minutes:
    """The minutes drawn up from what was recorded; `again` redraws a draft (what was
    edited by hand is replaced)."""
    session = _lock(session)
    if not session.was_held:
        raise RuleError(_("The minutes are drawn up once the session has been held."))
    minutes = Minutes.objects.filter(session=session).first()
    if minutes is not None and minutes.is_final:
        raise RuleError(_("The minutes are finalised: they no longer change."))
    if minutes is not None and not again:
        return minutes
    text = draw_up_minutes(session)
    if minutes is None:
        minutes = Minutes.objects.create(
            session=session, text=text, recorder_name=_text(recorder_name)
        )
    else:
        minutes.text = text
        minutes.version += 1
        minutes.save(update_fields=["text", "version", "updated_at"])
    return minutes


@transaction.atomic
def minutes_update(*, minutes: Minutes, actor: User, text: str, recorder_name: str = "") -> Minutes:
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.is_final:
        raise RuleError(_("The minutes are finalised: they no longer change."))
    if not _text(text):
        raise RuleError(_("The minutes cannot be empty."), field="text")
    minutes.text = text.strip()
    minutes.recorder_name = _text(recorder_name)
    minutes.version += 1
    minutes.save()
    return minutes


@transaction.atomic
def minutes_finalise(*, minutes: Minutes, actor: User, on: date | None = None) -> Minutes:
    """Freeze the minutes; their PDF is made from the final text."""
    minutes = Minutes.objects.select_for_update().select_related("session").get(pk=minutes.pk)
    if minutes.is_final:
        raise RuleError(_("The minutes are finalised already."))
    if not minutes.recorder_name:
        raise RuleError(
            _("Give the name of the person who recorded the minutes: they sign them."),
            field="recorder_name",
        )
    minutes.status = Minutes.Status.FINAL
    minutes.number = organisers.next_number(minutes.session, "BB", on=on or clock.today())
    minutes.finalised_at = clock.moment(on)
    minutes.finalised_by = actor
    minutes.save()
    effects.request_minutes_pdf(minutes)
    _record(
        minutes.session, actor, Event.MINUTES_FINALISED, from_status=minutes.session.status, on=on
    )
    return minutes


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- An organisation's proposals, forwarded to the commune ------------------------------------


@transaction.atomic
def proposals_forward(
    *,
    session: DialogueSession,
    speeches: Iterable[Speech],
    actor: User,
    topic: Topic | None = None,
    on: date | None = None,
) -> list[Petition]:
    """Forward what members raised at an organisation's own dialogue that needs the commune
    (the Party committee or the government) into the commune's petition flow, in one action
    (plan section IV.2: the organisations report their members' proposals to the commune).

    Each chosen speech becomes a petition received through the organisation's channel and
    submitted by it, its note naming the session; the speech keeps the petition, so a speech
    is forwarded once: choosing it again does nothing more. Returns the new petitions.
    """
    on = on or clock.today()
    session = _lock(session)
    organiser = session.organiser
    if organiser is None:
        raise RuleError(_("Only an organisation's own dialogue forwards its proposals."))
    if not session.was_held:
        raise RuleError(_("Proposals are forwarded once the dialogue has been held."))
    ids = [speech.pk for speech in speeches]
    if not ids:
        raise RuleError(_("Tick at least one proposal to forward."), field="ids")
    chosen = list(
        Speech.objects.select_for_update()
        .filter(session=session, pk__in=ids, petition__isnull=True)
        .order_by("order", "id")
    )
    forwarded = []
    for speech in chosen:
        summary = speech.raised.split("\n", 1)[0]
        limit = Petition._meta.get_field("summary").max_length
        if len(summary) > limit:
            summary = summary[: limit - 1].rsplit(" ", 1)[0] + "…"
        petition = petition_services.petition_receive(
            data=petition_services.PetitionData(
                summary=summary,
                content=speech.raised,
                kind=Petition.Kind.PROPOSAL,
                petitioner_name=speech.speaker,
                petitioner_address=speech.speaker_from,
                channel=organiser.channel or Petition.Channel.FRONT,
                submitted_by_department=organiser,
                received_on=on,
                topic=topic,
            ),
            actor=actor,
            note=_("Forwarded by %(organisation)s from its dialogue “%(title)s” of %(date)s.")
            % {
                "organisation": organiser.name,
                "title": session.title,
                "date": f"{session.held_on:%d/%m/%Y}",
            },
            on=on,
        )
        speech.petition = petition
        speech.save(update_fields=["petition", "updated_at"])
        forwarded.append(petition)
    if forwarded:
        _record(
            session,
            actor,
            Event.FORWARDED,
            from_status=session.status,
            note=", ".join(petition.code for petition in forwarded),
            on=on,
        )
    return forwarded

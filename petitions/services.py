"""Every change of a petition's state, each in one transaction with its event row.

Views, forms, admin actions, management commands and tasks call these; no rule lives in
`save()` or a signal. A refused transition raises `InvalidTransition` with a message that
can be shown to the user as it is.
"""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from doluong_dialogue import clock, deadlines, side_effects, workdays
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.rules import RuleError
from petitions import effects
from petitions.models import (
    Answer,
    Assignment,
    Attachment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionEvent,
    PetitionUnit,
    ReceiptCounter,
    ResidentialUnit,
    Topic,
)

# Quy định 11-QĐi/TW: the head of the Party committee tells the petitioner in writing,
# within 10 working days of receipt, that the petition is being handled or where it went.
ACKNOWLEDGEMENT_WORKING_DAYS = 10

Status = Petition.Status
Event = PetitionEvent.Kind


# Petitions received before this are typing mistakes.
EARLIEST_RECEIVED = date(2000, 1, 1)


class InvalidTransition(RuleError):
    """A change the petition's current state (or a rule) does not allow; `str()` is for the
    user, `field` names the input it is about when there is one."""


def today() -> date:
    return clock.today()


def _text(value: str) -> str:
    """What the user typed, trimmed and in one Unicode form (NFC), as every text is stored."""
    return unicodedata.normalize("NFC", value or "").strip()


def _lock(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


def _require(petition: Petition, allowed: Iterable[str], message: str) -> None:
    if petition.status not in allowed:
        raise InvalidTransition(message)


def _next_code(year: int) -> str:
    counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(year=year)
    ReceiptCounter.objects.filter(pk=year).update(last_number=F("last_number") + 1)
    counter.refresh_from_db()
    return f"KN-{year}-{counter.last_number:06d}"


def _acknowledgement_due(petition: Petition) -> date | None:
    """A letter is owed when there is somewhere to send it: an address or a group's
    representative."""
    if petition.follows_legal_procedure:
        return None
    if petition.petitioner_address or petition.residential_unit_id or petition.is_group:
        return workdays.add_working_days(petition.received_on, ACKNOWLEDGEMENT_WORKING_DAYS)
    return None


@dataclass(frozen=True)
class PetitionData:
    """What intake records about a petition (the form, quick entry and the importer)."""

    summary: str
    content: str
    petitioner_name: str
    channel: str
    received_on: date
    kind: str = Petition.Kind.REQUEST
    petitioner_phone: str = ""
    petitioner_address: str = ""
    residential_unit: ResidentialUnit | None = None
    is_group: bool = False
    people_count: int = 1
    hide_identity: bool = False
    topic: Topic | None = None
    urgency: str = Petition.Urgency.NORMAL
    submitted_by_department: Department | None = None
    legal_channel_note: str = ""


EDITABLE_FIELDS = (
    "kind",
    "summary",
    "content",
    "petitioner_name",
    "petitioner_phone",
    "petitioner_address",
    "residential_unit",
    "is_group",
    "people_count",
    "hide_identity",
    "channel",
    "received_on",
    "submitted_by_department",
)


def petition_data_errors(data: PetitionData, *, on: date | None = None) -> list[RuleError]:
    """What intake refuses in `data`, every refusal at once (the form, quick entry and the
    importer all show them; `petition_receive` raises them)."""
    on = on or today()
    errors = []
    if data.received_on > on:
        errors.append(
            InvalidTransition(
                _("The received date cannot be later than today (%(today)s).")
                % {"today": f"{on:%d/%m/%Y}"},
                field="received_on",
            )
        )
    elif data.received_on < EARLIEST_RECEIVED:
        errors.append(
            InvalidTransition(
                _("The received date cannot be before 01/01/2000."), field="received_on"
            )
        )
    if data.is_group and data.people_count < 2:
        errors.append(
            InvalidTransition(
                _("A group has at least 2 people: enter how many raised the petition."),
                field="people_count",
            )
        )
    if data.kind in Petition.LEGAL_PROCEDURE_KINDS and not data.legal_channel_note.strip():
        errors.append(
            InvalidTransition(
                _(
                    "A complaint or denunciation follows its own legal procedure: note where "
                    "it is sent, e.g. “Sent to the commune People's Committee under the 2011 "
                    "Law on Complaints”."
                ),
                field="legal_channel_note",
            )
        )
    return errors


@transaction.atomic
def petition_receive(
    *,
    data: PetitionData,
    actor: User,
    attachments: Sequence[UploadedFile] = (),
    note: str = "",
    on: date | None = None,
) -> Petition:
    """Record a new petition with its receipt code.

    With a topic it is classified at once. A complaint or denunciation is not answered
    here: it is routed out at intake to the legal channel it must be given.
    """
    errors = petition_data_errors(data, on=on)
    if errors:
        raise InvalidTransition.combine(errors)
    at = clock.moment(on)
    petition = Petition(
        code=_next_code(data.received_on.year),
        kind=data.kind,
        summary=_text(data.summary),
        content=_text(data.content),
        petitioner_name=_text(data.petitioner_name),
        petitioner_phone=data.petitioner_phone.strip(),
        petitioner_address=_text(data.petitioner_address),
        residential_unit=data.residential_unit,
        is_group=data.is_group,
        people_count=data.people_count if data.is_group else 1,
        total_people=data.people_count if data.is_group else 1,
        hide_identity=data.hide_identity,
        channel=data.channel,
        received_on=data.received_on,
        submitted_by_department=data.submitted_by_department,
        topic=data.topic,
        urgency=data.urgency,
        created_by=actor,
    )
    petition.acknowledgement_due = _acknowledgement_due(petition)
    petition.refresh_search()
    petition.refresh_fingerprint()
    petition.save()
    PetitionUnit.objects.record_submitter(petition, new=True)
    PetitionEvent.record(petition, actor, Event.RECEIVED, note=note, at=at)
    for upload in attachments:
        attachment_add(petition=petition, actor=actor, upload=upload, on=on)
    if data.topic and not petition.follows_legal_procedure:
        petition.status = Status.CLASSIFIED
        petition.save(update_fields=["status", "updated_at"])
        PetitionEvent.record(
            petition,
            actor,
            Event.CLASSIFIED,
            from_status=Status.RECEIVED,
            note=data.topic.name,
            at=at,
        )
    if petition.follows_legal_procedure:
        petition = petition_route_out(
            petition=petition, actor=actor, legal_channel_note=data.legal_channel_note, on=on
        )
    return petition


@transaction.atomic
def petition_update(
    *, petition: Petition, actor: User, on: date | None = None, **changes
) -> Petition:
    """Correct what was recorded at intake; the timeline lists the fields that changed."""
    petition = _lock(petition)
    if not petition.is_open:
        raise InvalidTransition(_("A closed petition cannot be edited; reopen it first."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    submitted_before = petition.submitted_by_department_id
    changed = []
    for field, value in changes.items():
        if isinstance(value, str):
            value = _text(value) if field != "petitioner_phone" else value.strip()
        if getattr(petition, field) != value:
            setattr(petition, field, value)
            changed.append(str(Petition._meta.get_field(field).verbose_name))
    if not changed:
        return petition
    if not petition.is_group:
        petition.people_count = 1
    errors = [
        error
        for error in petition_data_errors(_data_of(petition), on=on)
        if error.field != "legal_channel_note"  # a complaint is routed out by petition_edit
    ]
    if errors:
        raise InvalidTransition.combine(errors)
    petition.total_people = petition.people_count + sum(
        petition.duplicates.values_list("total_people", flat=True)
    )
    if petition.acknowledged_on is None:
        petition.acknowledgement_due = _acknowledgement_due(petition)
    petition.refresh_search()
    petition.refresh_fingerprint()
    petition.save()
    if petition.submitted_by_department_id != submitted_before:
        PetitionUnit.objects.record_submitter(petition)
    PetitionEvent.record(
        petition, actor, Event.EDITED, note=", ".join(changed), at=clock.moment(on)
    )
    return petition


@transaction.atomic
def petition_edit(
    *,
    petition: Petition,
    actor: User,
    changes: dict,
    legal_channel_note: str = "",
    attachments: Sequence[UploadedFile] = (),
    on: date | None = None,
) -> tuple[Petition, bool]:
    """What the edit page saves, in one transaction: the corrected details, the files added,
    and, when the petition turns out to be a complaint or denunciation, its routing to the
    legal procedure. Returns the petition and whether anything changed."""
    before = petition.updated_at
    data = {**_data_of(petition).__dict__, **changes, "legal_channel_note": legal_channel_note}
    errors = [
        error
        for error in petition_data_errors(PetitionData(**data), on=on)
        if error.field in ("legal_channel_note",)
    ]
    if errors:
        raise InvalidTransition.combine(errors)
    petition = petition_update(petition=petition, actor=actor, on=on, **changes)
    for upload in attachments:
        attachment_add(petition=petition, actor=actor, upload=upload, on=on)
    if petition.follows_legal_procedure:
        petition = petition_route_out(
            petition=petition, actor=actor, legal_channel_note=legal_channel_note, on=on
        )
    return petition, petition.updated_at != before or bool(attachments)


def _data_of(petition: Petition) -> PetitionData:
    return PetitionData(
        **{field: getattr(petition, field) for field in EDITABLE_FIELDS},
        legal_channel_note=petition.legal_channel_note,
    )


@transaction.atomic
def petition_classify(
    *,
    petition: Petition,
    actor: User,
    topic: Topic,
    urgency: str,
    kind: str | None = None,
    on: date | None = None,
) -> Petition:
    petition = _lock(petition)
    if kind:
        petition.kind = kind
    if petition.follows_legal_procedure:
        raise InvalidTransition(
            _("Complaints and denunciations follow their own legal procedure: route them out."),
            field="kind",
        )
    _require(
        petition, Petition.CLASSIFIABLE_STATUSES, _("Only an open petition can be classified.")
    )
    from_status = petition.status
    petition.topic = topic
    petition.urgency = urgency
    if petition.status == Status.RECEIVED:
        petition.status = Status.CLASSIFIED
    petition.refresh_search()
    petition.save(update_fields=["topic", "urgency", "kind", "status", "search_text", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.CLASSIFIED,
        from_status=from_status,
        note=f"{topic.name} · {petition.get_urgency_display()}",
        at=clock.moment(on),
    )
    return petition


def default_deadline(on: date | None = None) -> date:
    days = SiteConfiguration.load().answer_working_days
    return workdays.add_working_days(on or today(), days)


def units_with_members(units: Iterable[Department]) -> set[int]:
    """The ids of those units that have at least one active member to answer for them."""
    return set(
        Department.objects.filter(pk__in=[unit.pk for unit in units], members__is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )


@transaction.atomic
def petition_assign(
    *,
    petition: Petition,
    actor: User,
    department: Department,
    supporting: Iterable[Department] = (),
    deadline: date | None = None,
    instructions: str = "",
    on: date | None = None,
) -> Assignment:
    """Give a classified petition to a lead unit, by default for N working days.

    The lead unit's members answer it, so a unit without an active member cannot lead.
    """
    petition = _lock(petition)
    _require(
        petition,
        Petition.ASSIGNABLE_STATUSES,
        _("Only a classified petition, or one returned for reassignment, can be assigned."),
    )
    if not department.is_active:
        raise InvalidTransition(
            _("%(unit)s is no longer in use.") % {"unit": department.name}, field="department"
        )
    if not units_with_members([department]):
        raise InvalidTransition(
            _(
                "%(unit)s has no active member to answer for it: ask the administrator to add "
                "a member, or choose another lead unit."
            )
            % {"unit": department.name},
            field="department",
        )
    assigned_on = on or today()
    working_days = None
    if deadline is None:
        working_days = SiteConfiguration.load().answer_working_days
        deadline = workdays.add_working_days(assigned_on, working_days)
    if deadline < assigned_on or deadline < petition.received_on:
        raise InvalidTransition(
            _("The deadline cannot be before today or before the petition was received."),
            field="deadline",
        )
    at = clock.moment(on)
    supporting = [d for d in supporting if d.pk != department.pk]
    assignment = Assignment.objects.create(
        petition=petition,
        department=department,
        instructions=_text(instructions),
        assigned_by=actor,
        assigned_on=assigned_on,
        deadline=deadline,
        working_days=working_days,
    )
    assignment.supporting_departments.set(supporting)
    PetitionUnit.objects.bulk_create(
        PetitionUnit(
            assignment=assignment,
            petition=petition,
            department=unit,
            role=PetitionUnit.Role.LEAD
            if unit.pk == department.pk
            else PetitionUnit.Role.SUPPORTING,
        )
        for unit in [department, *supporting]
    )
    from_status = petition.status
    petition.status = Status.ASSIGNED
    petition.lead_department = department
    petition.deadline = deadline
    petition.save(update_fields=["status", "lead_department", "deadline", "updated_at"])
    note = ""
    if supporting:
        note = _("Supporting: %(names)s") % {"names": ", ".join(d.name for d in supporting)}
    PetitionEvent.record(
        petition,
        actor,
        Event.ASSIGNED,
        from_status=from_status,
        department=department,
        note=note,
        at=at,
    )
    side_effects.schedule(
        effects.ASSIGNMENT_EMAIL,
        key=f"assignment-email:{assignment.pk}",
        assignment_id=assignment.pk,
    )
    return assignment


def petitions_assign_bulk(
    *,
    petitions: Iterable[Petition],
    actor: User,
    department: Department,
    deadline: date | None = None,
) -> tuple[list[Petition], list[tuple[Petition, str]]]:
    """Assign many at once; those whose state does not allow it are reported, not assigned."""
    assigned, skipped = [], []
    for petition in petitions:
        try:
            petition_assign(
                petition=petition, actor=actor, department=department, deadline=deadline
            )
        except InvalidTransition as refusal:
            skipped.append((petition, str(refusal)))
        else:
            assigned.append(petition)
    return assigned, skipped


def _lock_assignment(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("petition").get(pk=assignment.pk)


def _refuse_pending_extensions(assignments, *, at) -> None:
    ExtensionRequest.objects.filter(
        assignment__in=assignments, status=ExtensionRequest.Status.PENDING
    ).update(status=ExtensionRequest.Status.REFUSED, decided_at=at)


@transaction.atomic
def assignment_decline(
    *, assignment: Assignment, actor: User, reason: str, on: date | None = None
) -> Assignment:
    """The lead unit says the petition is not its remit; staff must reassign it."""
    assignment = _lock_assignment(assignment)
    if assignment.status != Assignment.Status.OPEN:
        raise InvalidTransition(_("Only an assignment waiting for its answer can be returned."))
    if not reason.strip():
        raise InvalidTransition(
            _("Say why the petition is not your department's remit."), field="reason"
        )
    at = clock.moment(on)
    petition = _lock(assignment.petition)
    assignment.status = Assignment.Status.DECLINED
    assignment.declined_reason = _text(reason)
    assignment.save(update_fields=["status", "declined_reason"])
    _refuse_pending_extensions([assignment], at=at)
    from_status = petition.status
    petition.status = Status.RETURNED
    petition.lead_department = None
    petition.deadline = None
    petition.save(update_fields=["status", "lead_department", "deadline", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.DECLINED,
        from_status=from_status,
        department=assignment.department,
        note=assignment.declined_reason,
        at=at,
    )
    return assignment


@transaction.atomic
def answer_submit(
    *,
    assignment: Assignment,
    actor: User,
    text: str,
    attachments: Sequence[UploadedFile] = (),
    on: date | None = None,
) -> Answer:
    """Record the unit's answer; whether it came on time is stored now."""
    assignment = _lock_assignment(assignment)
    if assignment.status != Assignment.Status.OPEN:
        raise InvalidTransition(_("This assignment is not waiting for an answer."))
    if not text.strip():
        raise InvalidTransition(_("The answer cannot be empty."), field="text")
    at = clock.moment(on)
    petition = _lock(assignment.petition)
    answer = Answer.objects.create(
        assignment=assignment, text=_text(text), author=actor, created_at=at
    )
    for upload in attachments:
        attachment_add(petition=petition, actor=actor, upload=upload, answer=answer, on=on)
    assignment.status = Assignment.Status.ANSWERED
    assignment.mark_done(at=at)
    assignment.save(update_fields=["status", "done_at", "done_on_time"])
    from_status = petition.status
    petition.status = Status.ANSWERED
    petition.save(update_fields=["status", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.ANSWERED,
        from_status=from_status,
        department=assignment.department,
        at=at,
    )
    return answer


def _lock_answer(answer: Answer) -> Answer:
    return (
        Answer.objects.select_for_update()
        .select_related("assignment", "assignment__petition")
        .get(pk=answer.pk)
    )


@transaction.atomic
def answer_review(
    *, answer: Answer, actor: User, accept: bool, comment: str = "", on: date | None = None
) -> Answer:
    """Accept a unit's answer, or return it for rework saying what must change (the
    assignment is then open again under its deadline)."""
    answer = _lock_answer(answer)
    if answer.status != Answer.Status.SUBMITTED:
        raise InvalidTransition(_("This answer has already been reviewed."))
    if not accept and not comment.strip():
        raise InvalidTransition(_("Say what the department must rework."), field="comment")
    at = clock.moment(on)
    answer.status = Answer.Status.ACCEPTED if accept else Answer.Status.RETURNED
    answer.review_comment = _text(comment)
    answer.reviewed_by = actor
    answer.reviewed_at = at
    answer.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    assignment = answer.assignment
    petition = _lock(assignment.petition)
    from_status = petition.status
    if accept:
        assignment.status = Assignment.Status.ACCEPTED
        assignment.save(update_fields=["status"])
    else:
        assignment.status = Assignment.Status.OPEN
        assignment.mark_running_again()
        assignment.save(update_fields=["status", "done_at", "done_on_time"])
        petition.status = Status.ASSIGNED
        petition.save(update_fields=["status", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.ANSWER_ACCEPTED if accept else Event.ANSWER_RETURNED,
        from_status=from_status,
        department=assignment.department,
        note=answer.review_comment,
        at=at,
    )
    return answer


def answer_accept(*, answer: Answer, actor: User, comment: str = "", **kwargs) -> Answer:
    return answer_review(answer=answer, actor=actor, accept=True, comment=comment, **kwargs)


def answer_return(*, answer: Answer, actor: User, comment: str, **kwargs) -> Answer:
    return answer_review(answer=answer, actor=actor, accept=False, comment=comment, **kwargs)


@transaction.atomic
def extension_request(
    *,
    assignment: Assignment,
    actor: User,
    new_deadline: date,
    reason: str,
    on: date | None = None,
) -> ExtensionRequest:
    assignment = _lock_assignment(assignment)
    if assignment.status != Assignment.Status.OPEN:
        raise InvalidTransition(_("Only an assignment waiting for its answer can be extended."))
    if new_deadline <= assignment.deadline:
        raise InvalidTransition(
            _("The new deadline must be later than the current one (%(deadline)s).")
            % {"deadline": f"{assignment.deadline:%d/%m/%Y}"},
            field="new_deadline",
        )
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for the extension."), field="reason")
    if assignment.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise InvalidTransition(_("An extension request is already waiting for a decision."))
    at = clock.moment(on)
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        requested_deadline=new_deadline,
        reason=_text(reason),
        requested_by=actor,
        requested_at=at,
    )
    petition = assignment.petition
    PetitionEvent.record(
        petition,
        actor,
        Event.EXTENSION_REQUESTED,
        from_status=petition.status,
        department=assignment.department,
        note=f"{new_deadline:%d/%m/%Y}: {request.reason}",
        at=at,
    )
    return request


@transaction.atomic
def extension_decide(
    *,
    request: ExtensionRequest,
    actor: User,
    approve: bool,
    note: str = "",
    on: date | None = None,
) -> ExtensionRequest:
    request = (
        ExtensionRequest.objects.select_for_update()
        .select_related("assignment", "assignment__petition")
        .get(pk=request.pk)
    )
    if request.status != ExtensionRequest.Status.PENDING:
        raise InvalidTransition(_("This extension request has already been decided."))
    if not approve and not note.strip():
        raise InvalidTransition(_("Say why the extension is refused."), field="note")
    at = clock.moment(on)
    request.status = (
        ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    )
    request.decided_by = actor
    request.decided_at = at
    request.decision_note = _text(note)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    assignment = request.assignment
    petition = _lock(assignment.petition)
    if approve:
        assignment.deadline = request.requested_deadline
        assignment.working_days = None  # a chosen date, no longer counted from the calendar
        assignment.save(update_fields=["deadline", "working_days"])
        if petition.lead_department_id == assignment.department_id:
            petition.deadline = assignment.deadline
            petition.save(update_fields=["deadline", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.EXTENSION_APPROVED if approve else Event.EXTENSION_REFUSED,
        from_status=petition.status,
        department=assignment.department,
        note=request.decision_note,
        at=at,
    )
    return request


def _cancel_active_assignments(petition: Petition, *, at) -> None:
    """A petition that leaves the answering (closed, merged, routed out) takes its open
    assignments and their pending extension requests with it."""
    active = Assignment.objects.filter(petition=petition).active()
    _refuse_pending_extensions(active, at=at)
    active.update(status=Assignment.Status.CANCELLED)


@transaction.atomic
def petition_close(
    *,
    petition: Petition,
    actor: User,
    outcome: str,
    note: str = "",
    scheduled_for: date | None = None,
    on: date | None = None,
) -> Petition:
    """Close with an outcome: resolved, being resolved, will be resolved by a date,
    forwarded to a higher level, or rejected with the reason."""
    petition = _lock(petition)
    if petition.follows_legal_procedure:
        raise InvalidTransition(_("Complaints and denunciations are routed out, not closed."))
    _require(petition, Petition.OPEN_STATUSES, _("This petition is already closed."))
    if outcome == Petition.Outcome.DUPLICATE:
        raise InvalidTransition(
            _("Merge the petition into its primary to mark it a duplicate."), field="outcome"
        )
    if outcome not in Petition.Outcome.values:
        raise InvalidTransition(_("Choose an outcome."), field="outcome")
    note = _text(note)
    errors = []
    if outcome == Petition.Outcome.SCHEDULED:
        if scheduled_for is None:
            errors.append(
                InvalidTransition(
                    _("Give the date by which it will be resolved."), field="scheduled_for"
                )
            )
        elif scheduled_for < petition.received_on:
            errors.append(
                InvalidTransition(
                    _("That date is before the petition was received."), field="scheduled_for"
                )
            )
    else:
        scheduled_for = None
    if outcome == Petition.Outcome.REJECTED and not note:
        errors.append(
            InvalidTransition(_("Give the reason the petition is rejected."), field="note")
        )
    if outcome == Petition.Outcome.FORWARDED and not note:
        errors.append(
            InvalidTransition(
                _("Say which higher level the petition is forwarded to."), field="note"
            )
        )
    if errors:
        raise InvalidTransition.combine(errors)
    at = clock.moment(on)
    _cancel_active_assignments(petition, at=at)
    from_status = petition.status
    petition.status = Status.CLOSED
    petition.outcome = outcome
    petition.outcome_note = note
    petition.scheduled_for = scheduled_for
    petition.closed_at = at
    petition.save()
    PetitionEvent.record(
        petition,
        actor,
        Event.CLOSED,
        from_status=from_status,
        note=" · ".join(
            part
            for part in (
                petition.get_outcome_display(),
                f"{scheduled_for:%d/%m/%Y}" if scheduled_for else "",
                note,
            )
            if part
        ),
        at=at,
    )
    return petition


@transaction.atomic
def petition_reopen(
    *, petition: Petition, actor: User, reason: str, on: date | None = None
) -> Petition:
    """Open a closed petition again; a merged duplicate leaves its primary."""
    petition = _lock(petition)
    _require(petition, [Status.CLOSED], _("Only a closed petition can be reopened."))
    if not reason.strip():
        raise InvalidTransition(_("Give the reason for reopening."), field="reason")
    if petition.duplicate_of_id:
        primary = _lock(petition.duplicate_of)
        primary.total_people = max(
            primary.people_count, primary.total_people - petition.total_people
        )
        primary.save(update_fields=["total_people", "updated_at"])
        petition.duplicate_of = None
    from_status = petition.status
    petition.status = Status.CLASSIFIED if petition.topic_id else Status.RECEIVED
    petition.outcome = ""
    petition.outcome_note = ""
    petition.scheduled_for = None
    petition.closed_at = None
    petition.lead_department = None
    petition.deadline = None
    petition.save()
    PetitionEvent.record(
        petition,
        actor,
        Event.REOPENED,
        from_status=from_status,
        note=_text(reason),
        at=clock.moment(on),
    )
    return petition


@transaction.atomic
def petition_merge(
    *,
    duplicate: Petition,
    primary: Petition,
    actor: User,
    note: str = "",
    on: date | None = None,
) -> Petition:
    """Merge a duplicate into its primary: it follows the primary's answer and outcome, and
    the people who raised it count for the primary."""
    first, second = sorted([duplicate.pk, primary.pk])
    locked = {p.pk: p for p in Petition.objects.select_for_update().filter(pk__in=[first, second])}
    if duplicate.pk == primary.pk:
        raise InvalidTransition(_("A petition cannot be merged into itself."), field="primary")
    duplicate, primary = locked[duplicate.pk], locked[primary.pk]
    if primary.duplicate_of_id:
        raise InvalidTransition(
            _("%(code)s is itself a duplicate; merge into its primary %(primary)s.")
            % {"code": primary.code, "primary": primary.duplicate_of.code},
            field="primary",
        )
    if not duplicate.is_open:
        raise InvalidTransition(_("Only an open petition can be merged into another."))
    if primary.status == Status.ROUTED_OUT:
        raise InvalidTransition(_("A routed-out complaint cannot be a primary."), field="primary")
    at = clock.moment(on)
    _cancel_active_assignments(duplicate, at=at)
    # Whatever was merged into the duplicate now belongs to the primary too.
    Petition.objects.filter(duplicate_of=duplicate).update(duplicate_of=primary)
    from_status = duplicate.status
    duplicate.status = Status.CLOSED
    duplicate.outcome = Petition.Outcome.DUPLICATE
    duplicate.outcome_note = _text(note)
    duplicate.duplicate_of = primary
    duplicate.closed_at = at
    duplicate.lead_department = None
    duplicate.deadline = None
    duplicate.save()
    primary.total_people += duplicate.total_people
    primary.save(update_fields=["total_people", "updated_at"])
    PetitionEvent.record(
        duplicate, actor, Event.MERGED, from_status=from_status, note=primary.code, at=at
    )
    PetitionEvent.record(
        primary,
        actor,
        Event.DUPLICATE_ADDED,
        from_status=primary.status,
        note=_("%(code)s, %(people)s more people")
        % {"code": duplicate.code, "people": duplicate.total_people},
        at=at,
    )
    return primary


@transaction.atomic
def petition_route_out(
    *, petition: Petition, actor: User, legal_channel_note: str, on: date | None = None
) -> Petition:
    """Send a complaint or denunciation to its legal procedure (Luật Khiếu nại, Luật Tố cáo)."""
    petition = _lock(petition)
    _require(petition, Petition.OPEN_STATUSES, _("This petition is already closed."))
    if not legal_channel_note.strip():
        raise InvalidTransition(
            _("Note the legal channel the petition is sent to."), field="legal_channel_note"
        )
    if not petition.follows_legal_procedure:
        petition.kind = Petition.Kind.COMPLAINT
    at = clock.moment(on)
    _cancel_active_assignments(petition, at=at)
    from_status = petition.status
    petition.status = Status.ROUTED_OUT
    petition.legal_channel_note = _text(legal_channel_note)
    petition.closed_at = at
    petition.lead_department = None
    petition.deadline = None
    petition.acknowledgement_due = None
    petition.save()
    PetitionEvent.record(
        petition,
        actor,
        Event.ROUTED_OUT,
        from_status=from_status,
        note=petition.legal_channel_note,
        at=at,
    )
    return petition


@transaction.atomic
def petition_acknowledge(
    *, petition: Petition, actor: User, sent_on: date, on: date | None = None
) -> Petition:
    """Record when the acknowledgement letter was sent to the petitioner."""
    petition = _lock(petition)
    if petition.acknowledgement_due is None:
        raise InvalidTransition(_("No acknowledgement letter is owed for this petition."))
    if sent_on < petition.received_on or sent_on > (on or today()):
        raise InvalidTransition(
            _("The sending date must be between the received date and today."), field="sent_on"
        )
    petition.acknowledged_on = sent_on
    petition.save(update_fields=["acknowledged_on", "updated_at"])
    PetitionEvent.record(
        petition,
        actor,
        Event.ACKNOWLEDGED,
        from_status=petition.status,
        note=f"{sent_on:%d/%m/%Y}",
        at=clock.moment(on),
    )
    return petition


@transaction.atomic
def attachment_add(
    *,
    petition: Petition,
    actor: User,
    upload: UploadedFile,
    answer: Answer | None = None,
    on: date | None = None,
) -> Attachment:
    """Store a file already checked by `petitions.uploads.validate_upload`."""
    attachment = Attachment(
        petition=petition,
        answer=answer,
        original_name=upload.name[:255],
        content_type=getattr(upload, "checked_content_type", "") or upload.content_type or "",
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    PetitionEvent.record(
        petition,
        actor,
        Event.ATTACHMENT_ADDED,
        from_status=petition.status,
        note=upload.name,
        at=clock.moment(on),
    )
    return attachment


# --- Recounting after a change of the calendar of days off ---------------------------------


def _assignment_deadline_moved(assignment: Assignment, old: date, *, actor=None) -> None:
    Petition.objects.filter(
        pk=assignment.petition_id, lead_department=assignment.department_id
    ).update(deadline=assignment.deadline)
    PetitionEvent.record(
        assignment.petition,
        actor,
        Event.DEADLINE_RECOUNTED,
        from_status=assignment.petition.status,
        department=assignment.department,
        note=_("%(old)s → %(new)s: the calendar of days off changed")
        % {"old": f"{old:%d/%m/%Y}", "new": f"{assignment.deadline:%d/%m/%Y}"},
    )


def assignments_recount(*, actor=None) -> int:
    """Assignments whose deadline was counted in working days, recounted (registered with
    `doluong_dialogue.deadlines.register_recompute`)."""
    return deadlines.recount_items(
        Assignment.objects.select_related("petition"),
        moved=_assignment_deadline_moved,
        actor=actor,
    )


def acknowledgements_recount(*, actor=None) -> int:
    """The due dates of the acknowledgement letters still owed, recounted."""
    changed = 0
    pending = (
        Petition.objects.acknowledgement_pending()
        .filter(status__in=Petition.OPEN_STATUSES)
        .select_for_update()
    )
    for petition in pending:
        due = workdays.add_working_days(petition.received_on, ACKNOWLEDGEMENT_WORKING_DAYS)
        if due == petition.acknowledgement_due:
            continue
        old = petition.acknowledgement_due
        Petition.objects.filter(pk=petition.pk).update(acknowledgement_due=due)
        PetitionEvent.record(
            petition,
            actor,
            Event.DEADLINE_RECOUNTED,
            from_status=petition.status,
            note=_("Acknowledgement letter due %(old)s → %(new)s: the calendar changed")
            % {"old": f"{old:%d/%m/%Y}", "new": f"{due:%d/%m/%Y}"},
        )
        changed += 1
    return changed

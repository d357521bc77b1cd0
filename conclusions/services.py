"""Every change of a conclusion and of its directives, each writing its event row.

The rules live here; forms only parse, views turn a `RuleError` into a message on its field.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from conclusions import effects
from conclusions import permissions as conclusion_permissions
from conclusions.draft import draft_from_session
from conclusions.models import (
    Conclusion,
    ConclusionEvent,
    Directive,
    DirectiveEvent,
    ProgressReport,
    ReportAttachment,
)
from doluong_dialogue import clock, deadlines, documents, text
from doluong_dialogue.documents import signing
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.rules import RuleError
from petitions.models import Department, Petition
from sessions import organisers
from sessions import services as session_services
from sessions.models import DialogueSession

Status = Conclusion.Status
Event = ConclusionEvent.Kind

# The longest a directive may be given, in working days from the issue.
MAX_WORKING_DAYS = 250


def _lock(conclusion: Conclusion) -> Conclusion:
    return Conclusion.objects.select_for_update().select_related("session").get(pk=conclusion.pk)


def _record(conclusion, actor, kind, *, from_status="", note="", on=None) -> ConclusionEvent:
    return ConclusionEvent.record(
        conclusion, actor, kind, from_status=from_status, note=note, at=clock.moment(on)
    )


def _text(value: str) -> str:
    return (value or "").strip()


def _editable(conclusion: Conclusion) -> None:
    if not conclusion.is_editable:
        raise RuleError(
            _("The conclusion is %(status)s: only a draft can be changed.")
            % {"status": conclusion.get_status_display().lower()}
        )


# --- The draft -------------------------------------------------------------------------------


@dataclass
class ConclusionData:
    summary: str
    opening: str = ""
    dialogued: str = ""
    not_dialogued: str = ""
    resolved: str = ""
    in_progress: str = ""
    closing: str = ""
    recipient_units: list[Department] = field(default_factory=list)
    other_recipients: str = ""

    @classmethod
    def of(cls, conclusion: Conclusion) -> "ConclusionData":
        return cls(
            summary=conclusion.summary,
            opening=conclusion.opening,
            dialogued=conclusion.dialogued,
            not_dialogued=conclusion.not_dialogued,
            resolved=conclusion.resolved,
            in_progress=conclusion.in_progress,
            closing=conclusion.closing,
            recipient_units=list(conclusion.recipient_units.all()),
            other_recipients=conclusion.other_recipients,
        )


SECTIONS = ("opening", "dialogued", "not_dialogued", "resolved", "in_progress", "closing")


@transaction.atomic
def conclusion_draft(*, session: DialogueSession, actor: User, on: date | None = None):
    """Write the first draft from the session, with a directive for every unit that still
    owes the residents an answer."""
    session = DialogueSession.objects.select_for_update().get(pk=session.pk)
    if not session.was_held:
        raise RuleError(_("A conclusion is drafted once the session has been held."))
    if Conclusion.objects.filter(session=session).exists():
        raise RuleError(_("This session already has its conclusion."))
    site = SiteConfiguration.load()
    body_name = session.organiser.name if session.organiser_id else site.short_name
    draft = draft_from_session(session, body_name=body_name)
    conclusion = Conclusion.objects.create(
        session=session,
        summary=draft.summary,
        opening=draft.opening,
        dialogued=draft.dialogued,
        not_dialogued=draft.not_dialogued,
        resolved=draft.resolved,
        in_progress=draft.in_progress,
        closing=draft.closing,
        created_by=actor,
        created_at=clock.moment(on),
    )
    conclusion.recipient_units.set(draft.recipient_units)
    _record(conclusion, actor, Event.DRAFTED, on=on)
    for order, proposal in enumerate(draft.directives, start=1):
        directive = Directive(
            conclusion=conclusion,
            order=order,
            lead=proposal.lead,
            task=proposal.task,
            counted_from_day=on or clock.today(),
        )
        _set_deadline(directive, proposal.deadline, proposal.working_days)
        directive.save()
        directive.petitions.set(proposal.petitions)
    return conclusion


def conclusion_data_errors(data: ConclusionData) -> list[RuleError]:
    errors = []
    if not _text(data.summary):
        errors.append(RuleError(_("Give the summary line under “THÔNG BÁO”."), field="summary"))
    if not _text(data.dialogued) and not _text(data.not_dialogued):
        errors.append(
            RuleError(
                _("Say what was dialogued at the session, or what was not."), field="dialogued"
            )
        )
    return errors


@transaction.atomic
def conclusion_update(
    *, conclusion: Conclusion, data: ConclusionData, actor: User, on: date | None = None
) -> Conclusion:
    conclusion = _lock(conclusion)
    _editable(conclusion)
    errors = conclusion_data_errors(data)
    if errors:
        raise RuleError.combine(errors)
    conclusion.summary = _text(data.summary)
    for name in SECTIONS:
        setattr(conclusion, name, _text(getattr(data, name)))
    conclusion.other_recipients = _text(data.other_recipients)
    conclusion.version += 1
    conclusion.save()
    conclusion.recipient_units.set(data.recipient_units)
    _record(conclusion, actor, Event.EDITED, from_status=conclusion.status, on=on)
    return conclusion


# --- Directives --------------------------------------------------------------------------------


@dataclass
class DirectiveData:
    lead: Department | None
    task: str
    supporting: list[Department] = field(default_factory=list)
    deadline: date | None = None
    working_days: int | None = None
    report_how: str = "báo cáo Thường trực Đảng ủy"
    petitions: list[Petition] = field(default_factory=list)

    @classmethod
    def of(cls, directive: Directive) -> "DirectiveData":
        return cls(
            lead=directive.lead,
            task=directive.task,
            supporting=list(directive.supporting.all()),
            deadline=None if directive.working_days else directive.deadline,
            working_days=directive.working_days,
            report_how=directive.report_how,
            petitions=list(directive.petitions.all()),
        )


def directive_data_errors(data: DirectiveData, session: DialogueSession) -> list[RuleError]:
    errors = []
    if data.lead is None:
        errors.append(RuleError(_("Choose the unit that leads this task."), field="lead"))
    elif not data.lead.members.filter(is_active=True).exists():
        errors.append(
            RuleError(
                _("%(unit)s has no active member to report on the task: add one first.")
                % {"unit": data.lead},
                field="lead",
            )
        )
    if data.lead is not None and data.lead in data.supporting:
        errors.append(
            RuleError(_("The lead unit is not also a supporting unit."), field="supporting")
        )
    if not _text(data.task):
        errors.append(RuleError(_("Say what the unit must do."), field="task"))
    if data.deadline is None and not data.working_days:
        errors.append(
            RuleError(
                _("Give the deadline: a date, or a number of working days from the issue."),
                field="deadline",
            )
        )
    elif data.deadline is not None and data.working_days:
        errors.append(
            RuleError(
                _("Give either a date or a number of working days, not both."),
                field="working_days",
            )
        )
    elif data.deadline is not None and data.deadline <= session.held_on:
        errors.append(
            RuleError(
                _("The deadline must come after the session (%(day)s).")
                % {"day": f"{session.held_on:%d/%m/%Y}"},
                field="deadline",
            )
        )
    elif data.working_days and not 1 <= data.working_days <= MAX_WORKING_DAYS:
        errors.append(
            RuleError(
                _("Give from 1 to %(most)s working days.") % {"most": MAX_WORKING_DAYS},
                field="working_days",
            )
        )
    if not _text(data.report_how):
        errors.append(RuleError(_("Say how the result is reported."), field="report_how"))
    on_agenda = set(session.agenda_items.values_list("petition_id", flat=True))
    strangers = [p.code for p in data.petitions if p.pk not in on_agenda]
    if strangers:
        errors.append(
            RuleError(
                _("Only petitions of this session's agenda are linked: %(codes)s.")
                % {"codes": ", ".join(strangers)},
                field="petitions",
            )
        )
    return errors


def _set_deadline(directive, deadline, working_days) -> None:
    """A date stays as given; working days are counted from the issue (until then, from the
    day the directive is written, to show the date it would give)."""
    if working_days:
        directive.working_days = working_days
        directive.counted_from_day = directive.counted_from_day or clock.today()
        directive.deadline = deadlines.deadline_in_working_days(
            directive.counted_from_day, working_days
        )
    else:
        directive.working_days = None
        directive.deadline = deadline


def _apply_directive(directive: Directive, data: DirectiveData) -> None:
    directive.lead = data.lead
    directive.task = _text(data.task).rstrip(".")
    directive.report_how = _text(data.report_how).rstrip(".")
    _set_deadline(directive, data.deadline, data.working_days)


@transaction.atomic
def directive_add(
    *, conclusion: Conclusion, data: DirectiveData, actor: User, on: date | None = None
) -> Directive:
    conclusion = _lock(conclusion)
    _editable(conclusion)
    if conclusion.session.organiser_id:
        # The organisation directs none of the commune's units: what needs them is forwarded.
        raise RuleError(
            _(
                "An organisation's notice gives no directives to the commune's units: forward "
                "what needs them to the commune from the session's page."
            )
        )
    errors = directive_data_errors(data, conclusion.session)
    if errors:
        raise RuleError.combine(errors)
    last = conclusion.directives.aggregate(last=Max("order"))["last"] or 0
    directive = Directive(
        conclusion=conclusion, order=last + 1, counted_from_day=on or clock.today()
    )
    _apply_directive(directive, data)
    directive.save()
    directive.supporting.set(data.supporting)
    directive.petitions.set(data.petitions)
    _touch(conclusion, actor, Event.DIRECTIVE_ADDED, note=str(directive.lead), on=on)
    return directive


@transaction.atomic
def directive_update(
    *, directive: Directive, data: DirectiveData, actor: User, on: date | None = None
) -> Directive:
    conclusion = _lock(directive.conclusion)
    _editable(conclusion)
    errors = directive_data_errors(data, conclusion.session)
    if errors:
        raise RuleError.combine(errors)
    directive = Directive.objects.select_for_update().get(pk=directive.pk)
    _apply_directive(directive, data)
    directive.save()
    directive.supporting.set(data.supporting)
    directive.petitions.set(data.petitions)
    _touch(conclusion, actor, Event.DIRECTIVE_CHANGED, note=str(directive.lead), on=on)
    return directive


@transaction.atomic
def directive_remove(*, directive: Directive, actor: User, on: date | None = None) -> None:
    conclusion = _lock(directive.conclusion)
    _editable(conclusion)
    note = str(directive.lead)
    directive.delete()
    _touch(conclusion, actor, Event.DIRECTIVE_REMOVED, note=note, on=on)


def _touch(conclusion: Conclusion, actor, kind, *, note="", on=None) -> None:
    conclusion.version += 1
    conclusion.save(update_fields=["version", "updated_at"])
    _record(conclusion, actor, kind, from_status=conclusion.status, note=note, on=on)


# --- Review and signature ---------------------------------------------------------------------


@transaction.atomic
def conclusion_submit(*, conclusion: Conclusion, actor: User, on: date | None = None):
    """Send the draft to the Secretary for signature (trình ký)."""
    conclusion = _lock(conclusion)
    if conclusion.status != Status.DRAFT:
        raise RuleError(_("Only a draft is submitted for signature."))
    errors = conclusion_data_errors(ConclusionData.of(conclusion))
    if errors:
        raise RuleError.combine(errors)
    conclusion.status = Status.SUBMITTED
    conclusion.save(update_fields=["status", "updated_at"])
    _record(conclusion, actor, Event.SUBMITTED, from_status=Status.DRAFT, on=on)
    return conclusion


@transaction.atomic
def conclusion_return(
    *, conclusion: Conclusion, actor: User, comment: str, on: date | None = None
) -> Conclusion:
    """The Secretary sends the draft back with what to change."""
    conclusion = _lock(conclusion)
    if not conclusion_permissions.can_sign(actor, conclusion.session):
        raise RuleError(_("Only the signer returns a draft submitted for signature."))
    if conclusion.status != Status.SUBMITTED:
        raise RuleError(_("Only a draft submitted for signature can be returned."))
    comment = _text(comment)
    if not comment:
        raise RuleError(_("Say what should be changed."), field="comment")
    conclusion.status = Status.DRAFT
    conclusion.review_comment = comment
    conclusion.save(update_fields=["status", "review_comment", "updated_at"])
    _record(conclusion, actor, Event.RETURNED, from_status=Status.SUBMITTED, note=comment, on=on)
    return conclusion


@transaction.atomic
def conclusion_sign(*, conclusion: Conclusion, actor: User, on: date | None = None) -> Conclusion:
    """Sign the notice: it takes the next number of the term's notices, its words are frozen,
    its PDF is rendered and signed digitally, and the session is concluded."""
    site = SiteConfiguration.load()
    conclusion = _lock(conclusion)
    session = conclusion.session
    capacity = conclusion_permissions.signing_capacity(actor, site, session)
    if capacity is None:
        if session.organiser_id:
            raise RuleError(
                _("Only the staff of %(organisation)s sign its notice, in its head's name.")
                % {"organisation": session.organiser.name}
            )
        raise RuleError(_("Only the Party Secretary signs the conclusion notice."))
    if conclusion.is_frozen:
        raise RuleError(
            _("The conclusion is signed already (number %(number)s).")
            % {"number": f"{conclusion.number:02d}"}
        )
    if conclusion.status != Status.SUBMITTED:
        raise RuleError(_("Only a draft submitted for signature can be signed."))
    if not conclusion.directives.exists() and not _text(conclusion.resolved):
        raise RuleError(_("A conclusion gives at least one directive, or says what is resolved."))
    try:
        # An organisation's notice is signed with its own certificate, never the committee's:
        # without one, the notice stays submitted and takes no number.
        signing.ensure_certificate(organisers.signing_body(session))
    except signing.CertificateMissing as exc:
        raise RuleError(str(exc)) from exc
    day = on or clock.today()
    name = text.person_name(actor)
    if capacity == "organisation":
        # The organisation's head signs; its notices run from 01 each year in its own series
        # (sessions/organisers.py gives the format and its basis).
        style = organisers.style_of(session.organiser)
        authority, title = style.authority, style.head_title
        name = session.organiser_head_name or name
        conclusion.series = organisers.series_code(session.organiser)
        conclusion.number = documents.next_number(conclusion.series, series_start=day.year)
        conclusion.term_start = day.year
    else:
        if capacity == "secretary":
            authority, title = site.signing_authority, site.signer_title
            name = site.secretary_name or name
        else:
            authority, title = "KT. BÍ THƯ", "PHÓ BÍ THƯ"
        conclusion.number = documents.next_number("TB")
        conclusion.term_start = documents.current_term().start
    conclusion.signed_on = day
    conclusion.signed_at = clock.moment(on)
    conclusion.signed_by = actor
    conclusion.signer_authority, conclusion.signer_title = authority, title
    conclusion.signer_name = name
    conclusion.review_comment = ""
    # The words are final from here: the model and the database refuse any change to them.
    conclusion.status = Status.SIGNED
    conclusion.save()
    reference = notice_reference(conclusion, site)
    _record(conclusion, actor, Event.SIGNED, from_status=Status.SUBMITTED, note=reference, on=on)
    effects.request_notice_pdf(conclusion)
    conclusion.session = session_services.session_conclude(
        session=conclusion.session,
        actor=actor,
        note=f"Thông báo {reference[0].lower()}{reference[1:]}",
        on=on,
    )
    return conclusion


def notice_reference(conclusion: Conclusion, site: SiteConfiguration | None = None) -> str:
    """ "Số 12-TB/ĐU", or an organisation's "Số: 05/TB-MTTQ"."""
    return conclusion.reference


@transaction.atomic
def conclusion_issue(*, conclusion: Conclusion, actor: User, on: date | None = None) -> Conclusion:
    """Send the signed notice to its recipients: from now on every directive is followed up,
    its deadline in working days counted from today."""
    conclusion = _lock(conclusion)
    if conclusion.status == Status.ISSUED:
        raise RuleError(
            _("The notice was issued on %(day)s.") % {"day": f"{conclusion.issued_on:%d/%m/%Y}"}
        )
    if conclusion.status != Status.SIGNED:
        raise RuleError(_("Only a signed notice is issued."))
    record = effects.notice_record(conclusion)
    if record is None or not record.is_ready:
        raise RuleError(_("The signed PDF is not ready yet: issue it once it is."))
    day = on or clock.today()
    conclusion.status = Status.ISSUED
    conclusion.issued_on = day
    conclusion.issued_by = actor
    conclusion.save(update_fields=["status", "issued_on", "issued_by", "updated_at"])
    for directive in conclusion.directives.select_for_update():
        directive.status = Directive.Status.OPEN
        fields = ["status"]
        if directive.working_days:
            directive.counted_from_day = day
            directive.deadline = deadlines.deadline_in_working_days(day, directive.working_days)
            fields += ["counted_from_day", "deadline"]
        directive.save(update_fields=fields)
        DirectiveEvent.record(
            directive,
            actor,
            DirectiveEvent.Kind.OPENED,
            from_status=Directive.Status.PENDING,
            note=_("Deadline %(day)s") % {"day": f"{directive.deadline:%d/%m/%Y}"},
            at=clock.moment(on),
        )
    recipients = effects.schedule_notice_emails(conclusion)
    _record(
        conclusion,
        actor,
        Event.ISSUED,
        from_status=Status.SIGNED,
        note=_("%(count)s units e-mailed") % {"count": recipients},
        on=on,
    )
    return conclusion


# --- Follow-up -----------------------------------------------------------------------------------


@dataclass
class ReportData:
    kind: str
    text: str
    stage: str = ""
    percent: int | None = None
    files: Iterable[UploadedFile] = ()


@transaction.atomic
def report_submit(
    *, directive: Directive, data: ReportData, actor: User, on: date | None = None
) -> ProgressReport:
    """The lead unit reports progress, or completion with its evidence."""
    directive = Directive.objects.select_for_update().select_related("lead").get(pk=directive.pk)
    if directive.lead_id not in _units(actor):
        raise RuleError(_("Only the lead unit's members report on this task."))
    if directive.status == Directive.Status.PENDING:
        raise RuleError(_("The notice is not issued yet: there is nothing to report."))
    if directive.status == Directive.Status.DONE:
        raise RuleError(_("The task is completed: its report was accepted."))
    if directive.status == Directive.Status.REPORTED:
        raise RuleError(_("The completion report is under review: wait for its answer."))
    words = _text(data.text)
    if not words:
        raise RuleError(_("Say what was done."), field="text")
    completion = data.kind == ProgressReport.Kind.COMPLETION
    percent = 100 if completion else data.percent
    if percent is not None and not 0 <= percent <= 100:
        raise RuleError(_("Give a percentage from 0 to 100."), field="percent")
    if completion and not data.files:
        raise RuleError(
            _("Attach the evidence of completion (a document, a photo)."), field="files"
        )
    report = ProgressReport.objects.create(
        directive=directive,
        kind=data.kind,
        text=words,
        stage=_text(data.stage),
        percent=percent,
        author=actor,
        created_at=clock.moment(on),
    )
    for upload in data.files:
        attachment = ReportAttachment(
            report=report,
            original_name=upload.name[:255],
            content_type=getattr(upload, "checked_content_type", "") or upload.content_type or "",
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    from_status = directive.status
    if completion:
        directive.status = Directive.Status.REPORTED
        directive.mark_done(at=clock.moment(on))
        directive.save(update_fields=["status", "done_at", "done_on_time"])
    DirectiveEvent.record(
        directive,
        actor,
        DirectiveEvent.Kind.COMPLETION if completion else DirectiveEvent.Kind.PROGRESS,
        from_status=from_status,
        note=f"{percent}%" if percent is not None else report.stage,
        at=clock.moment(on),
    )
    return report


def _units(user) -> frozenset[int]:
    from petitions.permissions import department_ids

    return department_ids(user)


def _review(report: ProgressReport, actor: User) -> ProgressReport:
    if not conclusion_permissions.can_review_reports(actor):
        raise RuleError(_("Only Ban Xây dựng Đảng or the Party Office reviews the reports."))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ProgressReport.Status.SUBMITTED:
        raise RuleError(_("This report has been reviewed already."))
    return report


@transaction.atomic
def report_accept(*, report: ProgressReport, actor: User, on: date | None = None):
    report = _review(report, actor)
    directive = Directive.objects.select_for_update().get(pk=report.directive_id)
    report.status = ProgressReport.Status.ACCEPTED
    report.reviewed_by, report.reviewed_at = actor, clock.moment(on)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    from_status = directive.status
    fields = []
    if report.percent is not None and report.percent > directive.progress:
        directive.progress = report.percent
        fields.append("progress")
    kind = DirectiveEvent.Kind.ACCEPTED
    if report.kind == ProgressReport.Kind.COMPLETION:
        directive.status = Directive.Status.DONE
        directive.progress = 100
        fields += ["status", "progress"]
    if fields:
        directive.save(update_fields=sorted(set(fields)))
    DirectiveEvent.record(
        directive,
        actor,
        kind,
        from_status=from_status,
        note=report.get_kind_display(),
        at=clock.moment(on),
    )
    return report


@transaction.atomic
def report_return(
    *, report: ProgressReport, actor: User, note: str, on: date | None = None
) -> ProgressReport:
    report = _review(report, actor)
    note = _text(note)
    if not note:
        raise RuleError(_("Say what the unit must add or correct."), field="note")
    directive = Directive.objects.select_for_update().get(pk=report.directive_id)
    report.status = ProgressReport.Status.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = actor, clock.moment(on), note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    from_status = directive.status
    if (
        report.kind == ProgressReport.Kind.COMPLETION
        and directive.status == Directive.Status.REPORTED
    ):
        directive.status = Directive.Status.OPEN
        directive.mark_running_again()
        directive.save(update_fields=["status", "done_at", "done_on_time"])
    DirectiveEvent.record(
        directive,
        actor,
        DirectiveEvent.Kind.RETURNED,
        from_status=from_status,
        note=note,
        at=clock.moment(on),
    )
    return report


# --- When the calendar of days off changes -----------------------------------------------------


def directives_recount(*, actor=None) -> int:
    """Running directives counted in working days, recounted from their issue date."""
    return deadlines.recount_items(
        Directive.objects.filter(conclusion__status=Status.ISSUED),
        moved=_directive_deadline_moved,
        actor=actor,
    )


def _directive_deadline_moved(directive: Directive, old: date, *, actor=None) -> None:
    DirectiveEvent.record(
        directive,
        actor,
        DirectiveEvent.Kind.RECOUNTED,
        from_status=directive.status,
        note=_("Deadline %(old)s → %(new)s: the calendar changed")
        % {"old": f"{old:%d/%m/%Y}", "new": f"{directive.deadline:%d/%m/%Y}"},
    )

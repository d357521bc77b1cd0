"""Proposals of review (đề nghị kiểm điểm): the Inspection Committee proposes, with the
reason and the overdue items as evidence, that a unit or a person be reviewed; the Secretary
takes it into consideration and concludes it. Each step writes the proposal's timeline."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from conclusions.models import Directive, ReviewFlag, ReviewFlagEvent
from conclusions.permissions import can_decide_flags as can_decide
from conclusions.permissions import can_raise_flags as can_raise
from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError
from petitions.models import Assignment, Department

Status = ReviewFlag.Status
Kind = ReviewFlagEvent.Kind


@dataclass
class FlagData:
    reason: str
    unit: Department | None = None
    person: User | None = None
    assignments: list[Assignment] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)


def _text(value: str) -> str:
    return "\n".join(line.rstrip() for line in (value or "").strip().splitlines())


def flag_data_errors(data: FlagData) -> list[RuleError]:
    errors = []
    if data.unit is None and data.person is None:
        errors.append(RuleError(_("Name the unit or the person to be reviewed."), field="unit"))
    if (
        data.unit is not None
        and data.person is not None
        and not data.unit.members.filter(pk=data.person.pk).exists()
    ):
        errors.append(
            RuleError(
                _("%(person)s is not a member of %(unit)s.")
                % {"person": data.person.get_full_name() or data.person, "unit": data.unit},
                field="person",
            )
        )
    if not _text(data.reason):
        errors.append(RuleError(_("Say why the review is proposed."), field="reason"))
    if data.unit is not None:
        strangers = [a for a in data.assignments if a.department_id != data.unit.pk]
        strangers += [d for d in data.directives if d.lead_id != data.unit.pk]
        if strangers:
            errors.append(
                RuleError(_("The evidence must be items the unit leads."), field="assignments")
            )
    return errors


@transaction.atomic
def review_flag_raise(*, data: FlagData, actor: User, on: date | None = None) -> ReviewFlag:
    if not can_raise(actor):
        raise RuleError(_("Only the Inspection Committee proposes a review."))
    errors = flag_data_errors(data)
    if errors:
        raise RuleError.combine(errors)
    flag = ReviewFlag.objects.create(
        unit=data.unit,
        person=data.person,
        reason=_text(data.reason),
        raised_by=actor,
        raised_at=clock.moment(on),
    )
    flag.assignments.set(data.assignments)
    flag.directives.set(data.directives)
    count = len(data.assignments) + len(data.directives)
    ReviewFlagEvent.record(
        flag,
        actor,
        Kind.RAISED,
        note=_("%(count)s items as evidence") % {"count": count},
        at=clock.moment(on),
    )
    return flag


def _lock(flag: ReviewFlag) -> ReviewFlag:
    return ReviewFlag.objects.select_for_update().get(pk=flag.pk)


@transaction.atomic
def review_flag_consider(
    *, flag: ReviewFlag, actor: User, note: str = "", on: date | None = None
) -> ReviewFlag:
    if not can_decide(actor):
        raise RuleError(_("Only the Party Secretary takes a proposal into consideration."))
    flag = _lock(flag)
    if flag.status != Status.RAISED:
        raise RuleError(_("This proposal is already being considered or concluded."))
    flag.status = Status.CONSIDERED
    flag.save(update_fields=["status"])
    ReviewFlagEvent.record(
        flag,
        actor,
        Kind.CONSIDERED,
        from_status=Status.RAISED,
        note=_text(note),
        at=clock.moment(on),
    )
    return flag


@transaction.atomic
def review_flag_conclude(
    *, flag: ReviewFlag, actor: User, outcome: str, on: date | None = None
) -> ReviewFlag:
    if not can_decide(actor):
        raise RuleError(_("Only the Party Secretary concludes a proposal of review."))
    flag = _lock(flag)
    if flag.status == Status.CONCLUDED:
        raise RuleError(_("This proposal is concluded already."))
    outcome = _text(outcome)
    if not outcome:
        raise RuleError(_("Say what was concluded."), field="outcome")
    from_status = flag.status
    flag.status = Status.CONCLUDED
    flag.outcome = outcome
    flag.save(update_fields=["status", "outcome"])
    ReviewFlagEvent.record(
        flag, actor, Kind.CONCLUDED, from_status=from_status, note=outcome, at=clock.moment(on)
    )
    return flag

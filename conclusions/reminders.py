"""The daily reminders: what each unit has due soon, due today and overdue — assignments
and directives alike — as one e-mail digest per unit and a line in its members' bell, and
what has been overdue long enough for the Inspection Committee and the Secretary.

`reminders_send(on=)` is the whole sweep (Celery beat at 07:00, `manage.py send_reminders`).
It is safe to run again and to run twice at once:

- every e-mail is a durable side effect keyed by (unit or person, day), so a day's digest is
  sent once whatever runs it;
- every bell line is keyed by (item, what it says: due soon, due today, overdue, escalated),
  so a member hears of each once, not every morning;
- each working day swept is recorded (`ReminderRun`); a run catches up the working days
  missed since the last one (at most CATCH_UP_DAYS back), each with its own digest.

Queries: a fixed number per day (the items, the units' people, the escalation people) plus
one insert per unit; they do not grow with the number of items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from conclusions.models import Directive, ReminderRun
from doluong_dialogue import clock, side_effects, workdays
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.notifications import Tell, notify_all
from doluong_dialogue.paging import capped_count
from petitions.models import Assignment, Department
from petitions.permissions import Role

DIGEST_EMAIL = "conclusions.digest_email"
ESCALATION_EMAIL = "conclusions.escalation_email"
# A worker or broker down for longer than this loses the older days' digests (not the items:
# they are still in the next digest, overdue).
CATCH_UP_DAYS = 14
STAFF = (Role.PARTY_BUILDING, Role.PARTY_OFFICE)


@dataclass(frozen=True)
class Line:
    """One item in a digest: an assignment of a petition or a directive of a conclusion."""

    kind: str  # "assignment" | "directive"
    pk: int
    unit_id: int
    label: str
    deadline: date
    overdue_days: int = 0

    @property
    def url(self) -> str:
        if self.kind == "assignment":
            return reverse("petitions:assignment", args=[self.pk])
        return reverse("conclusions:directive", args=[self.pk])

    def as_payload(self) -> dict:
        return {
            "kind": self.kind,
            "pk": self.pk,
            "label": self.label,
            "deadline": self.deadline.isoformat(),
            "overdue_days": self.overdue_days,
            "url": self.url,
        }


@dataclass
class Digest:
    unit_id: int
    overdue: list[Line] = field(default_factory=list)
    due_today: list[Line] = field(default_factory=list)
    due_soon: list[Line] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_today or self.due_soon)

    def as_payload(self, day: date) -> dict:
        return {
            "unit_id": self.unit_id,
            "day": day.isoformat(),
            "overdue": [line.as_payload() for line in self.overdue],
            "due_today": [line.as_payload() for line in self.due_today],
            "due_soon": [line.as_payload() for line in self.due_soon],
        }


def _lines(on: date, until: date, reader: DeadlineReader) -> list[Line]:
    """Every running assignment and directive due by `until`: two queries."""
    lines = []
    assignments = (
        Assignment.objects.running()
        .filter(deadline__lte=until)
        .select_related("petition")
        .only("pk", "department_id", "deadline", "status", "petition__code", "petition__summary")
        .order_by("deadline", "pk")
    )
    for assignment in assignments:
        lines.append(
            Line(
                "assignment",
                assignment.pk,
                assignment.department_id,
                f"{assignment.petition.code} — {assignment.petition.summary}",
                assignment.deadline,
                reader.overdue_days(assignment.deadline),
            )
        )
    directives = (
        Directive.objects.running()
        .filter(deadline__lte=until)
        .select_related("conclusion")
        .only("pk", "lead_id", "deadline", "status", "task", "conclusion__number")
        .order_by("deadline", "pk")
    )
    for directive in directives:
        number = directive.conclusion.number or 0
        task = directive.task if len(directive.task) <= 120 else f"{directive.task[:119]}…"
        lines.append(
            Line(
                "directive",
                directive.pk,
                directive.lead_id,
                _("Notice %(number)s-TB: %(task)s") % {"number": f"{number:02d}", "task": task},
                directive.deadline,
                reader.overdue_days(directive.deadline),
            )
        )
    return lines


def digests(*, on: date, soon_days: int | None = None) -> dict[int, Digest]:
    """What each unit is told on `on`, by unit id (units with nothing due are left out)."""
    if soon_days is None:
        soon_days = SiteConfiguration.load().reminder_days
    reader = DeadlineReader(on)
    until = reader.calendar.add(on, soon_days) if soon_days else on
    found: dict[int, Digest] = {}
    for line in _lines(on, until, reader):
        digest = found.setdefault(line.unit_id, Digest(line.unit_id))
        if line.deadline < on:
            digest.overdue.append(line)
        elif line.deadline == on:
            digest.due_today.append(line)
        else:
            digest.due_soon.append(line)
    for digest in found.values():
        digest.overdue.sort(key=lambda line: (-line.overdue_days, line.pk))
    return found


# --- What the staff are reminded of --------------------------------------------------------

ANNOUNCE_DAYS_BEFORE = 10  # a session within this many days that is not announced yet
HELD_NOT_CONCLUDED_DAYS = (3, 7)
CONCLUSION_WITHIN_DAYS = 10  # the law: results published within 10 days of the session
SILENT_WORKING_DAYS = 10  # a running directive with no report for this long


@dataclass(frozen=True)
class StaffLine:
    key: str
    title: str
    url: str


def staff_lines(*, on: date) -> list[StaffLine]:
    """What Ban Xây dựng Đảng and the Party Office are reminded of on `on` (a fixed number of
    queries). Each line's key says the state it is about, so it is told once. The Front's and
    the mass organisations' own dialogues are theirs to run: not among them."""
    from django.db.models import Max

    from petitions.models import Petition
    from sessions.models import DialogueSession

    lines = []
    Status = DialogueSession.Status
    sessions = DialogueSession.objects.of_party_committee()
    coming = sessions.filter(
        status__in=[Status.PLANNED, Status.POSTPONED],
        held_on__gte=on,
        held_on__lte=on + timedelta(days=ANNOUNCE_DAYS_BEFORE),
    ).order_by("held_on", "pk")
    for session in coming:
        lines.append(
            StaffLine(
                f"session:{session.pk}:announce:{session.held_on}",
                _("Session of %(day)s not announced yet: %(title)s")
                % {"day": f"{session.held_on:%d/%m/%Y}", "title": session.title},
                reverse("sessions:announcement", args=[session.pk]),
            )
        )
    held = sessions.filter(
        status=Status.HELD, held_on__lte=on - timedelta(days=min(HELD_NOT_CONCLUDED_DAYS))
    ).order_by("held_on", "pk")
    for session in held:
        waited = (on - session.held_on).days
        step = max(days for days in HELD_NOT_CONCLUDED_DAYS if waited >= days)
        lines.append(
            StaffLine(
                f"session:{session.pk}:held:{step}",
                _("Session of %(day)s held %(days)s days ago, with no conclusion yet: %(title)s")
                % {"day": f"{session.held_on:%d/%m/%Y}", "days": waited, "title": session.title},
                reverse("conclusions:for_session", args=[session.pk]),
            )
        )
    late = (
        sessions.filter(
            status__in=[Status.HELD, Status.CONCLUDED],
            held_on__lt=on - timedelta(days=CONCLUSION_WITHIN_DAYS),
        )
        .exclude(conclusion__status="issued")
        .order_by("held_on", "pk")
    )
    for session in late:
        lines.append(
            StaffLine(
                f"session:{session.pk}:not-issued",
                _(
                    "%(days)s days after the session of %(day)s, its conclusion notice is not "
                    "issued: %(title)s"
                )
                % {
                    "days": CONCLUSION_WITHIN_DAYS,
                    "day": f"{session.held_on:%d/%m/%Y}",
                    "title": session.title,
                },
                reverse("conclusions:for_session", args=[session.pk]),
            )
        )
    silent_since = workdays.add_working_days(on, -SILENT_WORKING_DAYS)
    running = (
        Directive.objects.running()
        .select_related("conclusion", "lead")
        .annotate(last_report=Max("reports__created_at"))
        .order_by("deadline", "pk")
    )
    for directive in running:
        since = (
            timezone.localdate(directive.last_report)
            if directive.last_report
            else directive.conclusion.issued_on
        )
        if since is None or since > silent_since:
            continue
        lines.append(
            StaffLine(
                f"directive:{directive.pk}:silent:{since}",
                _("%(unit)s has reported no progress since %(day)s: %(task)s")
                % {
                    "unit": directive.lead,
                    "day": f"{since:%d/%m/%Y}",
                    "task": directive.task[:100],
                },
                reverse("conclusions:directive", args=[directive.pk]),
            )
        )
    # Letters owed: one line a day with how many (there may be many; the list has them all).
    owed = capped_count(Petition.objects.acknowledgement_overdue(on=on), cap=999)
    if owed != 0:
        many = _("more than %(count)s") % {"count": 999} if owed is None else str(owed)
        lines.append(
            StaffLine(
                f"acknowledgements-overdue:{on}",
                _("%(count)s acknowledgement letters overdue, not sent") % {"count": many},
                reverse("petitions:acknowledgements"),
            )
        )
    return lines


@dataclass
class DayReport:
    day: date
    units: int = 0
    escalated: int = 0
    staff: int = 0
    already_done: bool = False


def _members(unit_ids) -> dict[int, list[User]]:
    people = defaultdict(list)
    through = Department.members.through.objects.filter(
        department_id__in=unit_ids, user__is_active=True
    ).select_related("user")
    for row in through:
        people[row.department_id].append(row.user)
    return people


def _role_holders(role: str) -> list[User]:
    return list(User.objects.filter(groups__name=role, is_active=True).distinct())


def _state_word(line: Line, on: date) -> tuple[str, str]:
    """(the bell key's state, the title) of a line."""
    if line.deadline < on:
        return "overdue", _("Overdue: %(item)s") % {"item": line.label}
    if line.deadline == on:
        return "today", _("Due today: %(item)s") % {"item": line.label}
    return "soon", _("Due soon (%(day)s): %(item)s") % {
        "day": f"{line.deadline:%d/%m/%Y}",
        "item": line.label,
    }


def _send_day(day: date, site: SiteConfiguration) -> DayReport:
    report = DayReport(day)
    # Two sweeps of the same day queue here; the second finds it finished.
    ReminderRun.objects.get_or_create(day=day)
    run = ReminderRun.objects.select_for_update().get(day=day)
    if run.finished_at is not None:
        report.already_done = True
        return report
    found = digests(on=day, soon_days=site.reminder_days)
    people = _members(found)
    tells = []
    for unit_id, digest in found.items():
        side_effects.schedule(
            DIGEST_EMAIL, key=f"{DIGEST_EMAIL}:{unit_id}:{day}", **digest.as_payload(day)
        )
        for line in digest.overdue + digest.due_today + digest.due_soon:
            state, title = _state_word(line, day)
            tells.append(
                Tell(
                    people.get(unit_id, []),
                    # Told once per state of a deadline: again after an extension.
                    key=f"{line.kind}:{line.pk}:{state}:{line.deadline}",
                    title=title,
                    url=line.url,
                    note=_("Deadline %(day)s") % {"day": f"{line.deadline:%d/%m/%Y}"},
                )
            )
        report.units += 1

    # Escalation: long overdue items go up, each told once per level.
    ladder = [
        (Role.INSPECTION, site.escalate_to_inspection_after),
        (Role.SECRETARY, site.escalate_to_secretary_after),
    ]
    overdue = [line for digest in found.values() for line in digest.overdue]
    for role, after in ladder:
        if not after:
            continue
        lines = [line for line in overdue if line.overdue_days >= after]
        if not lines:
            continue
        holders = _role_holders(role)
        for person in holders:
            if person.email:
                side_effects.schedule(
                    ESCALATION_EMAIL,
                    key=f"{ESCALATION_EMAIL}:{role}:{person.pk}:{day}",
                    user_id=person.pk,
                    role=role,
                    after=after,
                    day=day.isoformat(),
                    lines=[line.as_payload() for line in lines],
                )
        tells += [
            Tell(
                holders,
                key=f"{line.kind}:{line.pk}:escalated:{role}:{line.deadline}",
                title=_("Overdue by %(days)s working days or more: %(item)s")
                % {"days": after, "item": line.label},
                url=line.url,
                note=_("Deadline %(day)s") % {"day": f"{line.deadline:%d/%m/%Y}"},
            )
            for line in lines
        ]
        report.escalated += len(lines)

    # The staff: a bell line per reminder, and one e-mail a day listing the new ones.
    staff = [person for role in STAFF for person in _role_holders(role)]
    staff = list({person.pk: person for person in staff}.values())
    for line in staff_lines(on=day):
        tells.append(Tell(staff, key=line.key, title=line.title, url=line.url))
        report.staff += 1
    notify_all(tells)
    run.finished_at = timezone.now()
    run.units = report.units
    run.save(update_fields=["finished_at", "units"])
    return report


def days_to_sweep(on: date) -> list[date]:
    """The working days from the one after the last sweep up to `on` (at most
    CATCH_UP_DAYS back); `on` itself when it is a working day."""
    last = ReminderRun.objects.filter(day__lt=on, finished_at__isnull=False).order_by("-day")
    last_day = last.values_list("day", flat=True).first()
    start = on  # the first sweep ever has nothing to catch up
    if last_day is not None:
        start = max(on - timedelta(days=CATCH_UP_DAYS), last_day + timedelta(days=1))
    days = []
    day = start
    while day <= on:
        if workdays.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def reminders_send(*, on: date | None = None) -> list[DayReport]:
    """The daily sweep for `on` (today), with the working days missed before it."""
    on = on or clock.today()
    site = SiteConfiguration.load()
    reports = []
    # The bell's lines are written once, in the language of the interface.
    with translation.override(settings.LANGUAGE_CODE):
        for day in days_to_sweep(on):
            with transaction.atomic():
                reports.append(_send_day(day, site))
    return reports

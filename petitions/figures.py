"""The figures the home pages and dashboards show, each counted with the condition the list
behind its link filters with (petitions.models, doluong_dialogue.deadlines): a figure and the
length of its list cannot disagree. tests/conclusions/test_figures.py opens every link."""

from datetime import date, timedelta

from django.db.models import Count, Min, Q, QuerySet

from doluong_dialogue import clock
from petitions.models import Assignment, Petition

Status = Petition.Status
# The inbox's second tab: what a unit answered in this many days.
RECENTLY_ANSWERED_DAYS = 30


def petition_figures(petitions: QuerySet, *, on: date) -> dict[str, int]:
    """What waits at each step among `petitions`, in one query."""
    return petitions.aggregate(
        received=Count("pk", filter=Q(status=Status.RECEIVED)),
        to_assign=Count("pk", filter=Q(status__in=Petition.ASSIGNABLE_STATUSES)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        assigned=Count("pk", filter=Q(status=Status.ASSIGNED)),
        answered=Count("pk", filter=Q(status=Status.ANSWERED)),
        overdue=Count("pk", filter=Petition.overdue_condition(on)),
        extensions=Count("pk", filter=Petition.pending_extension_condition()),
        letters_overdue=Count("pk", filter=Petition.acknowledgement_overdue_condition(on)),
        open=Count("pk", filter=Q(status__in=Petition.OPEN_STATUSES)),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
    )


def overdue_by_lead_unit(*, on: date) -> list[dict]:
    """The overdue petitions by the unit that leads them; the rows add up to the overdue
    figure, and each row's link lists exactly its petitions (`?due=overdue&lead=<unit>`)."""
    return list(
        Petition.objects.overdue(on=on)
        .values("lead_department_id", "lead_department__name")
        .annotate(count=Count("pk"), oldest=Min("deadline"))
        .order_by("-count", "oldest", "lead_department__name")
    )


def inbox_figures(units, *, on: date, soon: date | None = None) -> dict[str, int]:
    """A member's inbox in one query: what waits for the units' answer (leading or
    supporting), what of it is overdue or due within 3 working days, and what they answered
    in the last 30 days."""
    since = clock.now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    return Assignment.objects.for_units(units).aggregate(
        open=Count("pk", filter=Assignment.running_condition()),
        overdue=Count("pk", filter=Assignment.overdue_condition(on)),
        due_soon=Count("pk", filter=Assignment.due_soon_condition(on, soon)),
        answered=Count("pk", filter=Q(done_at__gte=since)),
    )

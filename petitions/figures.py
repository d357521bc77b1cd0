"""The figures the home pages and dashboards show, each counted with the condition the list
behind its link filters with (petitions.models, doluong_dialogue.deadlines): a figure and the
length of its list cannot disagree. tests/conclusions/test_figures.py opens every link."""

from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from doluong_dialogue import clock
from doluong_dialogue.paging import DEFAULT_CAP, CappedCount, capped_counts
from petitions.models import Assignment, Department, Petition

Status = Petition.Status
# The inbox's second tab: what a unit answered in this many days.
RECENTLY_ANSWERED_DAYS = 30


def petition_figures(petitions: QuerySet, *, on: date) -> dict[str, int | None]:
    """What waits at each step among `petitions`, in one query; None is more than
    `DEFAULT_CAP` (the page says "more than 10,000"), as the list behind it says."""
    return capped_counts(petition_figure_lists(petitions, on=on))


def petition_figure_lists(petitions: QuerySet, *, on: date) -> dict[str, QuerySet]:
    """The lists `petition_figures` counts."""
    return {
        "received": petitions.filter(status=Status.RECEIVED),
        "to_assign": petitions.to_assign(),
        "returned": petitions.filter(status=Status.RETURNED),
        "assigned": petitions.filter(status=Status.ASSIGNED),
        "answered": petitions.filter(status=Status.ANSWERED),
        "overdue": petitions.overdue(on=on),
        "extensions": petitions.with_pending_extension(),
        "letters_overdue": petitions.acknowledgement_overdue(on=on),
        "open": petitions.open(),
        "closed": petitions.closed(),
    }


def overdue_by_lead_unit(*, on: date) -> list[dict]:
    """The overdue petitions by the unit that leads them, most first; each row's link lists
    exactly its petitions (`?due=overdue&lead=<unit>`). A count above `DEFAULT_CAP` is None;
    otherwise the rows add up to the overdue figure."""
    overdue = Petition.objects.overdue(on=on).filter(lead_department=OuterRef("pk"))
    units = Department.objects.annotate(
        count=CappedCount(overdue.order_by().values("pk")[: DEFAULT_CAP + 1]),
        oldest=Subquery(overdue.order_by("deadline").values("deadline")[:1]),
    ).values("pk", "name", "count", "oldest")
    rows = [
        {
            "lead_department_id": unit["pk"],
            "lead_department__name": unit["name"],
            "count": unit["count"] if unit["count"] <= DEFAULT_CAP else None,
            "oldest": unit["oldest"],
        }
        for unit in units
        if unit["count"]
    ]
    rows.sort(
        key=lambda row: (
            -(DEFAULT_CAP + 1 if row["count"] is None else row["count"]),
            row["oldest"],
            row["lead_department__name"],
        )
    )
    return rows


def inbox_figures(units, *, on: date, soon: date | None = None) -> dict[str, int | None]:
    """A member's inbox: what waits for the units' answer (leading or supporting), what of
    it is overdue or due within 3 working days, and what they answered in the last 30 days;
    None is more than `DEFAULT_CAP`.

    Two queries over two parts that share no row: what the units lead, a capped count per
    figure by the (unit, status, deadline) index; what they support and another unit leads
    (a small set), every figure in one pass."""
    since = clock.now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    conditions = {
        "open": Assignment.running_condition(),
        "overdue": Assignment.overdue_condition(on),
        "due_soon": Assignment.due_soon_condition(on, soon),
        "answered": Q(done_at__gte=since),
    }
    led = Assignment.objects.led_by(units)
    counted = capped_counts({name: led.filter(condition) for name, condition in conditions.items()})
    supported = Assignment.objects.supported_by(units).aggregate(
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()}
    )
    figures = {}
    for name in conditions:
        total = None if counted[name] is None else counted[name] + supported[name]
        figures[name] = total if total is not None and total <= DEFAULT_CAP else None
    return figures

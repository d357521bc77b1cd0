"""The figures the home pages and dashboards show, each counted with the condition the list
behind its link filters with (petitions.models, doluong_dialogue.deadlines): a figure and the
length of its list cannot disagree. tests/conclusions/test_seed_demo.py opens every link of
every role's home page; tests/petitions/test_fast_paths.py and test_tallies.py compare the
figures with plain counts."""

from datetime import date, timedelta

from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum

from doluong_dialogue import clock
from doluong_dialogue.models import Tally
from doluong_dialogue.paging import DEFAULT_CAP, capped_counts
from petitions.models import Assignment, Department, ExtensionRequest, Petition, PetitionUnit
from petitions.tallies import UNIT_STATE

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


def all_petition_figures(*, on: date) -> dict[str, int | None]:
    """`petition_figures` of every petition, for those who read everything: exact, from the
    tallies (petitions/tallies.py) in one query whatever the number of petitions; the
    petitions with an extension request to decide (a few) from the pending requests' index
    (one query)."""
    petition = Q(name="petition")
    waiting = petition & Q(status=Petition.WAITING_FOR_UNIT)
    sums = {
        "received": petition & Q(status=Status.RECEIVED),
        "to_assign": petition & Q(status__in=Petition.ASSIGNABLE_STATUSES),
        "returned": petition & Q(status=Status.RETURNED),
        "assigned": waiting,
        "answered": petition & Q(status=Status.ANSWERED),
        "overdue": waiting & Q(day__lt=on),
        "letters_overdue": Q(name="petition_letter", day__lt=on),
        "open": petition & Q(status__in=Petition.OPEN_STATUSES),
        "closed": petition & Q(status=Status.CLOSED),
    }
    summed = Tally.objects.filter(name__in=["petition", "petition_letter"]).aggregate(
        **{name: Sum("count", filter=condition) for name, condition in sums.items()}
    )
    figures = {name: summed[name] or 0 for name in sums}
    # The petitions of the pending requests, each once: the list behind the figure.
    figures["extensions"] = ExtensionRequest.objects.to_decide().aggregate(
        n=Count("assignment_petition_id", distinct=True)
    )["n"]
    return {name: figures[name] for name in petition_figure_lists(Petition.objects.none(), on=on)}


def overdue_by_lead_unit(*, on: date) -> list[dict]:
    """The overdue petitions by the unit that leads them, most first; each row's link lists
    exactly its petitions (`?due=overdue&lead=<unit>`) and the rows add up to the overdue
    figure. Summed from the petitions' tally (by lead unit and deadline while a unit owes
    the answer): one query over a few keys per unit and day, whatever the number of
    petitions."""
    keys = (
        Tally.objects.filter(
            name="petition", status=Petition.WAITING_FOR_UNIT, day__lt=on, unit_id__isnull=False
        )
        .values("unit_id", "day")
        .annotate(n=Sum("count"))
        .filter(n__gt=0)  # a key whose rows cancel out: no petition left there
        .order_by()
    )
    sql, params = keys.query.sql_with_params()
    with connections[keys.db].cursor() as cursor:
        cursor.execute(
            f"SELECT k.unit_id, u.name, SUM(k.n), MIN(k.day) FROM ({sql}) k "
            f"JOIN {Department._meta.db_table} u ON u.id = k.unit_id GROUP BY k.unit_id, u.name",
            params,
        )
        units = cursor.fetchall()
    rows = [
        {
            "lead_department_id": unit,
            "lead_department__name": name,
            "count": int(n),
            # SQLite hands a raw query's date over as text.
            "oldest": day if isinstance(day, date) else date.fromisoformat(day),
        }
        for unit, name, n, day in units
    ]
    rows.sort(key=lambda row: (-row["count"], row["oldest"], row["lead_department__name"]))
    return rows


def inbox_figures(units, *, on: date, soon: date | None = None) -> dict[str, int | None]:
    """A member's inbox: what waits for the units' answer (leading or supporting), what of
    it is overdue or due within 3 working days, and what they answered in the last 30 days;
    None is more than `DEFAULT_CAP`.

    Two queries over two parts that share no row: what the units lead, a capped count per
    figure by the (unit, status, deadline) index; what they support and another unit leads,
    every figure in one pass over the units' petition-unit rows, which carry a copy of their
    assignment's state (`as_copied`)."""
    since = clock.now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    conditions = {
        "open": Assignment.running_condition(),
        "overdue": Assignment.overdue_condition(on),
        "due_soon": Assignment.due_soon_condition(on, soon),
        "answered": Q(done_at__gte=since),
    }
    led = Assignment.objects.led_by(units)
    counted = capped_counts({name: led.filter(condition) for name, condition in conditions.items()})
    # Counted by a column of the index that is never NULL (COUNT(*) takes no filter in
    # Django, and the id is not in the index): PostgreSQL reads the index alone.
    supported = PetitionUnit.objects.supported_by(units).aggregate(
        **{
            name: Count("department", filter=as_copied(condition))
            for name, condition in conditions.items()
        }
    )
    figures = {}
    for name in conditions:
        total = None if counted[name] is None else counted[name] + supported[name]
        figures[name] = total if total is not None and total <= DEFAULT_CAP else None
    return figures


def as_copied(condition: Q) -> Q:
    """An assignment's `condition` asked of the copies of its state in its petition-unit
    rows (petitions.tallies.UNIT_STATE): `status__in` becomes `assignment_status__in`."""
    copied = {original: copy for copy, original in UNIT_STATE.columns}
    copied["department"] = copied["department_id"]

    def moved(child):
        if isinstance(child, Q):
            return as_copied(child)
        lookup, value = child
        field, separator, rest = lookup.partition("__")
        return (copied[field] + separator + rest, value)

    return Q(
        *(moved(child) for child in condition.children),
        _connector=condition.connector,
        _negated=condition.negated,
    )

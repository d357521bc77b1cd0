"""What anyone may read without logging in (the "công khai" pages): the issued conclusions,
the resolution status of published petitions per topic, and one petition's status found by
its receipt code.

Every selector here returns plain rows holding only public fields, so that a template cannot
reach a petitioner's name, phone or address, nor what they wrote, by following a relation:

- a conclusion is public once issued (its notice is what the Party committee publishes);
- a petition is published once it is classified (it has a topic), unless it follows the
  complaint procedure (khiếu nại, tố cáo: its own legal channel, never listed) or its
  petitioner asked for their identity to be hidden: such a petition is left out of the
  lists entirely, since its code, hamlet and date next to each other could point to the
  person. Its petitioner, who holds the receipt code, still finds its status by the lookup.
- what a petition row says: receipt code, topic, hamlet, received date, status, outcome and
  its date. Never its summary or content: residents' own words may name people.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Conclusion, Directive
from petitions.models import Petition, Topic

# The conclusion is published within 10 days of the session.
PUBLISH_WITHIN_DAYS = 10


class PublicStatus:
    RECEIVED = "received"
    IN_HAND = "in_hand"
    CLOSED = "closed"
    ROUTED_OUT = "routed_out"

    LABELS = {
        RECEIVED: _("Received"),
        IN_HAND: _("Being handled"),
        CLOSED: _("Closed"),
        ROUTED_OUT: _("Sent to the complaint procedure"),
    }
    # The order a topic's counts are shown in (a routed-out petition is never listed).
    LISTED = (RECEIVED, IN_HAND, CLOSED)

    FROM_STATUS = {
        Petition.Status.RECEIVED: RECEIVED,
        Petition.Status.CLASSIFIED: RECEIVED,
        Petition.Status.ASSIGNED: IN_HAND,
        Petition.Status.RETURNED: IN_HAND,
        Petition.Status.ANSWERED: IN_HAND,
        Petition.Status.CLOSED: CLOSED,
        Petition.Status.ROUTED_OUT: ROUTED_OUT,
    }

    @classmethod
    def statuses(cls, public: str) -> list[str]:
        return [status for status, shown in cls.FROM_STATUS.items() if shown == public]


# ---------------------------------------------------------------------------- conclusions


@dataclass(frozen=True)
class PublicConclusion:
    pk: int
    number: int
    summary: str
    session_title: str
    held_on: date
    issued_on: date

    @property
    def published_in_time(self) -> bool:
        return self.issued_on <= self.held_on + timedelta(days=PUBLISH_WITHIN_DAYS)

    @property
    def days_after_session(self) -> int:
        return (self.issued_on - self.held_on).days


def published() -> QuerySet:
    """The Party committee's issued notices: what this page publishes. An organisation's
    notice about its dialogue with its own members is its own and not published here."""
    return Conclusion.objects.issued().filter(session__organiser__isnull=True)


def issued_conclusions() -> QuerySet:
    """Newest first (by issue date)."""
    return published().order_by("-issued_on", "-id")


def latest_conclusions(count: int = 5) -> list[PublicConclusion]:
    ids = list(issued_conclusions().values_list("pk", flat=True)[:count])
    by_id = {row.pk: row for row in conclusion_rows(ids)}
    return [by_id[pk] for pk in ids]


def conclusion_rows(ids) -> list[PublicConclusion]:
    found = (
        published()
        .filter(pk__in=list(ids))
        .select_related("session")
        .only("number", "summary", "issued_on", "session__title", "session__held_on")
    )
    return [_conclusion_row(conclusion) for conclusion in found]


def _conclusion_row(conclusion: Conclusion) -> PublicConclusion:
    return PublicConclusion(
        pk=conclusion.pk,
        number=conclusion.number,
        summary=conclusion.summary,
        session_title=conclusion.session.title,
        held_on=conclusion.session.held_on,
        issued_on=conclusion.issued_on,
    )


def issued_conclusion(pk: int) -> Conclusion | None:
    """The issued conclusion for its public page; None when there is none (or not issued)."""
    return published().select_related("session").filter(pk=pk).first()


@dataclass(frozen=True)
class PublicDirective:
    lead: str
    supporting: tuple[str, ...]
    task: str
    deadline: date | None
    status: str


def conclusion_directives(conclusion: Conclusion) -> list[PublicDirective]:
    directives = (
        Directive.objects.filter(conclusion=conclusion)
        .select_related("lead")
        .prefetch_related("supporting")
    )
    return [
        PublicDirective(
            lead=directive.lead.name,
            supporting=tuple(unit.name for unit in directive.supporting.all()),
            task=directive.task,
            deadline=directive.deadline,
            status=directive.get_status_display(),
        )
        for directive in directives
    ]


# ---------------------------------------------------------------------------- petitions


def published_petitions() -> QuerySet:
    return (
        Petition.objects.filter(topic__isnull=False, hide_identity=False)
        .exclude(kind__in=Petition.LEGAL_PROCEDURE_KINDS)
        .exclude(status__in=[Petition.Status.RECEIVED, Petition.Status.ROUTED_OUT])
    )


@dataclass(frozen=True)
class TopicCounts:
    pk: int
    name: str
    group: str
    counts: tuple[tuple[str, str, int], ...]  # (public status, label, number)
    total: int


def topics_with_counts() -> list[TopicCounts]:
    """Every topic that has a published petition, with its counts per public status (one
    query, whatever the number of petitions)."""
    aggregates = {
        public: Count("petition", filter=Q(petition__status__in=PublicStatus.statuses(public)))
        for public in PublicStatus.LISTED
    }
    # Filtering on the relation first makes the counts use that join: published ones only.
    topics = (
        Topic.objects.filter(petition__in=published_petitions().values("pk"))
        .values("pk", "name", "group", "order")
        .annotate(**aggregates)
        .order_by("order", "name")
    )
    groups = dict(Topic.Group.choices)
    result = []
    for topic in topics:
        counts = tuple(
            (public, PublicStatus.LABELS[public], topic[public]) for public in PublicStatus.LISTED
        )
        result.append(
            TopicCounts(
                pk=topic["pk"],
                name=topic["name"],
                group=str(groups.get(topic["group"], "")),
                counts=counts,
                total=sum(number for _public, _label, number in counts),
            )
        )
    return result


def published_topic(pk: int) -> Topic | None:
    return Topic.objects.filter(pk=pk, petition__in=published_petitions().values("pk")).first()


@dataclass(frozen=True)
class PublicPetition:
    """A petition as the public sees it: nothing about who raised it or what they wrote."""

    code: str
    topic: str
    hamlet: str
    received_on: date
    status: str
    status_label: str
    outcome_label: str
    outcome_on: date | None  # closed on
    scheduled_for: date | None  # "will be resolved" by


PETITION_FIELDS = (
    "code",
    "topic__name",
    "residential_unit__name",
    "received_on",
    "status",
    "outcome",
    "closed_at",
    "scheduled_for",
    "duplicate_of_id",
)


def _petition_row(values: dict, *, with_place: bool = True) -> PublicPetition:
    public = PublicStatus.FROM_STATUS.get(values["status"], PublicStatus.RECEIVED)
    closed = values["status"] == Petition.Status.CLOSED
    outcome = values["outcome"]
    if closed and values["duplicate_of_id"]:
        outcome = Petition.Outcome.DUPLICATE
    outcome_label = str(Petition.Outcome(outcome).label) if closed and outcome else ""
    closed_at = values["closed_at"]
    return PublicPetition(
        code=values["code"],
        topic=(values["topic__name"] or "") if with_place else "",
        hamlet=(values["residential_unit__name"] or "") if with_place else "",
        received_on=values["received_on"],
        status=public,
        status_label=str(PublicStatus.LABELS[public]),
        outcome_label=outcome_label,
        outcome_on=timezone.localdate(closed_at) if closed and closed_at else None,
        scheduled_for=values["scheduled_for"] if outcome == Petition.Outcome.SCHEDULED else None,
    )


def topic_petitions(topic: Topic, public_status: str = "") -> QuerySet:
    petitions = published_petitions().filter(topic=topic).order_by("-received_on", "-id")
    if public_status in PublicStatus.LISTED:
        petitions = petitions.filter(status__in=PublicStatus.statuses(public_status))
    return petitions


def petition_rows(ids) -> list:
    """The page's rows by id, for doluong_dialogue.paging (which orders them)."""
    found = Petition.objects.filter(pk__in=list(ids)).values("pk", *PETITION_FIELDS)
    return [_Row(values["pk"], _petition_row(values)) for values in found]


@dataclass(frozen=True)
class _Row:
    pk: int
    petition: PublicPetition


def normalise_code(typed: str) -> str:
    """ "kn 2026 000123", " Kn-2026-000123 " → "KN-2026-000123"."""
    parts = "".join(ch if ch.isalnum() else " " for ch in typed.upper()).split()
    if len(parts) == 1 and parts[0].startswith("KN") and len(parts[0]) > 2:
        word = parts[0]
        parts = ["KN", word[2:6], word[6:]] if len(word) > 6 else ["KN", word[2:]]
    return "-".join(part for part in parts if part)


def lookup(code: str) -> PublicPetition | None:
    """The status of the petition with this receipt code, to whoever holds the code; None
    when there is none. Only its status, outcome and dates: not even its topic or hamlet,
    since the code may belong to a petition whose petitioner asked to stay unnamed."""
    values = Petition.objects.filter(code=normalise_code(code)).values(*PETITION_FIELDS).first()
    if values is None:
        return None
    return _petition_row(values, with_place=False)

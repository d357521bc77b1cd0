"""Filtering and accent-insensitive search of the petition list (and of its export).

Each filter is a field of `PetitionFilterForm` plus its `filter_<field>` method, nothing
else: the session filter, when sessions exist, is one more field and one more method here.

Search matches word prefixes in the folded columns (`search_text`, `search_person`: no
accents, đ→d, lower case), so "dat dai" finds "Đất đai" whether it was typed as NFC or
NFD. PostgreSQL asks the GIN indexes over to_tsvector('simple', …) (migration 0005);
SQLite asks `(' ' || column) LIKE '% word%'`; both match the same words.
"""

from datetime import date
from typing import NamedTuple

from django import forms
from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateInput
from doluong_dialogue.paging import DEFAULT_CAP, UNCOUNTED, capped_count
from doluong_dialogue.text import search_terms
from petitions import permissions
from petitions.deadlines import due_soon_until
from petitions.models import Assignment, Department, Petition, ResidentialUnit, Topic

OPEN = "open"

# Each sort: its label and its keys as (field, descending). The deadline may be empty:
# those petitions come last on every database.
SORTS = {
    "received": (_("Newest received first"), [("received_on", True), ("id", True)]),
    "received_asc": (_("Oldest received first"), [("received_on", False), ("id", False)]),
    "deadline": (_("Nearest deadline first"), [("deadline", False), ("id", False)]),
    # "pressing" sorts after "normal": descending puts pressing petitions first.
    "urgency": (
        _("Pressing first"),
        [("urgency", True), ("received_on", True), ("id", True)],
    ),
    "code": (_("Receipt code"), [("code", False)]),
}
DEFAULT_SORT = "received"
NULLABLE_SORT_FIELDS = {"deadline"}


def order_by(sort: str, *, around_indexes: bool = False) -> list[OrderBy]:
    """The ORDER BY of a sort.

    `around_indexes` sorts by COALESCE(field, field): the same order, but one no index
    provides, so PostgreSQL cannot choose to walk an index and test every row on the way.
    """
    keys = []
    for field, descending in SORTS[sort][1]:
        expression = Coalesce(field, field) if around_indexes else F(field)
        nulls_last = True if field in NULLABLE_SORT_FIELDS else None
        keys.append(
            expression.desc(nulls_last=nulls_last)
            if descending
            else expression.asc(nulls_last=nulls_last)
        )
    return keys


class SelectField(NamedTuple):
    name: str
    label: str
    options: list[tuple[str, str, bool]]  # (value, label, selected)
    groups: list[tuple[str, list[tuple[str, str, bool]]]]  # (group label, options)


def dialogue_sessions() -> list[tuple[int, str]]:
    """The sessions a petition can be put to, newest first, for the session filter.

    The sessions app sits above this one and imports it; looking the model up by its label
    keeps petitions free of an import the other way.
    """
    session_model = apps.get_model("dialogue_sessions", "DialogueSession")
    return [
        (pk, f"{title} ({held_on:%d/%m/%Y})")
        for pk, title, held_on in session_model.objects.order_by("-held_on").values_list(
            "pk", "title", "held_on"
        )
    ]


def _word_prefix_match(queryset: QuerySet, column: str, terms: list[str]) -> tuple[QuerySet, Q]:
    """Every term is the start of a word of `column`.

    The terms are folded to [0-9a-z] words, so they are safe in a raw tsquery and in LIKE.
    """
    alias = f"_{column}_match"
    if connections[queryset.db].vendor == "postgresql":
        # Compiles to the indexed expression to_tsvector('simple'::regconfig,
        # COALESCE(column, '')) and uses the GIN index of migration 0005.
        queryset = queryset.alias(**{alias: SearchVector(column, config="simple")})
        tsquery = " & ".join(f"'{term}':*" for term in terms)
        return queryset, Q(**{alias: SearchQuery(tsquery, search_type="raw", config="simple")})
    queryset = queryset.alias(**{alias: Concat(Value(" "), column, output_field=TextField())})
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{alias}__contains": f" {term}"})
    return queryset, condition


def search(queryset: QuerySet, query: str, user) -> QuerySet:
    """Petitions whose text, or whose petitioner the user may see, match every word."""
    terms = search_terms(query)
    if not terms:
        return queryset
    queryset, text = _word_prefix_match(queryset, "search_text", terms)
    queryset, person = _word_prefix_match(queryset, "search_person", terms)
    identity = permissions.identity_visible_filter(user)
    if identity is None:
        return queryset.filter(text | person)
    # text OR (person AND identity), written so that the GIN indexes answer the first
    # part and the second tests the cheap identity columns before any text.
    return queryset.filter(text | person).filter(identity | text)


class PetitionFilterForm(forms.Form):
    """The filter bar of the list; GET parameters in, a filtered and sorted queryset out.

    Reference choices are read once (one query each) and the template renders them from
    `select_fields` by hand: Django's widget templates would cost more than the list.
    """

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False)
    residential_unit = forms.TypedChoiceField(
        label=_("Hamlet or block"), coerce=int, required=False
    )
    session = forms.TypedChoiceField(label=_("Dialogue session"), coerce=int, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    channel = forms.ChoiceField(label=_("Received through"), required=False)
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("due_soon", _("Due soon"))],
    )
    acknowledgement_overdue = forms.BooleanField(
        label=_("Acknowledgement letter overdue"), required=False
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput)
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(key, label) for key, (label, _keys) in SORTS.items()],
    )

    # Fields that narrow the list (sort and paging do not).
    FILTERS = (
        "q",
        "status",
        "topic",
        "department",
        "residential_unit",
        "session",
        "urgency",
        "channel",
        "due",
        "acknowledgement_overdue",
        "received_from",
        "received_to",
    )

    def __init__(self, data, *, user, today: date):
        super().__init__(data)
        self.user, self.today = user, today
        self.count = UNCOUNTED  # set by filter() when it counts a search
        self.topics = list(Topic.objects.only("pk", "name", "group", "is_active"))
        self.departments = list(Department.objects.only("pk", "name", "is_active"))
        self.units = list(ResidentialUnit.objects.all())
        self.sessions = dialogue_sessions()
        any_choice = [("", _("All"))]
        self.fields["status"].choices = [
            *any_choice,
            (OPEN, _("All open")),
            *Petition.Status.choices,
        ]
        self.fields["topic"].choices = [*any_choice, *((t.pk, t.name) for t in self.topics)]
        self.fields["department"].choices = [
            *any_choice,
            *((d.pk, d.name) for d in self.departments),
        ]
        self.fields["residential_unit"].choices = [
            *any_choice,
            *((u.pk, str(u)) for u in self.units),
        ]
        self.fields["session"].choices = [*any_choice, *self.sessions]
        self.fields["urgency"].choices = [*any_choice, *Petition.Urgency.choices]
        self.fields["channel"].choices = [*any_choice, *Petition.Channel.choices]
        self.is_valid()  # fills cleaned_data with the valid fields; errors are shown

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return cleaned

    # --- Applying the filters ---------------------------------------------------------

    @property
    def active_filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        # An unticked box is False, an empty field None or "": none of them filters.
        return {
            name: data[name]
            for name in self.FILTERS
            if data.get(name) not in (None, "") and data[name] is not False
        }

    @property
    def has_filters(self) -> bool:
        return bool(self.active_filters)

    @property
    def sort_key(self) -> str:
        key = getattr(self, "cleaned_data", {}).get("sort")
        return key if key in SORTS else DEFAULT_SORT

    @property
    def searching(self) -> bool:
        return bool(search_terms(self.active_filters.get("q", "")))

    def filter(self, queryset: QuerySet) -> QuerySet:
        """The filtered, sorted queryset.

        A search is counted here first (one query; `self.count` keeps the capped count for
        the paginator). PostgreSQL guesses that a prefix search matches about 1% of the
        rows, so it walks the sort index and computes the text vector of every row until it
        has a page: 6 s for a word 10 petitions in 200,000 contain. When the count says the
        matches are few (up to the cap), they are sorted around the indexes: the GIN indexes
        find them, and sorting a few thousand rows is quick. Above the cap the matches are
        dense enough that walking the sort index finds a page at once.
        """
        self.count = UNCOUNTED
        for name, value in self.active_filters.items():
            queryset = getattr(self, f"filter_{name}")(queryset, value)
        if not self.searching:
            return queryset.order_by(*order_by(self.sort_key))
        self.count = capped_count(queryset, DEFAULT_CAP)
        few = self.count is not None
        return queryset.order_by(*order_by(self.sort_key, around_indexes=few))

    def filter_q(self, queryset, value):
        return search(queryset, value, self.user)

    def filter_status(self, queryset, value):
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)

    def filter_topic(self, queryset, value):
        return queryset.filter(topic=value)

    def filter_department(self, queryset, value):
        # Lead of the open assignment, or supporting in any assignment: a subquery rather
        # than a join, so no DISTINCT and the count stays cheap.
        supporting = Assignment.objects.filter(supporting_departments=value).values("petition_id")
        return queryset.filter(Q(lead_department=value) | Q(pk__in=supporting))

    def filter_residential_unit(self, queryset, value):
        return queryset.filter(residential_unit=value)

    def filter_session(self, queryset, value):
        return queryset.filter(agenda_items__session=value)

    def filter_urgency(self, queryset, value):
        return queryset.filter(urgency=value)

    def filter_channel(self, queryset, value):
        return queryset.filter(channel=value)

    def filter_due(self, queryset, value):
        if value == "overdue":
            return queryset.overdue(self.today)
        return queryset.due_soon(self.today, due_soon_until(self.today))

    def filter_acknowledgement_overdue(self, queryset, value):
        return queryset.acknowledgement_pending().filter(acknowledgement_due__lt=self.today)

    def filter_received_from(self, queryset, value):
        return queryset.filter(received_on__gte=value)

    def filter_received_to(self, queryset, value):
        return queryset.filter(received_on__lte=value)

    # --- What the template renders ----------------------------------------------------

    def _typed(self, name: str) -> str:
        return str(self.data.get(name, "")) if hasattr(self.data, "get") else ""

    def _options(self, name: str, choices) -> list[tuple[str, str, bool]]:
        current = self._typed(name)
        return [(str(value), label, str(value) == current) for value, label in choices]

    @property
    def select_fields(self) -> list[SelectField]:
        """The selects of the filter bar, in order, as plain data for a cheap template."""
        names = (
            "status",
            "topic",
            "department",
            "residential_unit",
            "session",
            "urgency",
            "channel",
            "due",
        )
        return [self._select(name) for name in names]

    def _select(self, name: str) -> SelectField:
        field = self.fields[name]
        if name != "topic":
            return SelectField(name, field.label, self._options(name, field.choices), [])
        groups = []
        for group, label in Topic.Group.choices:
            topics = [(t.pk, t.name) for t in self.topics if t.group == group]
            if topics:
                groups.append((label, self._options(name, topics)))
        return SelectField(name, field.label, self._options(name, field.choices[:1]), groups)

    @property
    def error_lines(self) -> list[str]:
        """Every refused entry as "Label: message"; the other filters still apply."""
        return [
            f"{self.fields[name].label}: {error}" if name in self.fields else str(error)
            for name, errors in self.errors.items()
            for error in errors
        ]

    @property
    def sort_options(self) -> list[tuple[str, str, bool]]:
        current = self.sort_key
        return [(key, label, key == current) for key, (label, _keys) in SORTS.items()]


def filter_petitions(queryset: QuerySet, params, user, today: date) -> QuerySet:
    """The petitions of `queryset` that match the GET parameters `params`, sorted.

    With a search in `params` this runs the capped count of the matches (see
    `PetitionFilterForm.filter`); the rest stays a lazy queryset.
    """
    return PetitionFilterForm(params, user=user, today=today).filter(queryset)

"""Filtering and accent-insensitive search of the petition list (and of its export).

Each filter is a field of `PetitionFilterForm` plus its `filter_<field>` method, nothing
else. An app above this one adds its own filter with `register_filter` (the sessions app
adds the session a petition was put to), so petitions never reach up for it.

A search is ranked: the petitions whose code, petitioner or text contain what was typed
exactly, accents included, come first; then by relevance (`ts_rank` on PostgreSQL); then the
newest. Choosing another sort in the filter bar replaces the ranking.

Search matches word prefixes in the folded columns (`search_text`, `search_person`: no
accents, đ→d, lower case), so "dat dai" finds "Đất đai" whether it was typed as NFC or
NFD. PostgreSQL asks the GIN indexes over the vectors stored in the row (migration 0014);
SQLite asks `(' ' || column) LIKE '% word%'`; both match the same words.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Expression, OrderBy
from django.db.models.functions import Coalesce, Concat
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateField
from doluong_dialogue.paging import (
    DEFAULT_CAP,
    DENSE_MIN_ROWS,
    UNCOUNTED,
    capped_count,
    matching_ids,
    table_estimate,
    vector_statistics,
)
from doluong_dialogue.text import search_terms
from petitions import permissions, search_keys
from petitions.models import Department, Petition, PetitionUnit, ResidentialUnit, Topic

OPEN = "open"
TO_ASSIGN = "to_assign"
# The status filter's choices that stand for several statuses: what PetitionQuerySet.open()
# and .to_assign() keep, as the search keys ask for them.
STATUS_GROUPS = {OPEN: Petition.OPEN_STATUSES, TO_ASSIGN: Petition.ASSIGNABLE_STATUSES}
RECEIPT_CODE = re.compile(r"KN-\d{4}-\d{6}", re.IGNORECASE)
# A search's matches are counted up to this many ("more than 1,000"), fewer than a list's
# 10,000: counting is visiting each match's row, and a common word's 10,000 rows cost
# 60-100 ms among a million petitions, 1,000 rows under 10 ms. Up to the cap the matches
# are ranked; above it the newest come first.
SEARCH_CAP = 1_000

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
# Offered, and the default, while searching: exact matches, then relevance, then newest.
RELEVANCE = "relevance"
RELEVANCE_LABEL = _("Most relevant first")
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

    @property
    def options_html(self) -> str:
        """The <option>s and <optgroup>s, escaped: a hundred of them on every list page
        cost a tenth of its rendering as template loops."""
        groups = format_html_join(
            "",
            '<optgroup label="{}">{}</optgroup>',
            ((label, _options_html(options)) for label, options in self.groups),
        )
        return _options_html(self.options) + groups


def _options_html(options: list[tuple[str, str, bool]]) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if selected else "", label)
            for value, label, selected in options
        ),
    )


@dataclass(frozen=True)
class ExtraFilter:
    """A filter an app above petitions adds to the list (see `register_filter`)."""

    name: str
    label: Any
    choices: Callable[[Any], list[tuple[int, str]]]  # of the user, read once per list page
    apply: Callable[[QuerySet, int], QuerySet]


_extra_filters: dict[str, ExtraFilter] = {}


def register_filter(extra: ExtraFilter) -> None:
    """Add a select to the petition list's filter bar, after the hamlet; call from ready()."""
    _extra_filters[extra.name] = extra


class StoredVector(Expression):
    """A text vector PostgreSQL keeps in the row, GIN-indexed; not a model field, Django
    never writes it. `search_text_vector` holds the words of `search_text` (migration 0014),
    `search_person_prefixes` every beginning of the words of `search_person` (0028)."""

    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


class Matches(Func):
    """`vector @@ query` written as the function behind the operator: the same test, but
    one no index answers, so PostgreSQL applies it to the rows another condition found."""

    function = "ts_match_vq"
    output_field = BooleanField()


# A term that starts words of the text in at least this share of the petitions is broad:
# its GIN bitmap is built from every such word's entries before the terms are intersected
# (a prefix in 10 % of a million petitions: 30-90 ms).
BROAD_PREFIX_SHARE = 0.01
# Testing a row the other filters found (its heap tuple and its text vector, 1-2 µs) costs
# about four times what collecting a row into the text index's bitmap does (0.45 µs): when
# the filters find fewer than a quarter as many rows as the index would collect for the
# words, the filters' indexes lead and the text is tested on what they find.
FILTERED_PER_COLLECTED = 0.25
# Below this share of the table collected by the text index, the bitmap is cheap whatever
# the filters (no estimate asked).
FILTERS_FIRST_MIN_SHARE = 0.02


def _raw_query(terms: list[str], *, prefix: bool) -> SearchQuery:
    """The terms are folded to [0-9a-z] words, so they are safe in a raw tsquery."""
    tsquery = " & ".join(f"'{term}':*" if prefix else f"'{term}'" for term in terms)
    return SearchQuery(tsquery, search_type="raw", config="simple")


@dataclass(frozen=True)
class WordStatistics:
    """What the planner knows of the petitions' text: the rows of the table, and the share
    of petitions each of the most common words is in (the statistics ANALYZE keeps of the
    text vector); no shares before the table was first analysed."""

    rows: float
    shares: dict[str, float]


def word_statistics(db: str) -> WordStatistics:
    """One small query."""
    rows, shares = vector_statistics(db, Petition._meta.db_table, "search_text_vector")
    return WordStatistics(rows, shares)


@dataclass(frozen=True)
class TextPlan:
    """How a search asks for the words of the text (PostgreSQL): which terms the GIN index
    is asked for (`indexed_terms`, none: the text is only tested on the rows the other
    conditions find) and the share of the table it collects for them."""

    terms: list[str]
    indexed_terms: list[str]
    index_share: float
    table_rows: float = 0

    @classmethod
    def of(cls, terms: list[str], statistics: WordStatistics) -> "TextPlan":
        """When some terms are broad (`BROAD_PREFIX_SHARE`) and others not, the index is
        asked for the narrow ones only: a petitioner's name typed in the box ("do minh
        thuy") has "do" starting "don", "dong", "doi" in half the texts, while "minh"
        starts no word of them."""
        share = {
            term: sum(value for word, value in statistics.shares.items() if word.startswith(term))
            for term in terms
        }
        narrow = [term for term in terms if share[term] < BROAD_PREFIX_SHARE]
        indexed = narrow if narrow else terms
        return cls(terms, indexed, sum(share[term] for term in indexed), statistics.rows)

    def unindexed(self) -> "TextPlan":
        return TextPlan(self.terms, [], 0.0, self.table_rows)


def _text_match(queryset: QuerySet, plan: TextPlan) -> tuple[QuerySet, Q]:
    """Every term starts a word of the petition's text (PostgreSQL): the index is asked for
    the plan's terms, and every term is tested on the rows found (ts_match_vq, which no
    index answers) when those are not all of them."""
    vector = StoredVector("search_text_vector")
    queryset = queryset.alias(_search_text_match=vector)
    everything = _raw_query(plan.terms, prefix=True)
    if plan.indexed_terms == plan.terms:
        return queryset, Q(_search_text_match=everything)
    recheck = Q(Matches(vector, everything))
    if not plan.indexed_terms:
        return queryset, recheck
    return queryset, Q(_search_text_match=_raw_query(plan.indexed_terms, prefix=True)) & recheck


def _word_prefix_match(
    queryset: QuerySet, column: str, terms: list[str], plan: TextPlan | None = None
) -> tuple[QuerySet, Q]:
    """Every term is the start of a word of `column`.

    The terms are folded to [0-9a-z] words, so they are safe in a raw tsquery and in LIKE.
    """
    if connections[queryset.db].vendor == "postgresql":
        if column == "search_text":
            return _text_match(queryset, plan or text_plan(queryset.db, terms))
        # Every beginning of the words is a lexeme of its own: whole lexemes, which GIN
        # intersects without gathering each prefix's words first (migration 0028). Tested
        # on the rows the other conditions find when the text index is not asked either.
        vector = StoredVector("search_person_prefixes")
        words = _raw_query(terms, prefix=False)
        if plan is not None and not plan.indexed_terms:
            return queryset, Q(Matches(vector, words))
        queryset = queryset.alias(_search_person_match=vector)
        return queryset, Q(_search_person_match=words)
    alias = f"_{column}_match"
    queryset = queryset.alias(**{alias: Concat(Value(" "), column, output_field=TextField())})
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{alias}__contains": f" {term}"})
    return queryset, condition


def text_plan(db: str, terms: list[str]) -> TextPlan:
    """The plan of a search by the statistics of the text's words (one query)."""
    return TextPlan.of(terms, word_statistics(db))


def is_receipt_code(query: str) -> bool:
    return bool(RECEIPT_CODE.fullmatch(query.strip()))


def search(queryset: QuerySet, query: str, user, plan: TextPlan | None = None) -> QuerySet:
    """Petitions whose text, or whose petitioner the user may see, match every word; on
    PostgreSQL as `plan` says (by default `text_plan`).

    A receipt code typed in full is looked up by its unique index: as words, "kn" and the
    year are in every code, and their index entries cost more than the answer."""
    if is_receipt_code(query):
        return queryset.filter(code=query.strip().upper())
    terms = search_terms(query)
    if not terms:
        return queryset
    queryset, text = _word_prefix_match(queryset, "search_text", terms, plan)
    queryset, person = _word_prefix_match(queryset, "search_person", terms, plan)
    identity = permissions.identity_visible_filter(user)
    if identity is None:
        return queryset.filter(text | person)
    # text OR (person AND identity), written so that the GIN indexes answer the first
    # part and the second tests the cheap identity columns before any text.
    return queryset.filter(text | person).filter(identity | text)


def _spellings(query: str) -> list[str]:
    """How the typed words may be capitalised in the text: "thưởng", "Thưởng", "THƯỞNG"."""
    query = unicodedata.normalize("NFC", " ".join(query.split()))
    return sorted({query, query.lower(), query.capitalize(), query.title(), query.upper()})


def _contains_any(field: str, spellings: list[str]) -> Q:
    condition = Q()
    for spelling in spellings:
        condition |= Q(**{f"{field}__contains": spelling})
    return condition


def rank(queryset: QuerySet, query: str, user) -> tuple[QuerySet, list[OrderBy]]:
    """The ORDER BY of a ranked search, with the annotations it needs on `queryset`.

    Returns (queryset, ordering). Tiers: 3 the receipt code typed in full; 2 the petitioner's
    name containing what was typed, accents included (only where the user may see the
    petitioner: a hidden name must not lift a petition); 1 the summary or content containing
    it; 0 the rest. Within a tier, `ts_rank` on PostgreSQL, then newest.
    """
    query = query.strip()[:200]
    spellings = _spellings(query)
    name = _contains_any("petitioner_name", spellings)
    identity = permissions.identity_visible_filter(user)
    if identity is not None:
        name &= identity
    exact = Case(
        When(code__iexact=query, then=Value(3)),
        When(name, then=Value(2)),
        When(_contains_any("summary", spellings) | _contains_any("content", spellings), then=1),
        default=Value(0),
        output_field=IntegerField(),
    )
    queryset = queryset.alias(_exact=exact)
    ordering = [OrderBy(F("_exact"), descending=True)]
    terms = search_terms(query)
    if terms and connections[queryset.db].vendor == "postgresql":
        queryset = queryset.alias(
            _relevance=SearchRank(
                StoredVector("search_text_vector"), _raw_query(terms, prefix=True)
            )
        )
        ordering.append(OrderBy(F("_relevance"), descending=True))
    ordering += [OrderBy(F("received_on"), descending=True), OrderBy(F("id"), descending=True)]
    return queryset, ordering


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
    urgency = forms.ChoiceField(label=_("Urgency"), required=False)
    channel = forms.ChoiceField(label=_("Received through"), required=False)
    lead = forms.TypedChoiceField(label=_("Lead unit"), coerce=int, required=False)
    due = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[("", _("Any")), ("overdue", _("Overdue")), ("due_soon", _("Due soon"))],
    )
    extension = forms.ChoiceField(
        label=_("Extension"),
        required=False,
        choices=[("", _("Any")), ("pending", _("Extension requested, to decide"))],
    )
    acknowledgement_overdue = forms.BooleanField(
        label=_("Acknowledgement letter overdue"), required=False
    )
    received_from = DateField(label=_("Received from"), required=False)
    received_to = DateField(label=_("Received to"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(RELEVANCE, RELEVANCE_LABEL)]
        + [(key, label) for key, (label, _keys) in SORTS.items()],
    )

    # Fields that narrow the list (sort and paging do not), before the apps' own filters.
    BASE_FILTERS = (
        "q",
        "status",
        "topic",
        "department",
        "lead",
        "residential_unit",
        "urgency",
        "channel",
        "due",
        "extension",
        "acknowledgement_overdue",
        "received_from",
        "received_to",
    )

    def __init__(self, data, *, user, today: date):
        super().__init__(data)
        self.user, self.today = user, today
        self.count = UNCOUNTED  # set by filter() when it counts a search
        # What the list pages through instead of the filtered queryset, when filter() has a
        # cheaper way to the same rows in the same order (a search of many matches).
        self.page_source: QuerySet | None = None
        self.topics = list(Topic.objects.only("pk", "name", "group", "is_active"))
        self.departments = list(Department.objects.only("pk", "name", "is_active"))
        self.units = list(ResidentialUnit.objects.all())
        self.extras = list(_extra_filters.values())
        any_choice = [("", _("All"))]
        self.fields["status"].choices = [
            *any_choice,
            (OPEN, _("All open")),
            (TO_ASSIGN, _("To assign (classified or returned)")),
            *Petition.Status.choices,
        ]
        self.fields["topic"].choices = [*any_choice, *((t.pk, t.name) for t in self.topics)]
        self.fields["department"].choices = [
            *any_choice,
            *((d.pk, d.name) for d in self.departments),
        ]
        self.fields["lead"].choices = self.fields["department"].choices
        self.fields["residential_unit"].choices = [
            *any_choice,
            *((u.pk, str(u)) for u in self.units),
        ]
        for extra in self.extras:
            self.fields[extra.name] = forms.TypedChoiceField(
                label=extra.label,
                coerce=int,
                required=False,
                choices=[*any_choice, *extra.choices(self.user)],
            )
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
    def filter_names(self) -> tuple[str, ...]:
        return self.BASE_FILTERS + tuple(extra.name for extra in self.extras)

    @property
    def active_filters(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        # An unticked box is False, an empty field None or "": none of them filters.
        return {
            name: data[name]
            for name in self.filter_names
            if data.get(name) not in (None, "") and data[name] is not False
        }

    @property
    def has_filters(self) -> bool:
        return bool(self.active_filters)

    @property
    def sort_key(self) -> str:
        """The chosen sort; while searching, the ranking unless another sort was chosen."""
        key = getattr(self, "cleaned_data", {}).get("sort")
        if key in SORTS:
            return key
        return RELEVANCE if self.searching else DEFAULT_SORT

    @property
    def count_cap(self) -> int:
        """Where the count of the list stops: lower while searching (`SEARCH_CAP`)."""
        return SEARCH_CAP if self.searching else DEFAULT_CAP

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
        find them, and sorting a thousand rows is quick. Above the cap the matches are
        dense enough that walking the sort index finds a page at once; a ranked search then
        shows the newest first: ranking tens of thousands of matches means sorting all of
        them (1.7 s for "dat" among a million petitions), and the page says there are more
        than `SEARCH_CAP`, which asks for another word.
        """
        self.count = UNCOUNTED
        self.page_source = None
        for name, value in self.active_filters.items():
            if name != "q":
                queryset = self._filter(name)(queryset, value)
        if self.searching:
            return self._search(queryset)
        # What was typed has no word to search for: it narrows nothing.
        if not self.active_filters:
            return queryset.order_by(*order_by(self.sort_key))
        # Filtered: counted first too (the page needs the count anyway, and the filter
        # index answers it alone). A few thousand matches are sorted around the indexes
        # (status, topic and a small unit: 300 ms walking the date index for a page,
        # 10 ms sorting what the filter index finds); many are dense enough to walk it.
        self.count = self._count_filtered(queryset)
        few = self.count is not None
        return queryset.order_by(*order_by(self.sort_key, around_indexes=few))

    def _search(self, queryset: QuerySet) -> QuerySet:
        """The search of `filter`, on `queryset` already filtered otherwise; counted first.

        On PostgreSQL, when the filters and the user's visibility all have search keys
        (`search_keys`), the words and they are one intersection of the keys' index
        entries, unless their statistics say a walk of the petitions meets the cap sooner
        (words and states in many petitions). Otherwise, by the statistics of the text's
        words: when the words are common and the planner expects the other conditions (the
        filters, a unit's own petitions) to find few rows, those are found first and their
        text tested, where the text index would first collect every petition with the words
        (110,000 for "dat" among a million petitions: 45 ms before anything else is
        tested). Otherwise the index is asked, and the count walks the table when that
        meets the cap sooner than the index collects its rows (`matching_ids`)."""
        query = self.active_filters["q"]
        keyed = self._keys_search(queryset.db, query)
        if keyed is not None:
            keys = keyed.tsquery
            estimate = table_estimate(search_keys.matching(keys, using=queryset.db))
            # Dense matches are met sooner by a walk of the petitions (below) than by
            # intersecting the long index entries of common words and states ("san xuat",
            # with the closed half of a million petitions: 50 ms, its walk 7 ms).
            if estimate is None or search_keys.cheaper_than_walking(
                keyed, *estimate, SEARCH_CAP, search_keys.key_statistics(queryset.db)
            ):
                return self._search_by_keys(queryset, keys)
        if connections[queryset.db].vendor != "postgresql" or is_receipt_code(query):
            queryset = search(queryset, query, self.user)
            ids = matching_ids(queryset, SEARCH_CAP)
        else:
            plan = text_plan(queryset.db, search_terms(query))
            if self._filters_may_lead(plan):
                estimate = table_estimate(queryset)
                if (
                    estimate
                    and estimate[0] < FILTERED_PER_COLLECTED * plan.index_share * estimate[1]
                ):
                    plan = plan.unindexed()
            queryset = search(queryset, query, self.user, plan)
            ids = matching_ids(queryset, SEARCH_CAP, index_share=plan.index_share)
        self.count = None if ids is None else len(ids)
        few = ids is not None
        if few:
            # The matches are known: the page is read by their ids, not searched for again
            # (a search led by its filters found 600 matches in 330 ms, then its page in as
            # much again).
            queryset = queryset.model._default_manager.filter(pk__in=ids)
        if self.sort_key == RELEVANCE:
            if not few:
                return queryset.order_by(*order_by(DEFAULT_SORT))
            queryset, ordering = rank(queryset, self.active_filters["q"], self.user)
            return queryset.order_by(*ordering)
        return queryset.order_by(*order_by(self.sort_key, around_indexes=few))

    # The filters a petition's keys answer, and the keys of a value (one of them matches).
    def _filter_keys(self, name: str, value) -> list[str] | None:
        if name == "status":
            return [f"status:{status}" for status in STATUS_GROUPS.get(value, [value])]
        if name == "department":  # leads, or supports in an assignment (filter_department)
            return [f"lead:{value}", f"unit:{PetitionUnit.Role.SUPPORTING}:{value}"]
        prefix = {
            "topic": "topic",
            "lead": "lead",
            "residential_unit": "hamlet",
            "urgency": "urgency",
            "channel": "channel",
        }.get(name)
        return [f"{prefix}:{value}"] if prefix else None

    def _keys_search(self, db: str, query: str) -> search_keys.Search | None:
        """The search as the petitions' keys say it (`search_keys`), or None where they
        cannot answer it: not PostgreSQL, a receipt code, a filter they have no key for
        (deadlines, dates, the other apps' filters), a visibility without keys."""
        if not search_keys.available(db) or is_receipt_code(query):
            return None
        groups = []
        for name, value in self.active_filters.items():
            if name == "q":
                continue
            keys = self._filter_keys(name, value)
            if keys is None:
                return None
            groups.append(keys)
        visible = permissions.visible_keys(self.user)
        if visible is None:
            return None
        if visible:
            groups.append(visible)
        identity = permissions.identity_keys(self.user)
        return search_keys.Search(search_terms(query), groups, identity)

    def _search_by_keys(self, queryset: QuerySet, keys: str) -> QuerySet:
        """`_search` by the petitions' keys (the tsquery `keys`): the matches up to the cap
        from the keys alone (one query), then, as before, a page of them by their ids,
        ranked. Above the cap, the list's page is sorted by date among the keys
        (`page_source`), and the queryset says the same matches for whoever reads it whole
        (the export)."""
        matching = search_keys.matching(keys, using=queryset.db)
        ids = list(matching.values_list("pk", flat=True)[: SEARCH_CAP + 1])
        if len(ids) <= SEARCH_CAP:
            self.count = len(ids)
            queryset = queryset.model._default_manager.filter(pk__in=ids)
            if self.sort_key == RELEVANCE:
                queryset, ordering = rank(queryset, self.active_filters["q"], self.user)
                return queryset.order_by(*ordering)
            return queryset.order_by(*order_by(self.sort_key, around_indexes=True))
        self.count = None
        sort = DEFAULT_SORT if self.sort_key == RELEVANCE else self.sort_key
        if sort in ("received", "received_asc"):
            page = matching
            status = self.active_filters.get("status")
            if status in Petition.Status.values:
                # One status's keys are walked by date, each tested (the text index left
                # out: it would be ANDed with the status's index entries, 220,000 for the
                # assigned petitions, 30 ms): the closed petitions are the old ones, and a
                # walk of all the keys newest first meets them late (17,000 keys read for
                # 25 matches).
                page = search_keys.matching(keys, using=queryset.db, indexed=False)
                page = page.filter(status=status)
            keys_order = ["received_on", "pk"]
            self.page_source = page.order_by(
                *(key if sort == "received_asc" else f"-{key}" for key in keys_order)
            )
        return queryset.filter(pk__in=matching.values("pk")).order_by(*order_by(sort))

    def _filters_may_lead(self, plan: TextPlan) -> bool:
        """Whether the rows the other conditions find are worth estimating: the text index
        would collect many (`FILTERS_FIRST_MIN_SHARE` of a table of `DENSE_MIN_ROWS` or
        more), and something besides the search narrows the list (another filter, or a user
        who reads only some petitions)."""
        if plan.table_rows < DENSE_MIN_ROWS or plan.index_share < FILTERS_FIRST_MIN_SHARE:
            return False
        return len(self.active_filters) > 1 or not permissions.can_read_everything(self.user)

    def _count_filtered(self, queryset: QuerySet) -> int | None:
        """The capped count of a filtered list. The unit filter alone, for those who read
        everything, is counted from the unit's own ids: what it leads (an index of the
        unit and the id), then, when that is not already over the cap, with what it
        supports. Counted through the OR, a unit that leads 2 % of the petitions meant
        reading half a million index entries before the cap (140 ms)."""
        unit = self.active_filters.get("department")
        if unit is None or len(self.active_filters) > 1:
            return capped_count(queryset, DEFAULT_CAP)
        if not permissions.can_read_everything(self.user):
            return capped_count(queryset, DEFAULT_CAP)
        led = Petition.objects.filter(lead_department=unit).order_by().values("pk")
        if capped_count(led, DEFAULT_CAP) is None:
            return None
        supported = PetitionUnit.objects.filter(department=unit, role=PetitionUnit.Role.SUPPORTING)
        ids = led.union(supported.order_by().values("petition_id"))  # without duplicates
        counted = ids[: DEFAULT_CAP + 1].count()
        return counted if counted <= DEFAULT_CAP else None

    def _filter(self, name: str):
        extra = next((extra for extra in self.extras if extra.name == name), None)
        return extra.apply if extra else getattr(self, f"filter_{name}")

    def filter_q(self, queryset, value):
        return search(queryset, value, self.user)

    def filter_status(self, queryset, value):
        if value == OPEN:
            return queryset.open()
        if value == TO_ASSIGN:
            return queryset.to_assign()
        return queryset.filter(status=value)

    def filter_topic(self, queryset, value):
        return queryset.filter(topic=value)

    def filter_department(self, queryset, value):
        # Lead of the open assignment, or supporting in any assignment: a subquery rather
        # than a join, so no DISTINCT and the count stays cheap.
        supporting = PetitionUnit.objects.filter(
            department=value, role=PetitionUnit.Role.SUPPORTING
        )
        return queryset.filter(
            Q(lead_department=value) | Q(pk__in=supporting.values("petition_id"))
        )

    def filter_lead(self, queryset, value):
        return queryset.filter(lead_department=value)

    def filter_residential_unit(self, queryset, value):
        return queryset.filter(residential_unit=value)

    def filter_urgency(self, queryset, value):
        return queryset.filter(urgency=value)

    def filter_channel(self, queryset, value):
        return queryset.filter(channel=value)

    def filter_due(self, queryset, value):
        if value == "overdue":
            return queryset.overdue(on=self.today)
        return queryset.due_soon(on=self.today)

    def filter_extension(self, queryset, value):
        return queryset.with_pending_extension()

    def filter_acknowledgement_overdue(self, queryset, value):
        return queryset.acknowledgement_overdue(on=self.today)

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
            "lead",
            "residential_unit",
            *(extra.name for extra in self.extras),
            "urgency",
            "channel",
            "due",
            "extension",
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
        options = [(key, label, key == current) for key, (label, _keys) in SORTS.items()]
        if self.searching:
            options.insert(0, (RELEVANCE, RELEVANCE_LABEL, current == RELEVANCE))
        return options


def filter_petitions(queryset: QuerySet, params, user, today: date) -> QuerySet:
    """The petitions of `queryset` that match the GET parameters `params`, sorted.

    With a search in `params` this runs the capped count of the matches (see
    `PetitionFilterForm.filter`); the rest stays a lazy queryset.
    """
    return PetitionFilterForm(params, user=user, today=today).filter(queryset)

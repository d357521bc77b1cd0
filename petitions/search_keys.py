"""Searching by the petitions' keys (PostgreSQL): `petitions.models.SearchKeys`.

A common word in a tenth of a million petitions, with a status, a topic and a unit, or
among a unit's own petitions, meant reading tens of thousands of petition rows, whichever
index led: the text's, or the filters' with the text tested on each row. The keys hold the
words and the state together, so one GIN index intersects them. A search is then:

    (every word starts a word of the text
       | every word starts a word of the petitioner's, if shown
       | every word starts a word of the petitioner's, if withheld [and one of the keys
         that show them to the user])
    & (one of the keys of each filter) & (one of the keys the user may see)

as one tsquery (`tsquery`); its matches are counted up to the cap from the keys alone, and
a page of more than the cap is sorted by the keys' own date without reading the petitions.

Written by the database's triggers (migration 0031); `repair` is the nightly check,
`rebuild` refills them all after a bulk load that fired no trigger.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQueryField
from django.db import connections, transaction
from django.db.models import BooleanField, F, Func, QuerySet, Value
from django.db.models.functions import Cast

from doluong_dialogue.paging import vector_statistics
from petitions.models import SearchKeys

logger = logging.getLogger(__name__)

# No word has a colon (they are lexemes of PostgreSQL's 'simple' parser), so keys with one
# never meet a word; the petitioner's words are marked, a withheld one's apart (migration
# 0034): a search asks for those with the keys that show them, and only for them.
PERSON = "p:"
WITHHELD = "h:"
# The GIN index of the keys (migration 0031; not in the model: SQLite has none).
FULL_TEXT_INDEX = "search_keys_fts"


def _quoted(key: str) -> str:
    return "'" + key.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(terms: list[str], groups: list[list[str]], identity: list[str] | None) -> str:
    """The tsquery of a search (see the module's docstring). `terms`: the folded words;
    `groups`: for each filter and for the user's visibility, the keys one of which a
    petition must have; `identity`: None when the user sees every petitioner, otherwise the
    keys that show a withheld one to them (whoever entered it, the organisation that
    submitted it)."""

    def words(mark: str = "") -> str:
        return " & ".join(_quoted(mark + term) for term in terms)

    found = [words(), words(PERSON)]
    if identity is None:
        found.append(words(WITHHELD))
    elif identity:
        found.append(words(WITHHELD) + " & ( " + " | ".join(map(_quoted, identity)) + " )")
    query = "( " + " | ".join(f"( {part} )" for part in found) + " )"
    for group in groups:
        query += " & ( " + " | ".join(_quoted(key) for key in group) + " )"
    return query


# Reading an entry of the keys' GIN index, while intersecting the entries of the keys asked
# for, costs about a fifth of what testing a petition row met on a walk costs (0.2 µs
# against 1 µs, measured among a million petitions): the keys answer a search when they
# read fewer than five entries for each row the walk would read (`cheaper_than_walking`).
ENTRIES_PER_WALKED = 5


@dataclass(frozen=True)
class Search:
    """A search put to the keys: the folded words, the groups of keys one of which a
    petition must have (filters, visibility), the keys that show a hidden petitioner (None:
    every petitioner is shown)."""

    terms: list[str]
    groups: list[list[str]]
    identity: list[str] | None

    @property
    def tsquery(self) -> str:
        return tsquery(self.terms, self.groups, self.identity)

    def entries(self, statistics: "KeyStatistics") -> float:
        """The index entries GIN reads for it, as a share of the petitions: a match must
        have one key of each group, so the smallest group bounds the entries read; for the
        words, the rarest word of the text, of a shown petitioner's and of a withheld one's."""
        share = statistics.share
        words = sum(
            min(share(mark + term) for term in self.terms) for mark in ("", PERSON, WITHHELD)
        )
        return min([words, *(sum(share(key) for key in group) for group in self.groups)])


@dataclass(frozen=True)
class KeyStatistics:
    """What the planner knows of the keys: the share of the petitions each of the most
    common keys is in (the statistics ANALYZE keeps), and the share below which the others
    are."""

    shares: dict[str, float]
    rarest: float

    def share(self, key: str) -> float:
        return self.shares.get(key, self.rarest)


def key_statistics(using: str = "default") -> KeyStatistics:
    """One small query."""
    _rows, shares = vector_statistics(using, SearchKeys._meta.db_table, "keys")
    if not shares:
        return KeyStatistics({}, 1.0)  # never analysed: nothing known, nothing cheap
    return KeyStatistics(shares, min(shares.values()))


def cheaper_than_walking(
    search: Search, planned: float, total: float, cap: int, statistics: KeyStatistics
) -> bool:
    """Whether intersecting the keys' index entries finds `cap` + 1 matches (or all of
    them) sooner than a walk of the petitions that tests each row, by the planner's
    estimate of the matches (`planned` of `total`): a walk reads about cap / share rows."""
    if planned <= cap:
        return True
    walked = cap * total / planned
    return search.entries(statistics) * total < ENTRIES_PER_WALKED * walked


def matching(query: str, *, using: str = "default", indexed: bool = True) -> QuerySet:
    """The keys of the petitions `query` (a `tsquery`) matches, their pk the petition's;
    not `indexed`: tested on each row another condition finds (`ts_match_vq`, the same
    test, which no index answers)."""
    tsquery = Cast(Value(query), SearchQueryField())
    if indexed:
        condition = Func(
            F("keys"),
            tsquery,
            arg_joiner=" @@ ",
            template="%(expressions)s",
            output_field=BooleanField(),
        )
    else:
        condition = Func(F("keys"), tsquery, function="ts_match_vq", output_field=BooleanField())
    return SearchKeys.objects.using(using).filter(condition)


def available(using: str = "default") -> bool:
    return connections[using].vendor == "postgresql"


# What the triggers write for a petition, and the keys as they are.
_FRESH = (
    "SELECT p.id, p.received_on, p.status, petition_search_keys(p) AS keys "
    "FROM petitions_petition p"
)


def rebuild(*, using: str = "default", workers: int = 2) -> None:
    """Write every petition's keys again, after rows were loaded without triggers (the
    benchmark's data), while nothing else writes petitions: the table is emptied, filled
    by `workers` connections each with a range of ids (90 µs a petition), and its indexes
    built at the end, faster than row by row. The three steps are also offered apart
    (`empty`, `fill`, `build_indexes`), for a loader that builds other indexes meanwhile."""
    empty(using=using)
    fill(using=using, workers=workers)
    build_indexes(using=using)


def empty(*, using: str = "default") -> None:
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for name in [FULL_TEXT_INDEX, *(index.name for index in SearchKeys._meta.indexes)]:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute("TRUNCATE petitions_searchkeys")


def fill(*, using: str = "default", workers: int = 2) -> None:
    """The keys of every petition, into the emptied table (`empty`)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM petitions_petition")
        first, last = cursor.fetchone()
    if first is None:
        return
    if workers == 1:
        _fill(using, first, last, own_connection=False)
        return
    step = (last - first) // workers + 1
    ranges = [(start, start + step - 1) for start in range(first, last + 1, step)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda bounds: _fill(using, *bounds), ranges))


def build_indexes(*, using: str = "default") -> None:
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        with connection.schema_editor(atomic=False) as editor:
            for index in SearchKeys._meta.indexes:
                editor.add_index(SearchKeys, index)
        cursor.execute(f"CREATE INDEX {FULL_TEXT_INDEX} ON petitions_searchkeys USING gin (keys)")


def _fill(using: str, first: int, last: int, *, own_connection: bool = True) -> None:
    """The keys of the petitions with ids from `first` to `last` (a thread of `rebuild`,
    with a connection of its own unless told)."""
    try:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(
                "INSERT INTO petitions_searchkeys (petition_id, received_on, status, keys) "
                f"{_FRESH} WHERE p.id BETWEEN %s AND %s",
                [first, last],
            )
    finally:
        if own_connection:
            connections[using].close()


def repair(*, using: str = "default", quiet: bool = False) -> int:
    """Make the keys say what the petitions say (the nightly check): returns how many rows
    were written or removed, logged as a warning unless `quiet`. Nothing elsewhere."""
    if not available(using):
        return 0
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "INSERT INTO petitions_searchkeys (petition_id, received_on, status, keys) "
            f"SELECT fresh.* FROM ({_FRESH}) fresh "
            "LEFT JOIN petitions_searchkeys k ON k.petition_id = fresh.id "
            "WHERE (k.received_on, k.status, k.keys) "
            "IS DISTINCT FROM (fresh.received_on, fresh.status, fresh.keys) "
            "ON CONFLICT (petition_id) DO UPDATE SET received_on = EXCLUDED.received_on, "
            "status = EXCLUDED.status, keys = EXCLUDED.keys"
        )
        found = cursor.rowcount
        cursor.execute(
            "DELETE FROM petitions_searchkeys k WHERE NOT EXISTS "
            "(SELECT 1 FROM petitions_petition p WHERE p.id = k.petition_id)"
        )
        found += cursor.rowcount
    if found and not quiet:
        logger.warning("Search keys repaired: %s petition(s) differed.", found)
    return found

"""Paging for large tables: capped counts and deferred joins.

An exact count of a million rows costs more than showing a page of them, and OFFSET makes
the database read every row it skips. So a page is built like this:

- the ids of the page are read first (OFFSET over the narrow ordering index only), then
  the rows of those ids (a "deferred join"), so page 400 costs about what page 1 costs;
- the count stops at `cap + 1` rows: above the cap the page says "more than 10,000" and
  offers previous/next instead of numbered links;
- when the first page is not full, its rows are the count and no count query runs.

Works with any queryset; `rows` may fetch the rows of the page another way (with
`select_related`, or without the filters that found the ids).
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import ceil

from django.db import connections, transaction
from django.db.models import IntegerField, QuerySet, Subquery

DEFAULT_CAP = 10_000


class _Uncounted:
    def __repr__(self) -> str:
        return "UNCOUNTED"


# `paginate(count=...)` when the caller has not counted (None means "more than the cap").
UNCOUNTED = _Uncounted()


def capped_count(queryset: QuerySet, cap: int = DEFAULT_CAP) -> int | None:
    """The number of rows, or None when there are more than `cap`.

    Counts at most `cap + 1` rows: SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1).
    """
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return counted if counted <= cap else None


# Matches found in at least this share of a table's rows are dense: walking the table (or an
# index of another column) meets `cap + 1` of them after reading about `cap / share` rows, 33
# per match at 3 %. A bitmap of the full-text index must collect every match first (a word in
# 110,000 of a million petitions: 90 ms) before the count can stop at the cap (the walk:
# 8-12 ms); below this share the bitmap is the cheaper of the two. The rule when the caller
# cannot say how many rows the index collects (`matching_ids`).
DENSE_SHARE = 0.03
# Below this many rows in the table, walking or not makes no difference worth a query.
DENSE_MIN_ROWS = 100_000
# PostgreSQL prices reading an index entry (cpu_index_tuple_cost, 0.005) at 1/220 of reading
# a page of the table at random_page_cost 1.1; measured with the table in memory it is
# nearer 1/15. So it ANDs a search's bitmap with a status index of half the table (550,000
# closed petitions: 42 ms) to read 7,000 pages fewer (7 ms). For the bitmap of a search it
# is priced at this (10 ms for the same count); elsewhere, where scanning many index
# entries is what the page needs (the oversight's rates), the default stays.
BITMAP_INDEX_TUPLE_COST = 0.02
# A row walked costs about what a row the full-text index collects into its bitmap costs
# (0.5-1 µs against 0.45 µs, measured among a million petitions): walk when it reads no
# more rows than the index would collect.
WALKED_PER_COLLECTED = 1.0


def matching_ids(
    queryset: QuerySet, cap: int = DEFAULT_CAP, *, index_share: float | None = None
) -> list | None:
    """The ids of what `queryset` matches (in no order), or None when more than `cap`:
    the capped count of a search, whose page can then be read by these ids rather than by
    searching again.

    When walking the table is expected to meet `cap + 1` matches sooner than the text index
    collects its rows, PostgreSQL is told to walk rather than build a bitmap, so the query
    stops at the cap (SET LOCAL enable_bitmapscan, for this query only); otherwise it is
    told what an index entry costs (`BITMAP_INDEX_TUPLE_COST`). `index_share` is
    the share of the table the index collects for the words, whatever else filters them (by
    the planner's statistics); without it, matches in `DENSE_SHARE` of the rows are walked.
    On PostgreSQL with a table of `DENSE_MIN_ROWS` or more, five small queries more
    (`table_estimate`, the savepoint and its setting); one for a smaller table."""
    estimate = table_estimate(queryset)
    if estimate is None:
        return _capped_ids(queryset, cap)
    planned, total = estimate
    if index_share is None:
        walk = planned >= DENSE_SHARE * total
    else:
        walk = planned > 0 and cap * total / planned <= WALKED_PER_COLLECTED * index_share * total
    # The setting lives in a savepoint rolled back once the ids are read: whatever the
    # transaction around it had set comes back, and nothing else is planned with it.
    setting = (
        "enable_bitmapscan = off" if walk else f"cpu_index_tuple_cost = {BITMAP_INDEX_TUPLE_COST}"
    )
    with transaction.atomic(using=queryset.db):
        savepoint = transaction.savepoint(using=queryset.db)
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"SET LOCAL {setting}")
        ids = _capped_ids(queryset, cap)
        transaction.savepoint_rollback(savepoint, using=queryset.db)
    return ids


def _capped_ids(queryset: QuerySet, cap: int) -> list | None:
    ids = list(queryset.order_by().values_list("pk", flat=True)[: cap + 1])
    return ids if len(ids) <= cap else None


def table_estimate(queryset: QuerySet) -> tuple[float, float] | None:
    """(the rows the planner expects `queryset` to match, the rows of its table), by
    EXPLAIN, nothing run; None on other databases and for tables under `DENSE_MIN_ROWS`,
    where either way is quick (one query then, two above)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # The planner's own estimate of the table (-1 before it was first analysed).
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        total = cursor.fetchone()[0]
        if total < DENSE_MIN_ROWS:
            return None
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"], total


def vector_statistics(db: str, table: str, column: str) -> tuple[float, dict[str, float]]:
    """What PostgreSQL's planner knows of a text vector column, in one small query: the
    rows of its table (-1 before it was first analysed), and the share of the rows each of
    the most common lexemes is in (none before ANALYZE). A lexeme not among them is in
    fewer rows than the least common of those."""
    with connections[db].cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() "
            "AND s.tablename = c.relname AND s.attname = %s WHERE c.oid = %s::regclass",
            [column, table],
        )
        rows, lexemes, shares = cursor.fetchone()
    # The shares of a text vector's lexemes end with their minimum and maximum: zip drops
    # them.
    return rows, dict(zip(lexemes or [], shares or [], strict=False))


def capped_counts(querysets: dict[str, QuerySet], cap: int = DEFAULT_CAP) -> dict[str, int | None]:
    """`capped_count` of several querysets in one query (a home page's figures).

    SELECT (SELECT COUNT(*) FROM (SELECT id ... LIMIT cap + 1)), (…), …: each figure stops at
    `cap + 1` rows its index hands over, however many rows the table holds.
    """
    if not querysets:
        return {}
    sql, params = capped_counts_sql(querysets, cap)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        counted = cursor.fetchone()
    return {
        name: count if count <= cap else None
        for name, count in zip(querysets, counted, strict=True)
    }


def capped_sums(
    figures: dict[str, list[QuerySet]], cap: int = DEFAULT_CAP
) -> dict[str, int | None]:
    """`capped_counts` of figures made of parts that share no row (one query for all): each
    figure is the sum of its parts' capped counts, None when above the cap. A part that
    passes the cap alone settles its figure."""
    parts = {
        f"{name}:{n}": queryset
        for name, querysets in figures.items()
        for n, queryset in enumerate(querysets)
    }
    counted = capped_counts(parts, cap)
    sums = {}
    for name, querysets in figures.items():
        counts = [counted[f"{name}:{n}"] for n in range(len(querysets))]
        total = None if None in counts else sum(counts)
        sums[name] = total if total is not None and total <= cap else None
    return sums


def capped_counts_sql(querysets: dict[str, QuerySet], cap: int) -> tuple[str, list]:
    """The one query of `capped_counts` (tests read its plan)."""
    parts, params = [], []
    for queryset in querysets.values():
        sql, part_params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")
        params.extend(part_params)
    return f"SELECT {', '.join(parts)}", params


class CappedCount(Subquery):
    """A correlated `capped_count` as an annotation: pass `queryset.values("pk")[: cap + 1]`;
    the value is at most cap + 1 (more than the cap)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def page_number(value) -> int:
    """The page asked for; anything that is not a positive number is the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, number)


@dataclass
class Page:
    rows: list
    number: int
    per_page: int
    # Exact number of rows, or None when there are more than `cap`.
    count: int | None
    cap: int
    has_next: bool
    # The page asked for was past the end (`requested`): this is the last page instead.
    out_of_range: bool = False
    requested: int | None = None
    window: int = field(default=2, repr=False)

    @property
    def count_capped(self) -> bool:
        return self.count is None

    @property
    def num_pages(self) -> int | None:
        if self.count is None:
            return None
        return max(1, ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def start_index(self) -> int:
        """1-based position of the first row shown (0 when there is none)."""
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)

    @property
    def page_range(self) -> list[int | None]:
        """Numbered links around the current page, None for a gap: 1 … 4 5 [6] 7 8 … 20.

        Empty while the count is unknown (above the cap): only first/previous/next then.
        """
        last = self.num_pages
        if last is None:
            return []
        shown = {1, last, *range(self.number - self.window, self.number + self.window + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= last)
        result: list[int | None] = []
        for n in numbers:
            if result and n - result[-1] == 2:
                result.append(n - 1)  # a gap of one page: show it rather than "…"
            elif result and n - result[-1] > 2:
                result.append(None)
            result.append(n)
        return result

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _rows_in_order(ids: Sequence, fetched: Iterable) -> list:
    by_id = {row.pk: row for row in fetched}
    return [by_id[pk] for pk in ids if pk in by_id]


def paginate(
    queryset: QuerySet,
    number,
    *,
    per_page: int = 25,
    cap: int = DEFAULT_CAP,
    rows: Callable[[list], Iterable] | None = None,
    count: "int | _Uncounted | None" = UNCOUNTED,
    counter: Callable[[int], int | None] | None = None,
) -> Page:
    """The page `number` (as typed in the URL) of an ordered queryset.

    Queries: page 1 that is not full: ids, rows. Page 1 that is full: ids, count, rows.
    Any other page: count, ids, rows. None when the count given is 0. A page past the end
    shows the last page when the count is known. A `count` the caller already has (capped
    the same way) is not counted again; `counter(cap)` counts when a count is needed, if
    the queryset's own count is not the cheap one (a sum of parts).
    """
    counter = counter or (lambda cap: capped_count(queryset, cap))
    requested = page_number(number)
    number = requested
    counted = count is not UNCOUNTED
    out_of_range = False
    if number > 1 or counted:
        if not counted:
            count = counter(cap)
            counted = True
        if count is not None:
            last = max(1, ceil(count / per_page))
            if number > last:
                number, out_of_range = last, True

    offset = (number - 1) * per_page
    if counted and count == 0:
        ids = []  # counted empty: nothing to look for (a search that matches nothing)
    else:
        ids = list(queryset.values_list("pk", flat=True)[offset : offset + per_page + 1])
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    if not counted:  # the first page, not counted yet
        count = counter(cap) if has_next else len(ids)
    elif number > 1 and not ids:
        # Past the end of a list too long to count: nothing to show on this page.
        out_of_range = True

    if ids:
        fetched = rows(ids) if rows else queryset.filter(pk__in=ids).order_by()
        page_rows = _rows_in_order(ids, fetched)
    else:
        page_rows = []
    return Page(
        rows=page_rows,
        number=number,
        per_page=per_page,
        count=count,
        cap=cap,
        has_next=has_next,
        out_of_range=out_of_range,
        requested=requested if out_of_range else None,
    )

"""Exact counters for the figures of the home pages, kept by the database itself.

A province holds a million petitions: counting what waits at each step on every home page
costs tens of milliseconds, the overdue register by unit more than a hundred. A tally keeps
each figure instead, as rows of `Tally` (name, unit, status, day, count) whose sum over a
key range is the figure: "overdue" is the sum of the petitions' tally with the status that
waits for a unit and a deadline before today.

Triggers keep them, in the transaction of the change (`trigger_sql`, installed by the
migration of the app that owns the table), on PostgreSQL and on SQLite alike: every write
path — a service, `QuerySet.update()` (the deadline recount), an import, the admin, raw SQL —
moves the tally with the row, and the figure is as exact as the rows it counts. A change
inserts a row of -1 for the key the row leaves and +1 for the key it takes and never
updates a counter row, so concurrent writers neither wait on nor deadlock over a counter.

`compact()` (Celery beat, every 10 minutes) folds the rows of each key into one, and
`recount()` (every night, and `manage.py recount_tallies`) recounts each tally from its
table, adds what differs and logs it: a trigger dropped by hand or a load that bypassed the
triggers (the benchmark's COPY) shows in the log and is repaired.

A copy (`CopySpec`) is the other thing triggers keep here: columns of one table that repeat
those of the row another table points to, so that one index answers what would be a join
(a unit's petition-unit rows carry their assignment's state). `repair_copies()` checks them
with the recount.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, transaction

from doluong_dialogue.models import Tally

logger = logging.getLogger(__name__)

TABLE = Tally._meta.db_table
# Compactions run one at a time (PostgreSQL advisory lock).
COMPACT_LOCK = 7_031_001


class _LocalDay:
    """`{day:done_at}` in a tally's expression: the day, in the commune's time zone, of the
    row's moment `done_at`, as the database in use computes it."""

    def __init__(self, vendor: str, row: str):
        self.vendor, self.row = vendor, row

    def __format__(self, column: str) -> str:
        moment = f"{self.row}.{column}"
        if self.vendor == "postgresql":
            return f"CAST(({moment} AT TIME ZONE '{settings.TIME_ZONE}') AS DATE)"
        if self.vendor == "sqlite":
            # SQLite knows no time zones: the zone's offset now (Viet Nam keeps no summer
            # time), added to the stored UTC moment.
            offset = datetime.now(ZoneInfo(settings.TIME_ZONE)).utcoffset()
            return f"date({moment}, '{offset.total_seconds() / 3600:+.0f} hours')"
        raise NotImplementedError(f"No local day on {self.vendor}")


class _Month:
    """`{month:received_on}` in a tally's expression: the first day of the month of the
    row's date `received_on`, as a date (`{month_text:received_on}`: as text, 2026-05-01)."""

    def __init__(self, vendor: str, row: str, *, text: bool = False):
        self.vendor, self.row, self.text = vendor, row, text

    def __format__(self, column: str) -> str:
        day = f"{self.row}.{column}"
        if self.vendor == "postgresql":
            month = f"CAST(date_trunc('month', {day}) AS DATE)"
            return f"to_char({day}, 'YYYY-MM-01')" if self.text else month
        if self.vendor == "sqlite":
            return f"date({day}, 'start of month')"
        raise NotImplementedError(f"No month on {self.vendor}")


@dataclass(frozen=True)
class TallySpec:
    """What one tally counts: the rows of `table` for which `where` holds, by the key
    (`unit`, `status`, `day`). Each is an SQL expression over a row written `{r}`
    (`"CASE WHEN {r}.status = 'open' THEN {r}.deadline END"`), where `{day:done_at}` is
    the local day of the row's moment `done_at`, `{month:received_on}` the first day of the
    month of its date `received_on` (`{month_text:…}` as text); `columns` are those the
    expressions read, the only ones whose update moves the tally."""

    name: str
    table: str
    columns: tuple[str, ...]
    unit: str = "CAST(NULL AS INTEGER)"
    status: str = "''"
    day: str = "CAST(NULL AS DATE)"
    where: str = "1 = 1"

    def key(self, row: str, vendor: str) -> tuple[str, str, str]:
        return tuple(_sql(part, row, vendor) for part in (self.unit, self.status, self.day))

    def counted(self, row: str, vendor: str) -> str:
        return "(" + _sql(self.where, row, vendor) + ")"

    def source_sql(self, vendor: str) -> str:
        """The tally recounted from its table: (unit, status, day, n) per key."""
        unit, status, day = self.key(self.table, vendor)
        # A part of the key that is a constant is not grouped by (PostgreSQL refuses it).
        grouped = [
            _sql(expression, self.table, vendor)
            for expression in (self.unit, self.status, self.day)
            if "{" in expression
        ]
        return (
            f"SELECT {unit} AS unit_id, {status} AS status, {day} AS day, COUNT(*) AS n "
            f"FROM {self.table} WHERE {self.counted(self.table, vendor)} "
            f"GROUP BY {', '.join(grouped) or '()'}"
        )


def _sql(expression: str, row: str, vendor: str) -> str:
    return expression.format(
        r=row,
        day=_LocalDay(vendor, row),
        month=_Month(vendor, row),
        month_text=_Month(vendor, row, text=True),
    )


_specs: dict[str, TallySpec] = {}


def register(spec: TallySpec) -> None:
    """Apps register the tallies their triggers keep (in `ready()`), for the recount."""
    _specs[spec.name] = spec


def specs() -> list[TallySpec]:
    return list(_specs.values())


# --- The triggers ---------------------------------------------------------------------------


def _insert(spec: TallySpec, row: str, sign: int, vendor: str) -> str:
    unit, status, day = spec.key(row, vendor)
    return (
        f"INSERT INTO {TABLE} (name, unit_id, status, day, count) "
        f"VALUES ('{spec.name}', {unit}, {status}, {day}, {sign})"
    )


def _insert_where(spec: TallySpec, row: str, sign: int, vendor: str) -> str:
    unit, status, day = spec.key(row, vendor)
    condition = spec.counted(row, vendor)
    return (
        f"INSERT INTO {TABLE} (name, unit_id, status, day, count) "
        f"SELECT '{spec.name}', {unit}, {status}, {day}, {sign} WHERE {condition}"
    )


def _same(spec: TallySpec, same_value: str, vendor: str) -> str:
    """The row keeps its place in the tally: counted before and after, with the same key, or
    counted neither before nor after."""
    old, new = spec.key("OLD", vendor), spec.key("NEW", vendor)
    keys = " AND ".join(f"({a}) {same_value} ({b})" for a, b in zip(old, new, strict=True))
    return (
        f"(({spec.counted('OLD', vendor)} AND {spec.counted('NEW', vendor)} AND {keys}) "
        f"OR (NOT {spec.counted('OLD', vendor)} AND NOT {spec.counted('NEW', vendor)}))"
    )


def trigger_sql(vendor: str, table: str, tallies: list[TallySpec]) -> tuple[list[str], list[str]]:
    """(statements that install, statements that remove) the triggers keeping `tallies` of
    `table`: AFTER INSERT, DELETE and UPDATE OF the columns they read, FOR EACH ROW,
    inserting only when a row's key changes."""
    columns = sorted({column for spec in tallies for column in spec.columns})
    name = f"{table}_tally"
    if vendor == "postgresql":

        def counted(spec: TallySpec, row: str, sign: int) -> str:
            return (
                f"IF {spec.counted(row, vendor)} THEN {_insert(spec, row, sign, vendor)}; END IF;"
            )

        inserted = "\n".join(f"    {counted(spec, 'NEW', 1)}" for spec in tallies)
        deleted = "\n".join(f"    {counted(spec, 'OLD', -1)}" for spec in tallies)
        updated = "\n".join(
            f"    IF NOT {_same(spec, 'IS NOT DISTINCT FROM', vendor)} THEN\n"
            f"      {counted(spec, 'OLD', -1)}\n"
            f"      {counted(spec, 'NEW', 1)}\n"
            f"    END IF;"
            for spec in tallies
        )
        function = (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            f"  IF TG_OP = 'INSERT' THEN\n{inserted}\n"
            f"  ELSIF TG_OP = 'DELETE' THEN\n{deleted}\n"
            f"  ELSE\n{updated}\n"
            f"  END IF;\n"
            f"  RETURN NULL;\n"
            f"END $$"
        )
        trigger = (
            f"CREATE TRIGGER {name} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )
        return [function, trigger], [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"DROP FUNCTION IF EXISTS {name}()",
        ]
    if vendor == "sqlite":
        inserted = "".join(f"  {_insert_where(spec, 'NEW', 1, vendor)};\n" for spec in tallies)
        deleted = "".join(f"  {_insert_where(spec, 'OLD', -1, vendor)};\n" for spec in tallies)
        install = [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN\n{inserted}END",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN\n{deleted}END",
        ]
        remove = [f"DROP TRIGGER IF EXISTS {name}_insert", f"DROP TRIGGER IF EXISTS {name}_delete"]
        for spec in tallies:
            moved = f"NOT {_same(spec, 'IS', vendor)}"
            install.append(
                f"CREATE TRIGGER {name}_{spec.name}_update "
                f"AFTER UPDATE OF {', '.join(spec.columns)} ON {table} WHEN {moved} BEGIN\n"
                f"  {_insert_where(spec, 'OLD', -1, vendor)};\n"
                f"  {_insert_where(spec, 'NEW', 1, vendor)};\n"
                f"END"
            )
            remove.append(f"DROP TRIGGER IF EXISTS {name}_{spec.name}_update")
        return install, remove
    raise NotImplementedError(f"No tally triggers for {vendor}")


# --- Compaction and the recount --------------------------------------------------------------


def compact(*, using: str = "default") -> int:
    """Fold the rows of each key into one (a key whose sum is 0 leaves none); the rows
    removed are exactly those summed (DELETE … RETURNING), so a change committed meanwhile
    is kept. Only the keys with more than one row, or a sum of 0, are rewritten: the tallies
    by place hold hundreds of thousands of keys, most of them already one row. Returns how
    many rows fewer the table holds."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COMPACT_LOCK])
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE id IN ("
            f"SELECT id FROM (SELECT id, COUNT(*) OVER key AS n, SUM(count) OVER key AS total "
            f"FROM {TABLE} WINDOW key AS (PARTITION BY name, unit_id, status, day)) k "
            f"WHERE n > 1 OR total = 0"
            f") RETURNING name, unit_id, status, day, count"
        )
        removed = cursor.fetchall()
        sums: dict[tuple, int] = defaultdict(int)
        for name, unit_id, status, day, count in removed:
            sums[(name, unit_id, status, day)] += count
        kept = [
            Tally(name=name, unit_id=unit_id, status=status, day=day, count=count)
            for (name, unit_id, status, day), count in sums.items()
            if count
        ]
        Tally.objects.using(using).bulk_create(kept, batch_size=1000)
    return len(removed) - len(kept)


@dataclass(frozen=True)
class Difference:
    name: str
    unit_id: int | None
    status: str
    day: object
    missing: int  # what the rows count minus what the tally says

    def __str__(self) -> str:
        return (
            f"{self.name} unit={self.unit_id} status={self.status or '-'} day={self.day}: "
            f"{self.missing:+d}"
        )


def differences_sql(tallies: list[TallySpec], vendor: str) -> tuple[str, list]:
    """One statement, so that the rows and the tally are read as of one moment: per key,
    what the rows count minus what the tally sums, where they differ."""
    parts, params = [], []
    for spec in tallies:
        source = spec.source_sql(vendor)
        parts.append(f"SELECT %s AS name, unit_id, status, day, n FROM ({source}) s")
        params.append(spec.name)
    names = ", ".join(["%s"] * len(tallies))
    parts.append(
        f"SELECT name, unit_id, status, day, -count AS n FROM {TABLE} WHERE name IN ({names})"
    )
    params.extend(spec.name for spec in tallies)
    union = " UNION ALL ".join(parts)
    sql = (
        f"SELECT name, unit_id, status, day, SUM(n) FROM ({union}) d "
        f"GROUP BY name, unit_id, status, day HAVING SUM(n) <> 0"
    )
    return sql, params


def recount(
    *, using: str = "default", quiet: bool = False, tallies: list[TallySpec] | None = None
) -> list[Difference]:
    """Recount every tally (or `tallies`) from its rows and add what differs (the nightly
    check). A difference means a change bypassed the triggers: each is logged as a warning,
    unless `quiet` (a migration filling them, a load known to bypass them)."""
    tallies = specs() if tallies is None else tallies
    if not tallies:
        return []
    connection = connections[using]
    sql, params = differences_sql(tallies, connection.vendor)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        # SUM of counts is a numeric on PostgreSQL.
        found = [Difference(*key, int(n)) for *key, n in cursor.fetchall()]
        # Read as of one moment, the differences stay right whatever commits meanwhile:
        # every later change moves its rows and its tally together.
        Tally.objects.using(using).bulk_create(
            [
                Tally(name=d.name, unit_id=d.unit_id, status=d.status, day=d.day, count=d.missing)
                for d in found
            ],
            batch_size=1000,
        )
    if found and not quiet:
        logger.warning(
            "Tallies recounted: %s key(s) differed from their rows and were corrected: %s",
            len(found),
            "; ".join(str(d) for d in found[:50]),
        )
    return found


# --- Copies of another row's columns ----------------------------------------------------------


@dataclass(frozen=True)
class CopySpec:
    """Columns of `table` that copy those of the `source` row its column `key` points to
    (NULL where `key` is): `columns` pairs a column of `table` with the column of `source`
    it copies. Triggers fill them when a row is written and follow every change of the
    source's columns, in the same transaction."""

    name: str
    table: str
    key: str
    source: str
    columns: tuple[tuple[str, str], ...]

    @property
    def copies(self) -> list[str]:
        return [copy for copy, _original in self.columns]

    @property
    def originals(self) -> list[str]:
        return [original for _copy, original in self.columns]


_copies: dict[str, CopySpec] = {}


def register_copy(spec: CopySpec) -> None:
    """Apps register the copies their triggers keep (in `ready()`), for the nightly check."""
    _copies[spec.name] = spec


# Other rows triggers derive from others (the petitions' search keys), each with its own
# repair: `repair(using=..., quiet=...)` returns how many rows it corrected.
_repairs: dict[str, Callable[..., int]] = {}


def register_repair(name: str, repair: Callable[..., int]) -> None:
    """Apps register the repair of what their triggers derive (in `ready()`), run by the
    nightly check with the copies' (`repair_copies`)."""
    _repairs[name] = repair


def copy_trigger_sql(vendor: str, spec: CopySpec) -> tuple[list[str], list[str]]:
    """(statements that install, statements that remove) the triggers keeping `spec`."""
    name, t, s = spec.name, spec.table, spec.source
    copies, originals = ", ".join(spec.copies), ", ".join(spec.originals)
    from_source = f"(SELECT {originals} FROM {s} WHERE {s}.id = NEW.{spec.key})"
    if vendor == "postgresql":
        filled = ", ".join(f"NEW.{copy}" for copy in spec.copies)
        follow = ", ".join(f"{copy} = NEW.{original}" for copy, original in spec.columns)
        changed = " OR ".join(f"OLD.{o} IS DISTINCT FROM NEW.{o}" for o in spec.originals)
        return [
            f"CREATE OR REPLACE FUNCTION {name}_fill() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            # No source row (a NULL key): SELECT INTO sets every copy to NULL.
            f"  SELECT {originals} INTO {filled} FROM {s} WHERE {s}.id = NEW.{spec.key};\n"
            f"  RETURN NEW;\n"
            f"END $$",
            f"CREATE TRIGGER {name}_fill BEFORE INSERT OR UPDATE OF {spec.key} ON {t} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_fill()",
            f"CREATE OR REPLACE FUNCTION {name}_follow() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n"
            f"  UPDATE {t} SET {follow} WHERE {spec.key} = NEW.id;\n"
            f"  RETURN NULL;\n"
            f"END $$",
            f"CREATE TRIGGER {name}_follow AFTER UPDATE OF {originals} ON {s} "
            f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION {name}_follow()",
        ], [
            f"DROP TRIGGER IF EXISTS {name}_fill ON {t}",
            f"DROP FUNCTION IF EXISTS {name}_fill()",
            f"DROP TRIGGER IF EXISTS {name}_follow ON {s}",
            f"DROP FUNCTION IF EXISTS {name}_follow()",
        ]
    if vendor == "sqlite":
        # SQLite cannot change NEW before the row is written: the row is updated after.
        fill = f"UPDATE {t} SET ({copies}) = {from_source} WHERE id = NEW.id;"
        follow = ", ".join(f"{copy} = NEW.{original}" for copy, original in spec.columns)
        return [
            f"CREATE TRIGGER {name}_fill AFTER INSERT ON {t} BEGIN\n  {fill}\nEND",
            f"CREATE TRIGGER {name}_refill AFTER UPDATE OF {spec.key} ON {t} BEGIN\n  {fill}\nEND",
            f"CREATE TRIGGER {name}_follow AFTER UPDATE OF {originals} ON {s} BEGIN\n"
            f"  UPDATE {t} SET {follow} WHERE {spec.key} = NEW.id;\nEND",
        ], [
            f"DROP TRIGGER IF EXISTS {name}_fill",
            f"DROP TRIGGER IF EXISTS {name}_refill",
            f"DROP TRIGGER IF EXISTS {name}_follow",
        ]
    raise NotImplementedError(f"No copy triggers for {vendor}")


def tally_migration(table: str, before: list[TallySpec], after: list[TallySpec]):
    """The migration operation that makes the triggers of `table` keep the tallies `after`
    instead of `before`, then fills those added from the rows already there; backwards, it
    puts back the triggers of `before` and removes the rows of the tallies added."""
    from django.db import migrations

    added = [spec for spec in after if spec not in before]

    def swap(schema_editor, old: list[TallySpec], new: list[TallySpec]) -> None:
        vendor = schema_editor.connection.vendor
        for statement in [*trigger_sql(vendor, table, old)[1], *trigger_sql(vendor, table, new)[0]]:
            schema_editor.execute(statement, params=None)

    def forwards(apps, schema_editor):
        swap(schema_editor, before, after)
        recount(using=schema_editor.connection.alias, quiet=True, tallies=added)

    def backwards(apps, schema_editor):
        swap(schema_editor, after, before)
        apps.get_model("doluong_dialogue", "Tally").objects.using(
            schema_editor.connection.alias
        ).filter(name__in=[spec.name for spec in added]).delete()

    return migrations.RunPython(forwards, backwards)


def copy_migration(spec: CopySpec):
    """The migration operation that installs the triggers keeping `spec`, then fills the
    copies of the rows already there (one UPDATE); backwards, it removes the triggers."""
    from django.db import migrations

    def install(apps, schema_editor):
        for statement in copy_trigger_sql(schema_editor.connection.vendor, spec)[0]:
            schema_editor.execute(statement, params=None)
        repair_copies(using=schema_editor.connection.alias, quiet=True, copies=[spec])

    def remove(apps, schema_editor):
        for statement in copy_trigger_sql(schema_editor.connection.vendor, spec)[1]:
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(install, remove)


def repair_copies(
    *, using: str = "default", quiet: bool = False, copies: list[CopySpec] | None = None
) -> int:
    """Make every copy (or those of `copies`) say what its source row says (the nightly
    check, with the recount), and without `copies` run the registered repairs too
    (`register_repair`); returns how many rows were corrected, each copy's logged as a
    warning unless `quiet`."""
    connection = connections[using]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    corrected = 0
    for spec in _copies.values() if copies is None else copies:
        t, s = spec.table, spec.source
        stale = " OR ".join(f"{t}.{c} {differs} {s}.{o}" for c, o in spec.columns)
        orphaned = " OR ".join(f"{c} IS NOT NULL" for c in spec.copies)
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {t} SET ({', '.join(spec.copies)}) = "
                f"(SELECT {', '.join(spec.originals)} FROM {s} WHERE {s}.id = {t}.{spec.key}) "
                f"WHERE EXISTS (SELECT 1 FROM {s} WHERE {s}.id = {t}.{spec.key} AND ({stale}))"
            )
            found = cursor.rowcount
            cursor.execute(
                f"UPDATE {t} SET {', '.join(f'{c} = NULL' for c in spec.copies)} "
                f"WHERE {spec.key} IS NULL AND ({orphaned})"
            )
            found += cursor.rowcount
        if found and not quiet:
            logger.warning("Copies repaired: %s row(s) of %s differed from %s.", found, t, s)
        corrected += found
    if copies is None:
        for repair in _repairs.values():
            corrected += repair(using=using, quiet=quiet)
    return corrected

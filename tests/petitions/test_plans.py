"""On PostgreSQL the province-scale paths use the indexes made for them (EXPLAIN).

With a few thousand rows the planner may rightly prefer a plain scan; these tests turn
sequential scans off and check that the queries match the intended indexes at all.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from doluong_dialogue import paging
from doluong_dialogue.paging import DEFAULT_CAP, capped_counts_sql
from petitions import permissions
from petitions.figures import petition_figure_lists
from petitions.models import Assignment, Department, Petition
from petitions.permissions import Role
from petitions.search import filter_petitions, search
from tests.factories import UserFactory
from tests.petitions.helpers import assigned, received
from tests.petitions.test_search import bulk_petitions

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def planned(staff, department, other_department):
    bulk_petitions(staff, 2000, "Tranh chấp đất đai giữa các hộ")
    assigned(staff, department)
    assigned(staff, other_department)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")


def plan(queryset) -> str:
    return queryset.explain()


def test_a_common_word_is_matched_on_the_stored_vectors(planned, staff, dept_user):
    for user in (staff, dept_user):
        # What finds the matches (the list then reads its page by their ids).
        petitions = search(permissions.visible_petitions(user), "dat", user)
        for query in (petitions.values("pk")[:26], petitions.order_by().values("pk")[:1001]):
            explained = plan(query)
            assert "search_text_vector" in explained
            assert "to_tsvector" not in explained  # no vector computed again per row


def test_a_units_petitions_and_the_unit_filter_read_the_petition_unit_table(
    planned, staff, dept_user, department
):
    visible = permissions.visible_petitions(dept_user).values("pk")[:26]
    by_unit = filter_petitions(Petition.objects.all(), {"department": department.pk}, staff, None)
    for query in (visible, by_unit.order_by().values("pk")[:10001]):
        explained = plan(query)
        assert re.search(r"Index Cond: \(+department_id = ", explained)
        assert "on petitions_petitionunit" in explained
        assert "petitions_assignment" not in explained  # no join through the assignments


def test_the_home_figures_are_counted_from_indexes(planned):
    sql, params = capped_counts_sql(
        petition_figure_lists(Petition.objects.all(), on=timezone.localdate()), DEFAULT_CAP
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        explained = "\n".join(row[0] for row in cursor.fetchall())
    # The statuses read the filter index (so may what units owe, as the statistics other
    # tests left make the planner choose); the letters owed one of the partial indexes made
    # for them; never the table.
    assert "petition_filter_idx" in explained
    assert re.search(r"petition_letter_(owed|new)_idx", explained)
    assert "Seq Scan on petitions_petition" not in explained


def test_what_a_unit_leads_is_counted_from_its_index(planned, department):
    # Once other tests have analysed the tables, two bitmaps of any index starting with the
    # unit are as cheap on a few rows: the plain index scan is the one asked about.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
    explained = plan(Assignment.objects.led_by([department.pk]).running().values("pk")[:10001])
    assert "petitions_a_departm_700f03_idx" in explained


def test_a_search_walks_or_collects_by_what_each_costs_and_the_setting_does_not_outlive_it(
    planned, staff, monkeypatch
):
    """The matches' ids: walked (the query stops at the cap) when the walk meets the cap
    sooner than the text index collects its rows, else collected with index entries priced
    nearer their cost; without the index's share, by the share of the matches. Each finds
    what a plain query finds, and the transaction's settings come back after it."""
    monkeypatch.setattr(paging, "DENSE_MIN_ROWS", 0)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # to see it come back
        cursor.execute("SET LOCAL cpu_index_tuple_cost = 0.007")
    matches = search(permissions.visible_petitions(staff), "dat", staff)
    plain = set(matches.values_list("pk", flat=True))
    assert len(plain) >= 2000
    # The planner's estimates of a small table are rough: the test sets the shares itself.
    planned_rows, total = paging.table_estimate(matches)
    assert 0 < planned_rows <= total
    walked_share = 1000.0  # the index would collect far more than any walk reads
    collected_share = 0.0  # the index collects nothing: its bitmap is cheaper
    cases = [
        ({"index_share": walked_share}, True),
        ({"index_share": collected_share}, False),
        ({}, True),  # DENSE_SHARE 0: every share is dense
    ]
    monkeypatch.setattr(paging, "DENSE_SHARE", 0.0)
    for options, walks in cases:
        for cap in (100, 5000):
            with CaptureQueriesContext(connection) as captured:
                ids = paging.matching_ids(matches, cap=cap, **options)
            assert (set(ids) if ids is not None else None) == (plain if cap >= 5000 else None)
            settings = [query["sql"] for query in captured if "SET LOCAL" in query["sql"]]
            expected = "enable_bitmapscan = off" if walks else "cpu_index_tuple_cost = 0.02"
            assert len(settings) == 1 and expected in settings[0], (options, settings)
            with connection.cursor() as cursor:
                cursor.execute("SHOW enable_bitmapscan")
                assert cursor.fetchone()[0] == "off"  # as set before, not the default
                cursor.execute("SHOW cpu_index_tuple_cost")
                assert cursor.fetchone()[0] == "0.007"


def test_a_front_users_petitions_are_read_from_the_petition_unit_rows(planned, staff):
    """Not an OR over the petition table's columns, which only a sequential scan answers:
    the figures merge the organisation's petition-unit rows with the open or the closed
    petitions, both in the order of their ids; a user who entered petitions for no
    organisation of theirs has those counted apart, by who entered them."""
    organisation = Department.objects.get(name="Ủy ban MTTQ Việt Nam xã")
    member = UserFactory(username="mttq_plan", roles=[Role.FRONT], departments=[organisation])
    entering = UserFactory(username="mttq_own", roles=[Role.FRONT], departments=[organisation])
    received(member, submitted_by_department=organisation)
    received(entering)
    for front in (member, entering):
        parts = permissions.visible_petition_parts(front)
        figures = {}
        for n, part in enumerate(parts):
            figures |= {f"open{n}": part.open(), f"closed{n}": part.closed(), f"all{n}": part}
        sql, params = capped_counts_sql(figures, DEFAULT_CAP)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            explained = "\n".join(row[0] for row in cursor.fetchall())
        # Either index of the petition-unit table that starts with the unit serves; which
        # one the planner takes depends on what other tests left in the statistics.
        assert re.search(r"(using|on) petition_unit_(reach|department)_idx", explained)
        for index in ("petition_open_ids_idx", "petition_closed_ids_idx"):
            assert index in explained
        assert "Seq Scan on petitions_petition" not in explained
        page = plan(permissions.visible_petitions(front).values("pk")[:26])
        assert re.search(r"(using|on) petition_unit_(reach|department)_idx", page)
        assert "Seq Scan on petitions_petition" not in page
    assert len(permissions.visible_petition_parts(entering)) == 2

"""The fast paths answer what the plain queries answer.

Search (stored vectors on PostgreSQL), the unit filter and a unit's visibility (the
petition-unit table), the home and inbox figures (capped counts in one query) are compared
on a small data set with the obvious, unoptimised query or Python over every row.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.text import search_terms
from petitions import permissions, search_keys, services
from petitions import search as search_module
from petitions.figures import inbox_figures, overdue_by_lead_unit, petition_figures
from petitions.models import Assignment, Department, Petition
from petitions.permissions import Role
from petitions.search import PetitionFilterForm, filter_petitions
from tests.factories import PetitionFactory, UserFactory
from tests.petitions.helpers import classified, matching_sql, received

pytestmark = pytest.mark.django_db

SUMMARIES = [
    "Tranh chấp đất đai giữa các hộ",
    "Đường liên xóm xuống cấp, nhiều ổ gà",
    "Thiếu nước sạch sinh hoạt",
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Đất công bị lấn chiếm",
]


@pytest.fixture
def commune(staff, department, other_department, dept_user, other_dept_user):
    """Petitions in every state, led and supported by both units, some hidden, some late."""
    today = timezone.localdate()
    third = Department.objects.exclude(pk__in=[department.pk, other_department.pk]).first()
    third.members.add(UserFactory())
    for n in range(6):
        received(staff, summary=SUMMARIES[n % 5], hide_identity=n % 3 == 0)
    for n in range(24):
        petition = classified(
            staff,
            summary=SUMMARIES[n % 5],
            petitioner_name=["Nguyễn Văn Đạt", "Trần Thị Lài", "Lê Đình Hòe"][n % 3],
            hide_identity=n % 4 == 0,
        )
        if n % 6 == 5:
            continue  # classified, to assign
        lead, helper = [
            (department, None),
            (other_department, department),
            (department, other_department),
            (other_department, None),
            (third, department),
        ][n % 5]
        assignment = services.petition_assign(
            petition=petition,
            actor=staff,
            department=lead,
            supporting=[helper] if helper else [],
        )
        member = dept_user if lead == department else other_dept_user
        if n % 7 == 1 and lead in (department, other_department):
            services.assignment_decline(assignment=assignment, actor=member, reason="Không")
            continue
        if n % 4 == 2 and lead in (department, other_department):
            services.answer_submit(assignment=assignment, actor=member, text="Đã giải quyết.")
            continue
        if n % 3 == 0:  # overdue, or due soon
            late = today - timedelta(days=n) if n % 2 == 0 else today + timedelta(days=1)
            Assignment.objects.filter(pk=assignment.pk).update(deadline=late)
            Petition.objects.filter(pk=petition.pk).update(deadline=late)
    # Acknowledgement letters owed, some overdue.
    for n, petition in enumerate(Petition.objects.order_by("pk")[:12]):
        Petition.objects.filter(pk=petition.pk).update(
            acknowledgement_due=today + timedelta(days=n - 6),
            acknowledged_on=None if n % 3 else today,
        )
    PetitionFactory(summary="Karaoke ồn ào", petitioner_name="Hoàng Sỹ Yến", hide_identity=True)
    return department, other_department


def words_start(stored: str, terms: list[str]) -> bool:
    words = stored.split()
    return all(any(word.startswith(term) for word in words) for term in terms)


def plain_search(user, query: str) -> set[str]:
    terms = search_terms(query)
    return {
        p.code
        for p in permissions.visible_petitions(user)
        if words_start(p.search_text, terms)
        or (words_start(p.search_person, terms) and permissions.can_see_identity(user, p))
    }


def list_search(user, query: str, params: dict):
    """The list's search for `user`, to run (and watch) later: the filtered queryset."""

    def run():
        return filter_petitions(
            permissions.visible_petitions(user), {"q": query, **params}, user, timezone.localdate()
        )

    return run


def searched(user, query: str, **params) -> set[str]:
    petitions = filter_petitions(
        permissions.visible_petitions(user), {"q": query, **params}, user, timezone.localdate()
    )
    return set(petitions.values_list("code", flat=True))


def units_of(petition: Petition) -> set[int]:
    return {
        unit
        for assignment in petition.assignments.all()
        for unit in [
            assignment.department_id,
            *assignment.supporting_departments.values_list("pk", flat=True),
        ]
    }


@pytest.mark.parametrize(
    "query",
    ["dat", "dat dai", "duong xom", "nuoc", "lai", "dat nguyen", "hoang sy", "karaoke", "kn 2026"],
)
def test_search_finds_what_a_scan_of_every_row_finds(commune, staff, dept_user, query):
    for user in (staff, dept_user):
        assert searched(user, query) == plain_search(user, query), (user, query)
    assert plain_search(staff, "dat")  # not vacuous


@pytest.mark.postgres
@pytest.mark.parametrize(
    "query", ["dat nguyen", "dat chung", "dai tranh", "nuoc sach thieu", "lai"]
)
def test_a_search_of_broad_and_narrow_words_finds_what_a_scan_finds(
    commune, staff, dept_user, query, monkeypatch
):
    """The GIN index is asked for the narrow words only, every word is then tested (the
    petition table's own way, where the search keys have no key for a filter)."""
    monkeypatch.setattr(search_module.search_keys, "available", lambda db: False)
    broad = {"dat": 0.6, "dai": 0.3, "nuoc": 0.2, "sach": 0.2, "lai": 0.1}
    statistics = search_module.WordStatistics(31, broad)
    monkeypatch.setattr(search_module, "word_statistics", lambda db: statistics)
    for user in (staff, dept_user):
        run = list_search(user, query, {})
        split = len(query.split()) > 1
        assert ("ts_match_vq" in matching_sql(run)) == split
        petitions = run()
        assert set(petitions.values_list("code", flat=True)) == plain_search(user, query)
    assert plain_search(staff, "dat nguyen") and plain_search(staff, "dat chung")


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["dat", "duong xom", "lai", "nguyen dat"])
def test_a_search_led_by_the_other_filters_finds_what_a_scan_finds(
    commune, staff, dept_user, query, monkeypatch
):
    """Common words among a million petitions and filters that find few: the filters'
    indexes lead and the words are tested on what they find, no text index asked (the
    petition table's own way)."""
    monkeypatch.setattr(search_module.search_keys, "available", lambda db: False)
    words = {"dat": 0.3, "duong": 0.2, "xom": 0.9, "lai": 0.1, "nguyen": 0.05}
    statistics = search_module.WordStatistics(1_000_000, words)
    monkeypatch.setattr(search_module, "word_statistics", lambda db: statistics)
    monkeypatch.setattr(search_module, "table_estimate", lambda queryset: (10, 1_000_000))
    topic = Petition.objects.filter(topic__isnull=False).values_list("topic", flat=True)[0]
    for user, params in ((staff, {"topic": topic}), (dept_user, {})):
        run = list_search(user, query, params)
        sql = matching_sql(run)
        assert "ts_match_vq" in sql and "@@" not in sql, (user, query)
        petitions = run()
        expected = plain_search(user, query)
        if params:
            expected &= set(Petition.objects.filter(topic=topic).values_list("code", flat=True))
        assert set(petitions.values_list("code", flat=True)) == expected, (user, query)
    assert searched(dept_user, "dat") and plain_search(staff, "nguyen dat")


@pytest.mark.postgres
def test_the_broad_words_come_from_the_planners_statistics(commune):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_petition")
    statistics = search_module.word_statistics(connection.alias)
    assert statistics.rows == Petition.objects.count()
    shares = statistics.shares
    # "dat" starts a word in three petitions of five here; "karaoke" is in one of 31.
    assert shares["dat"] > 0.3
    assert shares.get("karaoke", 0) < search_module.BROAD_PREFIX_SHARE * 5


def test_a_units_petitions_are_those_any_assignment_names_it(commune, dept_user):
    department, _other = commune
    expected = {p.code for p in Petition.objects.all() if department.pk in units_of(p)}
    visible = set(permissions.visible_petitions(dept_user).values_list("code", flat=True))
    assert visible == expected
    assert len(expected) > 5


def test_the_unit_filter_is_the_lead_or_a_supporting_unit(commune, staff, monkeypatch):
    for unit in commune:
        expected = {
            p.code
            for p in Petition.objects.all()
            if p.lead_department_id == unit.pk
            or any(unit in a.supporting_departments.all() for a in p.assignments.all())
        }
        form = PetitionFilterForm({"department": unit.pk}, user=staff, today=None)
        petitions = form.filter(Petition.objects.all())
        assert set(petitions.values_list("code", flat=True)) == expected
        assert form.count == len(expected)  # counted from the unit's ids, no duplicate
        assert expected
    # Over the cap: what the unit leads alone says so, and so do both parts together.
    for cap, over in ((1, commune[0]), (len(expected) - 1, unit)):
        monkeypatch.setattr(search_module, "DEFAULT_CAP", cap)
        form = PetitionFilterForm({"department": over.pk}, user=staff, today=None)
        form.filter(Petition.objects.all())
        assert form.count is None


def test_search_with_filters_is_the_intersection(commune, staff):
    department, _other = commune
    by_unit = filter_petitions(
        Petition.objects.all(), {"department": department.pk, "status": "assigned"}, staff, None
    )
    expected = plain_search(staff, "dat") & set(by_unit.values_list("code", flat=True))
    assert searched(staff, "dat", department=department.pk, status="assigned") == expected


def test_the_home_figures_are_the_plain_counts(commune, staff, front_user):
    today = timezone.localdate()
    for petitions in (Petition.objects.all(), permissions.visible_petitions(front_user)):
        figures = petition_figures(petitions, on=today)
        plain = {
            "received": petitions.filter(status=Petition.Status.RECEIVED).count(),
            "to_assign": petitions.filter(status__in=Petition.ASSIGNABLE_STATUSES).count(),
            "returned": petitions.filter(status=Petition.Status.RETURNED).count(),
            "assigned": petitions.filter(status=Petition.Status.ASSIGNED).count(),
            "answered": petitions.filter(status=Petition.Status.ANSWERED).count(),
            "overdue": sum(
                1 for p in petitions if p.status == Petition.Status.ASSIGNED and p.deadline < today
            ),
            "extensions": petitions.filter(Petition.pending_extension_condition()).count(),
            "letters_overdue": sum(
                1
                for p in petitions
                if p.acknowledged_on is None
                and p.acknowledgement_due is not None
                and p.acknowledgement_due < today
            ),
            "open": petitions.filter(status__in=Petition.OPEN_STATUSES).count(),
            "closed": petitions.filter(status=Petition.Status.CLOSED).count(),
        }
        assert figures == plain
    assert petition_figures(Petition.objects.all(), on=today)["overdue"] > 0


def test_the_overdue_by_unit_rows_are_a_plain_grouping(commune):
    today = timezone.localdate()
    plain = Counter(
        p.lead_department_id
        for p in Petition.objects.all()
        if p.status == Petition.Status.ASSIGNED and p.deadline < today
    )
    rows = overdue_by_lead_unit(on=today)
    assert {row["lead_department_id"]: row["count"] for row in rows} == dict(plain)
    assert [row["count"] for row in rows] == sorted(plain.values(), reverse=True)
    assert plain


def test_the_inbox_figures_are_the_plain_counts(commune):
    reader = DeadlineReader()
    since = timezone.now() - timedelta(days=30)
    for unit in commune:
        mine = Assignment.objects.filter(
            Q(department=unit) | Q(supporting_departments=unit)
        ).distinct()
        plain = {
            "open": mine.filter(status=Assignment.Status.OPEN).count(),
            "overdue": mine.filter(status=Assignment.Status.OPEN, deadline__lt=reader.on).count(),
            "due_soon": mine.filter(
                status=Assignment.Status.OPEN, deadline__gte=reader.on, deadline__lte=reader.soon
            ).count(),
            "answered": mine.filter(done_at__gte=since).count(),
        }
        assert inbox_figures([unit.pk], on=reader.on, soon=reader.soon) == plain
        assert plain["open"]


# --- The search keys (PostgreSQL): the words, the filters and the visibility at once ----


def plain_filtered(params: dict) -> set[str]:
    """The codes of the petitions the list's filters keep, by a look at every petition."""

    def kept(p: Petition) -> bool:
        for name, value in params.items():
            if name == "status":
                statuses = {
                    "open": Petition.OPEN_STATUSES,
                    "to_assign": Petition.ASSIGNABLE_STATUSES,
                }.get(value, [value])
                if p.status not in statuses:
                    return False
            elif name == "department":
                supports = any(
                    value in a.supporting_departments.values_list("pk", flat=True)
                    for a in p.assignments.all()
                )
                if p.lead_department_id != value and not supports:
                    return False
            elif (
                (name == "lead" and p.lead_department_id != value)
                or (name in ("topic", "residential_unit") and getattr(p, f"{name}_id") != value)
                or (name in ("urgency", "channel") and getattr(p, name) != value)
            ):
                return False
        return True

    return {p.code for p in Petition.objects.all() if kept(p)}


def keys_answered(run) -> bool:
    with CaptureQueriesContext(connection) as captured:
        run()
    # The count or the page read from the keys (not their size, nor their statistics).
    return any(
        'FROM "petitions_searchkeys"' in query["sql"] and not query["sql"].startswith("EXPLAIN")
        for query in captured
    )


@pytest.fixture
def organisation(staff, commune):
    """A Front organisation that submitted petitions, one with a hidden petitioner, one
    assigned to a unit; and its member."""
    unit = Department.objects.create(name="Hội Phụ nữ xã", kind=Department.Kind.FRONT)
    member = UserFactory(username="hoi_phu_nu", roles=[Role.FRONT], departments=[unit])
    received(
        staff,
        summary="Đất ở bị sạt lở",
        petitioner_name="Phan Thị Đào",
        hide_identity=True,
        submitted_by_department=unit,
    )
    petition = classified(
        staff,
        summary="Nước giếng nhiễm phèn",
        submitted_by_department=unit,
        petitioner_name="Võ Văn Đức",
    )
    services.petition_assign(petition=petition, actor=staff, department=commune[0])
    return member


@pytest.mark.parametrize(
    "query", ["dat", "dat dai", "duong xom", "nuoc", "lai", "nguyen dat", "dao", "hoang sy"]
)
def test_a_search_with_any_filter_finds_what_a_scan_finds(
    commune, organisation, staff, office, dept_user, query
):
    department, other = commune
    topic = Petition.objects.exclude(topic=None).values_list("topic", flat=True)[0]
    filters = [
        {},
        {"status": "assigned"},
        {"status": "open"},
        {"status": "to_assign"},
        {"department": department.pk},
        {"department": other.pk, "status": "assigned"},
        {"lead": other.pk},
        {"topic": topic, "urgency": "normal"},
        {"channel": "front"},
    ]
    for user in (staff, office, dept_user, organisation):
        for params in filters:
            run = list_search(user, query, params)
            expected = plain_search(user, query) & plain_filtered(params)
            assert set(run().values_list("code", flat=True)) == expected, (user, params)
            if connection.vendor == "postgresql":
                assert keys_answered(run), (user, params)
    # Not vacuous: the Front's hidden petitioner is found by name by its organisation only.
    assert plain_search(organisation, "dao") and not plain_search(dept_user, "dao")
    assert plain_search(office, "dat") != plain_search(staff, "dat")


def test_a_filter_without_keys_still_finds_what_a_scan_finds(commune, staff):
    """A deadline is no key: the petitions are searched (and tested on their deadline)."""
    today = timezone.localdate()
    overdue = set(Petition.objects.overdue(on=today).values_list("code", flat=True))

    def run():
        return filter_petitions(
            Petition.objects.all(), {"q": "dat", "due": "overdue"}, staff, today
        )

    assert set(run().values_list("code", flat=True)) == plain_search(staff, "dat") & overdue
    assert not keys_answered(run)


@pytest.mark.parametrize(
    "status, sort", [("open", ""), ("assigned", ""), ("assigned", "received_asc")]
)
def test_more_matches_than_the_cap_are_paged_by_date(
    commune, staff, client, monkeypatch, status, sort
):
    """Above the cap the count says "more than" and the list's pages are sorted by date
    (on PostgreSQL among the keys; one status by walking its keys), the same rows in the
    same order as a sort of them all; what the export reads is every match."""
    monkeypatch.setattr(search_module, "SEARCH_CAP", 3)
    monkeypatch.setattr("petitions.views.listing.PER_PAGE", 4)
    params = {"q": "dat", "status": status, "sort": sort}
    codes = plain_search(staff, "dat") & plain_filtered({"status": status})
    expected = sorted(
        (p for p in Petition.objects.all() if p.code in codes),
        key=lambda p: (p.received_on, p.pk),
        reverse=not sort,
    )
    assert len(expected) > 4
    client.force_login(staff)
    shown = []
    for number in range(1, len(expected) // 4 + 2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("petitions:list"), {**params, "page": number})
        page = response.context["page"]
        assert page.count is None
        shown += [p.code for p in page.rows]
        if connection.vendor == "postgresql":
            walked = any("ts_match_vq" in query["sql"] for query in captured)
            assert walked == (status == "assigned")  # one status: its keys walked
    assert shown == [p.code for p in expected]
    form = PetitionFilterForm(params, user=staff, today=timezone.localdate())
    assert set(form.filter(Petition.objects.all()).values_list("code", flat=True)) == codes


def test_dense_matches_walk_the_petitions_and_sparse_ones_intersect_the_keys():
    """The keys' statistics against the planner's estimate of the matches, with the shares
    and the costs measured among a million petitions (bench/results/README.md)."""
    statistics = search_keys.KeyStatistics(
        {
            "dat": 0.11,
            "san": 0.43,
            "xuat": 0.35,
            "status:closed": 0.55,
            "status:assigned": 0.22,
            "unit:lead:5": 0.29,
        },
        0.009,
    )
    million = 1_000_000

    def keys(terms, groups, planned):
        search = search_keys.Search(terms, groups, None)
        return search_keys.cheaper_than_walking(search, planned, million, 1000, statistics)

    # "san xuat" with the closed half: the walk meets 1,001 matches in 12,000 rows.
    assert not keys(["san", "xuat"], [["status:closed"]], 82_000)
    # "dat" with the assigned fifth: 24,000 matches, a walk of 41,000 rows.
    assert keys(["dat"], [["status:assigned"]], 24_000)
    # "dat" alone: a walk of 9,000 rows beats 120,000 index entries.
    assert not keys(["dat"], [], 110_000)
    # A unit's petitions, a rare word: the word's few entries.
    assert keys(["karaoke"], [["unit:lead:5", "unit:supporting:5"]], 15)


@pytest.mark.postgres
def test_a_search_the_walk_answers_finds_what_a_scan_finds(commune, staff, monkeypatch):
    """Dense by the statistics: the petition table's way, the same matches."""
    monkeypatch.setattr(search_module, "table_estimate", lambda queryset: (600_000, 1_000_000))
    for user, query in ((staff, "dat"), (staff, "duong xom")):
        run = list_search(user, query, {"status": "assigned"})
        assert not keys_answered(run)
        expected = plain_search(user, query) & plain_filtered({"status": "assigned"})
        assert set(run().values_list("code", flat=True)) == expected

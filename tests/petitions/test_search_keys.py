"""The petitions' search keys (PostgreSQL): the triggers keep them with every change, the
nightly check repairs them, and what they hold is what the search asks of them.

What a search by the keys finds is compared with a scan of every row in
tests/petitions/test_fast_paths.py.
"""

import pytest
from django.db import connection

from doluong_dialogue import tallies
from petitions import search_keys, services
from petitions.models import Petition, PetitionUnit, SearchKeys, Topic
from tests.factories import DepartmentFactory, UserFactory
from tests.petitions.helpers import classified, received

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def stored_keys(petition: Petition) -> set[str]:
    keys = SearchKeys.objects.get(pk=petition.pk)
    assert keys.status == Petition.objects.get(pk=petition.pk).status
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(keys) FROM petitions_searchkeys WHERE petition_id = %s",
            [petition.pk],
        )
        return set(cursor.fetchone()[0])


def fresh_keys(petition: Petition) -> set[str]:
    """What the keys should be, written out here from the petition and its rows."""
    petition = Petition.objects.get(pk=petition.pk)

    def beginnings(column: str, mark: str = "") -> set[str]:
        # The words as PostgreSQL's parser reads them ("KN-2026-000123": "kn", "-2026", …).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tsvector_to_array(to_tsvector('simple', %s))", [getattr(petition, column)]
            )
            words = cursor.fetchone()[0]
        return {mark + word[:n] for word in words for n in range(1, len(word) + 1)}

    state = {
        "status": petition.status,
        "topic": petition.topic_id,
        "lead": petition.lead_department_id,
        "hamlet": petition.residential_unit_id,
        "urgency": petition.urgency,
        "channel": petition.channel,
        "creator": petition.created_by_id,
        "submitted": petition.submitted_by_department_id,
    }
    units = PetitionUnit.objects.filter(petition=petition).values_list("role", "department_id")
    return (
        beginnings("search_text")
        | beginnings("search_person", "h:" if petition.hide_identity else "p:")
        | {f"{name}:{value}" for name, value in state.items() if value not in (None, "")}
        | {f"unit:{role}:{unit}" for role, unit in units}
    )


def test_the_keys_follow_a_petition_through_its_steps(staff, department, other_department):
    organisation = DepartmentFactory(name="Hội Nông dân xã")
    petition = received(
        staff,
        summary="Tranh chấp đất đai",
        petitioner_name="Nguyễn Văn Đạt",
        hide_identity=True,
        submitted_by_department=organisation,
    )
    keys = stored_keys(petition)
    assert keys == fresh_keys(petition)
    # The withheld petitioner's words are marked apart, never as a shown one's.
    assert {"tranh", "tra", "dat", "h:nguyen", "h:d", "status:received"} <= keys
    assert not {key for key in keys if key.startswith("p:")}
    assert f"unit:submitted:{organisation.pk}" in keys

    topic = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    petition = services.petition_classify(
        petition=petition, actor=staff, topic=topic, urgency=Petition.Urgency.PRESSING
    )
    assert {f"topic:{topic.pk}", "urgency:pressing", "status:classified"} <= stored_keys(petition)

    assignment = services.petition_assign(
        petition=petition, actor=staff, department=department, supporting=[other_department]
    )
    keys = stored_keys(petition)
    assert keys == fresh_keys(petition)
    assert {
        "status:assigned",
        f"lead:{department.pk}",
        f"unit:lead:{department.pk}",
        f"unit:supporting:{other_department.pk}",
    } <= keys

    member = UserFactory(departments=[department])
    services.assignment_decline(assignment=assignment, actor=member, reason="Không thuộc")
    assert stored_keys(petition) == fresh_keys(petition)
    assert "status:returned" in stored_keys(petition)

    petition = services.petition_update(
        petition=Petition.objects.get(pk=petition.pk),
        actor=staff,
        summary="Nước sạch",
        hide_identity=False,
    )
    keys = stored_keys(petition)
    assert keys == fresh_keys(petition)
    assert "nuoc" in keys and "tranh" not in keys
    # Shown now: the petitioner's words are a shown one's.
    assert "p:nguyen" in keys and not {key for key in keys if key.startswith("h:")}

    pk = petition.pk
    Petition.objects.get(pk=pk).delete()
    assert not SearchKeys.objects.filter(pk=pk).exists()


def test_the_nightly_check_repairs_the_keys(staff, department):
    kept, changed, lost = (classified(staff) for _ in range(3))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE petitions_searchkeys SET keys = to_tsvector('simple', 'sai'), "
            "status = 'closed' WHERE petition_id = %s",
            [changed.pk],
        )
        cursor.execute("DELETE FROM petitions_searchkeys WHERE petition_id = %s", [lost.pk])
        cursor.execute(
            "INSERT INTO petitions_searchkeys (petition_id, received_on, status, keys) "
            "VALUES (%s, '2026-01-01', 'received', ''::tsvector)",
            [lost.pk + 1000],
        )
    assert tallies.repair_copies(quiet=True) == 3  # the recount_tallies command runs it
    for petition in (kept, changed, lost):
        assert stored_keys(petition) == fresh_keys(petition)
    assert SearchKeys.objects.count() == Petition.objects.count()
    assert search_keys.repair() == 0


@pytest.mark.django_db(transaction=True)  # its workers have connections of their own
@pytest.mark.parametrize("workers", [1, 2])
def test_a_rebuild_writes_the_keys_of_every_petition(reference_data, staff, department, workers):
    petitions = [classified(staff, summary=f"Kiến nghị số {n}") for n in range(3)]
    SearchKeys.objects.all().delete()
    search_keys.rebuild(workers=workers)
    assert SearchKeys.objects.count() == 3
    for petition in petitions:
        assert stored_keys(petition) == fresh_keys(petition)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'petitions_searchkeys'")
        indexes = {name for (name,) in cursor.fetchall()}
    assert {search_keys.FULL_TEXT_INDEX, "search_keys_received_idx"} <= indexes


def test_a_search_is_one_tsquery_of_words_filters_and_visibility():
    query = search_keys.tsquery(
        ["dat", "dai"], [["status:closed"], ["lead:3", "unit:supporting:3"]], ["creator:5"]
    )
    assert query == (
        "( ( 'dat' & 'dai' ) | ( 'p:dat' & 'p:dai' ) | ( 'h:dat' & 'h:dai' & ( 'creator:5' ) ) )"
        " & ( 'status:closed' ) & ( 'lead:3' | 'unit:supporting:3' )"
    )
    # Whoever sees every petitioner finds a withheld one's words as a shown one's.
    assert search_keys.tsquery(["dat"], [], None) == "( ( 'dat' ) | ( 'p:dat' ) | ( 'h:dat' ) )"
    # Whoever is shown no withheld one is not asked for their words.
    assert search_keys.tsquery(["dat"], [], []) == "( ( 'dat' ) | ( 'p:dat' ) )"
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsquery::text", [query])  # PostgreSQL reads it
        assert "dat" in cursor.fetchone()[0]

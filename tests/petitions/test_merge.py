import pytest

from petitions import services
from petitions.models import Assignment, Petition
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db


def test_merging_closes_the_duplicate_and_adds_up_the_people(staff):
    primary = classified(staff, is_group=True, people_count=12)
    duplicate = received(staff, is_group=True, people_count=5)
    services.petition_merge(duplicate=duplicate, primary=primary, actor=staff)
    primary.refresh_from_db()
    duplicate.refresh_from_db()
    assert primary.total_people == 17
    assert (duplicate.status, duplicate.outcome, duplicate.duplicate_of) == (
        Petition.Status.CLOSED,
        Petition.Outcome.DUPLICATE,
        primary,
    )
    assert primary.events.latest("id").kind == "duplicate_added"


def test_duplicates_of_a_merged_petition_follow_it_to_the_primary(staff):
    primary, middle, leaf = received(staff), received(staff), received(staff)
    services.petition_merge(duplicate=leaf, primary=middle, actor=staff)
    services.petition_merge(duplicate=middle, primary=primary, actor=staff)
    assert set(primary.duplicates.all()) == {middle, leaf}
    primary.refresh_from_db()
    assert primary.total_people == 3


def test_a_duplicate_cannot_be_a_primary(staff):
    primary, duplicate, other = received(staff), received(staff), received(staff)
    services.petition_merge(duplicate=duplicate, primary=primary, actor=staff)
    with pytest.raises(services.InvalidTransition, match="gộp vào kiến nghị chính"):
        services.petition_merge(duplicate=other, primary=duplicate, actor=staff)


def test_merging_cancels_the_duplicates_assignment(staff, department):
    primary = classified(staff)
    duplicate, assignment = assigned(staff, department)
    services.petition_merge(duplicate=duplicate, primary=primary, actor=staff)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANCELLED


def test_reopening_a_duplicate_takes_its_people_back_from_the_primary(staff):
    primary = received(staff, is_group=True, people_count=10)
    duplicate = received(staff, is_group=True, people_count=4)
    services.petition_merge(duplicate=duplicate, primary=primary, actor=staff)
    services.petition_reopen(petition=duplicate, actor=staff, reason="Không trùng")
    primary.refresh_from_db()
    duplicate.refresh_from_db()
    assert primary.total_people == 10
    assert duplicate.duplicate_of is None
    assert duplicate.is_open


def test_a_petition_cannot_be_merged_into_itself(staff):
    petition = received(staff)
    with pytest.raises(services.InvalidTransition, match="chính nó"):
        services.petition_merge(duplicate=petition, primary=petition, actor=staff)

import pytest
from django.contrib.auth.models import AnonymousUser

from petitions.permissions import (
    Access,
    Role,
    can_read_everything,
    department_ids,
    has_role,
    is_staff_member,
    roles_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_have_no_role():
    assert roles_of(AnonymousUser()) == frozenset()
    assert not can_read_everything(AnonymousUser())


def test_a_user_may_hold_several_roles(department):
    user = UserFactory(roles=[Role.INSPECTION, Role.DEPARTMENT], departments=[department])
    assert roles_of(user) == {Role.INSPECTION, Role.DEPARTMENT}
    assert can_read_everything(user)
    assert not is_staff_member(user)
    assert department_ids(user) == {department.pk}


def test_secretary_and_inspection_read_everything_but_are_not_staff(secretary, inspector):
    for user in (secretary, inspector):
        assert can_read_everything(user)
        assert not is_staff_member(user)


def test_only_party_building_and_the_office_are_staff(staff, office, dept_user, front_user):
    assert is_staff_member(staff)
    assert is_staff_member(office)
    assert not is_staff_member(dept_user)
    assert not is_staff_member(front_user)


def test_membership_not_role_makes_a_user_answer_for_a_unit(department):
    front_member = UserFactory(roles=[Role.FRONT], departments=[department])
    office_member = UserFactory(roles=[Role.PARTY_OFFICE], departments=[department])
    member_without_role = UserFactory(departments=[department])
    for user in (front_member, office_member, member_without_role):
        assert department_ids(user) == {department.pk}


def test_a_user_in_no_unit_answers_for_none(staff, secretary):
    assert department_ids(staff) == frozenset()
    assert department_ids(secretary) == frozenset()


def test_an_inactive_department_is_not_the_users_any_more(dept_user, department):
    department.is_active = False
    department.save()
    assert department_ids(dept_user) == frozenset()


def test_an_inactive_account_has_no_role(staff):
    staff.is_active = False
    assert roles_of(staff) == frozenset()


def test_roles_are_read_once_per_user_object(staff, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            has_role(staff, Role.PARTY_BUILDING)
            is_staff_member(staff)


def test_access_labels_roles_in_vietnamese(staff):
    assert Access(staff).role_labels == ["Ban Xây dựng Đảng"]

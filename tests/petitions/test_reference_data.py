import pytest
from django.contrib.auth.models import Group

from petitions.models import Department, Topic
from petitions.permissions import Role

pytestmark = pytest.mark.django_db


def test_the_six_roles_exist_as_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_topics_follow_section_ii_3_of_the_plan():
    groups = {group: list(Topic.objects.filter(group=group)) for group in Topic.Group.values}
    assert {group: len(topics) for group, topics in groups.items()} == {
        "economy": 4,
        "culture_society": 4,
        "security_defence": 2,
        "political_system": 2,
    }
    assert Topic.objects.filter(name__contains="đất đai").exists()


def test_the_commune_departments_are_loaded():
    names = set(Department.objects.values_list("name", flat=True))
    assert {"Phòng Kinh tế", "Phòng Văn hóa - Xã hội", "Công an xã", "Hội Cựu chiến binh"} <= names
    assert len(names) == 14


def test_party_building_may_edit_reference_data_and_a_department_may_not():
    party_building = Group.objects.get(name=Role.PARTY_BUILDING)
    department = Group.objects.get(name=Role.DEPARTMENT)
    assert party_building.permissions.filter(codename="change_topic").exists()
    assert party_building.permissions.filter(codename="add_calendarexception").exists()
    assert not department.permissions.filter(codename="change_topic").exists()

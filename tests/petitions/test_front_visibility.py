"""What a Front user sees: what their organisations submitted, what they entered, what their
units are assigned. It is read from the petition-unit table, where the submitting
organisation has a row of its own (issue 11); these tests hold it to the rule as written
over the petition's own columns and the assignments."""

import importlib

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from doluong_dialogue.paging import capped_sums
from petitions import permissions, services
from petitions.models import Department, Petition, PetitionUnit
from petitions.permissions import Role
from petitions.search import filter_petitions
from tests.factories import UserFactory
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db


def plainly_visible(user) -> set[int]:
    """The rule without the petition-unit table: assigned to the user's units (leading or
    supporting, in any assignment); for the Front, also entered by the user or submitted by
    one of their organisations."""
    if permissions.can_read_everything(user):
        return set(Petition.objects.values_list("pk", flat=True))
    units = permissions.department_ids(user)
    condition = Q(assignments__department__in=units) | Q(
        assignments__supporting_departments__in=units
    )
    if permissions.has_role(user, Role.FRONT):
        condition |= Q(created_by=user) | Q(submitted_by_department__in=units)
    return set(Petition.objects.filter(condition).values_list("pk", flat=True))


def visible(user) -> set[int]:
    return set(permissions.visible_petitions(user).values_list("pk", flat=True))


def submitted_rows() -> set[tuple[int, int]]:
    rows = PetitionUnit.objects.filter(role=PetitionUnit.Role.SUBMITTED)
    return set(rows.values_list("petition_id", "department_id"))


def submitted_by_column() -> set[tuple[int, int]]:
    petitions = Petition.objects.filter(submitted_by_department__isnull=False)
    return set(petitions.values_list("pk", "submitted_by_department_id"))


def organisation(name: str) -> Department:
    return Department.objects.get(name=name)


@pytest.fixture
def front_org():
    return organisation("Ủy ban MTTQ Việt Nam xã")


@pytest.fixture
def farmers():
    return organisation("Hội Nông dân")


@pytest.fixture
def women():
    return organisation("Hội Liên hiệp Phụ nữ")


@pytest.fixture
def people(db, front_org, farmers, dept_user, other_dept_user, staff, office, front_user):
    left = UserFactory(username="mttq_left", roles=[Role.FRONT], departments=[front_org])
    return {
        "member": UserFactory(username="mttq_member", roles=[Role.FRONT], departments=[front_org]),
        "two organisations": UserFactory(
            username="mttq_hnd", roles=[Role.FRONT], departments=[front_org, farmers]
        ),
        "left": left,
        "enters for the organisation": UserFactory(
            username="mttq_intake", roles=[Role.FRONT], departments=[front_org]
        ),
        # A member of the organisation who is not Front staff: what it is assigned only.
        "clerk": UserFactory(
            username="mttq_clerk", roles=[Role.DEPARTMENT], departments=[front_org]
        ),
        "department": dept_user,
        "other department": other_dept_user,
        "staff": staff,
        "office": office,
        "front, no organisation": front_user,
    }


@pytest.fixture
def petitions(people, staff, front_org, farmers, women, department, other_department):
    left = people["left"]
    made = {
        "submitted": received(staff, submitted_by_department=front_org),
        "farmers'": received(staff, submitted_by_department=farmers),
        "entered, submitted": received(left, submitted_by_department=front_org),
        "entered": received(left),
        "entered by the member": received(people["member"]),
        "entered for the organisation": received(
            people["enters for the organisation"], submitted_by_department=front_org
        ),
        "led": assigned(staff, front_org)[0],
        "led elsewhere": assigned(staff, other_department)[0],
        "submitted, led elsewhere": assigned(staff, department, submitted_by_department=front_org)[
            0
        ],
        "moved away": received(staff, submitted_by_department=front_org),
        "moved here": received(staff, submitted_by_department=women),
        "no longer submitted": received(staff, submitted_by_department=front_org),
    }
    supported = classified(staff, submitted_by_department=women)
    services.petition_assign(
        petition=supported, actor=staff, department=department, supporting=[front_org]
    )
    made["supported"] = supported
    services.petition_update(
        petition=made["moved away"], actor=staff, submitted_by_department=women
    )
    services.petition_update(
        petition=made["moved here"], actor=staff, submitted_by_department=front_org
    )
    services.petition_update(
        petition=made["no longer submitted"], actor=staff, submitted_by_department=None
    )
    front_org.members.remove(left)
    return made


def names(petitions, pks) -> set[str]:
    return {name for name, petition in petitions.items() if petition.pk in pks}


def test_every_user_sees_what_the_rule_says(people, petitions):
    for who, user in people.items():
        assert visible(user) == plainly_visible(user), who


def test_the_front_sees_what_its_organisation_submitted_entered_or_was_assigned(people, petitions):
    assert names(petitions, visible(people["member"])) == {
        "submitted",
        "entered, submitted",
        "entered by the member",
        "entered for the organisation",
        "led",
        "submitted, led elsewhere",
        "moved here",
        "supported",
    }
    # A member who left still sees what they entered, and no more.
    assert names(petitions, visible(people["left"])) == {"entered, submitted", "entered"}
    assert names(petitions, visible(people["two organisations"])) >= {"farmers'", "submitted"}


def test_or_entered_by_them_is_asked_only_of_who_entered_for_no_organisation_of_theirs(
    people, petitions
):
    # Only they need the OR that makes the database read all the organisation's petitions.
    assert permissions.entered_elsewhere(people["member"])
    assert not permissions.entered_elsewhere(people["enters for the organisation"])
    assert not permissions.entered_elsewhere(people["two organisations"])
    assert "entered for the organisation" in names(
        petitions, visible(people["enters for the organisation"])
    )


def test_a_member_of_the_organisation_without_the_front_role_sees_only_its_assignments(
    people, petitions
):
    assert names(petitions, visible(people["clerk"])) == {"led", "supported"}


def test_the_submitted_row_follows_the_petition(petitions):
    assert submitted_rows() == submitted_by_column()


def test_the_rows_of_an_organisation_are_not_taken_for_assignments(petitions, staff, front_org):
    listed = filter_petitions(Petition.objects.all(), {"department": front_org.pk}, staff, None)
    assert names(petitions, set(listed.values_list("pk", flat=True))) == {"led", "supported"}


def test_identity_still_follows_the_submitting_organisation(people, staff, farmers, front_org):
    hidden, _assignment = assigned(
        staff, front_org, submitted_by_department=farmers, hide_identity=True
    )
    member, both = people["member"], people["two organisations"]
    assert hidden.pk in visible(member)
    assert not permissions.can_see_identity(member, hidden)
    assert permissions.can_see_identity(both, hidden)
    for user, sees in ((member, False), (both, True)):
        shown = Petition.objects.filter(permissions.identity_visible_filter(user), pk=hidden.pk)
        assert shown.exists() is sees


def test_the_parts_counted_make_up_the_visible_petitions(people, petitions):
    for who, user in people.items():
        parts = [set(part.values_list("pk", flat=True)) for part in
                 permissions.visible_petition_parts(user)]  # fmt: skip
        assert set().union(*parts) == visible(user), who
        assert sum(len(part) for part in parts) == len(visible(user)), who  # no overlap
        figures = capped_sums({"all": permissions.visible_petition_parts(user)})
        assert figures == {"all": len(visible(user))}, who


def test_the_front_home_figures_and_list_count_say_what_the_list_shows(
    client, people, petitions, front_org
):
    member = people["member"]
    client.force_login(member)
    mine = permissions.visible_petitions(member)
    home = client.get(reverse("home"))
    assert home.context["front_counts"] == {
        "open": mine.open().count(),
        "closed": mine.closed().count(),
    }
    for status, figure in (("open", "open"), ("closed", "closed")):
        listed = client.get(reverse("petitions:list"), {"status": status})
        assert listed.context["page"].count == home.context["front_counts"][figure]
    # The unfiltered list is counted in parts; a second page asks for the count.
    listed = client.get(reverse("petitions:list"), {"page": 2})
    assert listed.context["page"].count == len(plainly_visible(member))


def test_a_figure_in_parts_is_exact_up_to_the_cap(petitions):
    submitted = Petition.objects.filter(submitted_by_department__isnull=False)
    others = Petition.objects.filter(submitted_by_department__isnull=True)
    total = Petition.objects.count()
    assert capped_sums({"all": [submitted, others]}, cap=total) == {"all": total}
    # Each part within the cap, their sum above it: more than the cap.
    assert capped_sums({"all": [submitted, others]}, cap=total - 1) == {"all": None}


def test_the_backfill_writes_a_row_for_every_submitted_petition(petitions):
    PetitionUnit.objects.filter(role=PetitionUnit.Role.SUBMITTED).delete()
    migration = importlib.import_module(
        "petitions.migrations.0023_petition_unit_roles_and_submitted_rows"
    )

    class Editor:
        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.fill_submitted(None, Editor())
    assert submitted_rows() == submitted_by_column()
    assert len(submitted_rows()) == 8

"""Membership in a unit is what makes a user answer for it, whatever roles the user holds."""

import pytest
from django.urls import reverse

from petitions import services
from petitions.models import Assignment, Department
from petitions.permissions import Role
from tests.factories import UserFactory
from tests.petitions.helpers import classified

pytestmark = pytest.mark.django_db


def unit(name: str) -> Department:
    return Department.objects.get(name=name)


def test_a_unit_without_an_active_member_cannot_lead(staff):
    petition = classified(staff)
    memberless = unit("Ban Chỉ huy Quân sự xã")
    UserFactory(username="nghi-huu", departments=[memberless], is_active=False)
    with pytest.raises(services.InvalidTransition, match="chưa có thành viên") as refusal:
        services.petition_assign(petition=petition, actor=staff, department=memberless)
    assert refusal.value.field == "department"
    assert not Assignment.objects.exists()


def test_the_assign_page_marks_units_without_members_and_says_why_one_is_refused(client, staff):
    petition = classified(staff)
    client.force_login(staff)
    url = reverse("petitions:assign", args=[petition.pk])
    page = client.get(url).content.decode()
    memberless = unit("Hội Cựu chiến binh")
    assert (
        f'<option value="{memberless.pk}" disabled>Hội Cựu chiến binh (chưa có thành viên)' in page
    )
    response = client.post(url, {"department": memberless.pk, "instructions": "Đã gõ"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "chưa có thành viên nào để trả lời" in form.errors["department"][0]
    assert "Đã gõ" in response.content.decode()


@pytest.mark.parametrize(
    ("unit_name", "role"),
    [
        ("Văn phòng Đảng ủy", Role.PARTY_OFFICE),
        ("Ủy ban MTTQ Việt Nam xã", Role.FRONT),
        ("Ban Xây dựng Đảng", Role.PARTY_BUILDING),
        ("Hội Nông dân", Role.FRONT),
    ],
)
def test_a_member_answers_for_the_unit_whatever_the_role(client, staff, unit_name, role):
    member = UserFactory(username=f"member-{role}", roles=[role], departments=[unit(unit_name)])
    petition = classified(staff)
    assignment = services.petition_assign(
        petition=petition, actor=staff, department=unit(unit_name)
    )
    client.force_login(member)
    inbox = client.get(reverse("petitions:inbox"))
    assert [row.assignment for row in inbox.context["rows"]] == [assignment]
    response = client.post(
        reverse("petitions:assignment_answer", args=[assignment.pk]),
        {"text": "Đơn vị đã kiểm tra và trả lời người kiến nghị."},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.ANSWERED


def test_a_supporting_units_member_sees_it_but_only_the_lead_answers(client, staff, department):
    supporter = UserFactory(
        username="phunu", roles=[Role.FRONT], departments=[unit("Hội Liên hiệp Phụ nữ")]
    )
    petition = classified(staff)
    assignment = services.petition_assign(
        petition=petition,
        actor=staff,
        department=department,
        supporting=[unit("Hội Liên hiệp Phụ nữ")],
    )
    client.force_login(supporter)
    assert client.get(reverse("petitions:assignment", args=[assignment.pk])).status_code == 200
    response = client.post(
        reverse("petitions:assignment_answer", args=[assignment.pk]), {"text": "Trả lời"}
    )
    assert response.status_code == 403


def test_the_home_figure_and_the_inbox_count_supporting_work_alike(client, staff, department):
    supporter = UserFactory(username="ccb", departments=[unit("Hội Liên hiệp Phụ nữ")])
    petition = classified(staff)
    services.petition_assign(
        petition=petition,
        actor=staff,
        department=department,
        supporting=[unit("Hội Liên hiệp Phụ nữ")],
    )
    client.force_login(supporter)
    assert client.get("/").context["inbox_counts"]["open"] == 1
    assert client.get(reverse("petitions:inbox")).context["page"].count == 1


def test_the_assignment_email_goes_to_the_units_members(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    office = unit("Văn phòng Đảng ủy")
    member = UserFactory(username="vp", roles=[Role.PARTY_OFFICE], departments=[office])
    with django_capture_on_commit_callbacks(execute=True):
        services.petition_assign(petition=classified(staff), actor=staff, department=office)
    assert [message.to for message in mailoutbox] == [[member.email]]

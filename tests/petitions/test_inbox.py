from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Assignment, Petition, Topic
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("petitions:inbox")


def assign(staff, department, supporting=(), deadline_in_days=None, **fields) -> Assignment:
    petition = PetitionFactory(created_by=staff, **fields)
    services.petition_classify(
        petition=petition, actor=staff, topic=Topic.objects.first(), urgency="normal"
    )
    assignment = services.petition_assign(
        petition=petition, actor=staff, department=department, supporting=supporting
    )
    if deadline_in_days is not None:
        deadline = timezone.localdate() + timedelta(days=deadline_in_days)
        Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)
        Petition.objects.filter(pk=petition.pk).update(deadline=deadline)
        assignment.refresh_from_db()
    return assignment


def shown(response) -> list[str]:
    return [row.assignment.petition.code for row in response.context["rows"]]


@pytest.fixture
def dept_client(client, dept_user):
    client.force_login(dept_user)
    return client


def test_inbox_lists_the_departments_open_assignments_nearest_deadline_first(
    dept_client, staff, department, other_department
):
    later = assign(staff, department, deadline_in_days=20)
    sooner = assign(staff, department, deadline_in_days=5)
    supporting = assign(staff, other_department, supporting=[department], deadline_in_days=10)
    theirs = assign(staff, other_department, deadline_in_days=1)
    response = dept_client.get(INBOX)
    assert shown(response) == [
        sooner.petition.code,
        supporting.petition.code,
        later.petition.code,
    ]
    assert theirs.petition.code not in shown(response)
    roles = {row.assignment.petition.code: row.lead for row in response.context["rows"]}
    assert roles == {
        sooner.petition.code: True,
        supporting.petition.code: False,
        later.petition.code: True,
    }
    html = response.content.decode()
    assert reverse("petitions:assignment", args=[sooner.pk]) in html
    assert "Chủ trì" in html
    assert "Phối hợp" in html


def test_inbox_marks_overdue_due_soon_and_pending_extension(
    dept_client, dept_user, staff, department, clock
):
    clock.set(date(2026, 12, 4))  # a Friday
    dept_client.force_login(dept_user)
    late = assign(staff, department, deadline_in_days=-4)  # Monday: 4 working days ago
    today = assign(staff, department, deadline_in_days=0)
    soon = assign(staff, department, deadline_in_days=3)  # Monday next, 1 working day away
    extended = assign(staff, department, deadline_in_days=30)
    services.extension_request(
        assignment=extended,
        actor=dept_user,
        new_deadline=extended.deadline + timedelta(days=10),
        reason="Chờ đo đạc lại thửa đất",
    )
    response = dept_client.get(INBOX)
    rows = {row.assignment.pk: row for row in response.context["rows"]}
    assert rows[late.pk].deadline.overdue_days == 4
    assert rows[today.pk].deadline.due_today
    assert rows[soon.pk].deadline.due_soon
    assert not rows[extended.pk].deadline.due_soon
    assert rows[extended.pk].assignment.extension_pending
    assert not rows[late.pk].assignment.extension_pending
    html = response.content.decode()
    assert "Quá hạn 4 ngày làm việc" in html
    assert "Đến hạn hôm nay" in html
    assert "Sắp đến hạn" in html
    assert "Đề nghị gia hạn" in html


def test_overdue_days_are_working_days_not_calendar_days(
    dept_client, dept_user, staff, department, clock
):
    clock.set(date(2026, 12, 7))  # a Monday
    dept_client.force_login(dept_user)
    late = assign(staff, department, deadline_in_days=-3)  # Friday: one working day ago
    response = dept_client.get(INBOX)
    assert response.context["rows"][0].deadline.overdue_days == 1
    assert "Quá hạn 1 ngày làm việc" in response.content.decode()
    assert late.petition.code in shown(response)


def test_the_overdue_and_due_soon_filters_list_what_the_home_page_counts(
    dept_client, dept_user, staff, department, other_department, clock
):
    clock.set(date(2026, 12, 4))
    dept_client.force_login(dept_user)
    late = assign(staff, department, deadline_in_days=-1)
    supporting_late = assign(staff, other_department, supporting=[department], deadline_in_days=-2)
    soon = assign(staff, department, deadline_in_days=3)
    assign(staff, department, deadline_in_days=20)
    response = dept_client.get(INBOX, {"due": "overdue"})
    assert set(shown(response)) == {late.petition.code, supporting_late.petition.code}
    assert response.context["counts"]["overdue"] == 2
    response = dept_client.get(INBOX, {"due": "due_soon"})
    assert shown(response) == [soon.petition.code]
    assert response.context["counts"]["due_soon"] == 1


def test_an_answered_assignment_moves_to_the_answered_tab(
    dept_client, dept_user, staff, department
):
    waiting = assign(staff, department)
    answered = assign(staff, department)
    services.answer_submit(assignment=answered, actor=dept_user, text="Đã kiểm tra thực địa.")
    response = dept_client.get(INBOX)
    assert shown(response) == [waiting.petition.code]
    counts = response.context["counts"]
    assert (counts["open"], counts["answered"]) == (1, 1)
    response = dept_client.get(INBOX, {"tab": "answered"})
    assert shown(response) == [answered.petition.code]
    assert "Trả lời chờ duyệt" in response.content.decode()


def test_inbox_masks_a_hidden_petitioner(dept_client, staff, department):
    assign(staff, department, petitioner_name="Lê Đình Hòe", hide_identity=True)
    html = dept_client.get(INBOX).content.decode()
    assert "Đã giữ bí mật" in html
    assert "Lê Đình Hòe" not in html


def test_an_empty_inbox_says_so(dept_client):
    response = dept_client.get(INBOX)
    assert 'data-testid="empty"' in response.content.decode()


@pytest.mark.parametrize("user", ["staff", "secretary", "front_user"])
def test_users_without_a_department_get_a_friendly_page(client, request, user):
    client.force_login(request.getfixturevalue(user))
    response = client.get(INBOX)
    assert response.status_code == 200
    assert 'data-testid="no-department"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(INBOX)
    assert response.status_code == 302


# session, user, roles, departments, site configuration, tab counts (what the units lead,
# capped; what they support, in one pass; also the page's count), department names,
# working-day calendar, ids of the page, rows.
INBOX_QUERIES = 12


@pytest.mark.parametrize("assignments", [3, 60])
def test_inbox_queries_do_not_grow_with_the_rows(
    dept_client, staff, department, other_department, django_assert_num_queries, assignments
):
    for n in range(assignments):
        if n % 2:
            assign(staff, other_department, supporting=[department], deadline_in_days=n - 5)
        else:
            assign(staff, department, deadline_in_days=n - 5, hide_identity=True)
    with django_assert_num_queries(INBOX_QUERIES):
        response = dept_client.get(INBOX)
    assert len(shown(response)) == min(assignments, 50)
    assert response.context["page"].count == assignments

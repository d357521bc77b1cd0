"""Every object a user reaches by id is reached through its access helper: what the user may
not see answers 404, as if it did not exist; what the user may see but not change, 403."""

from datetime import date

import pytest
from django.urls import reverse

from petitions import services
from tests.petitions.helpers import assigned, classified

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(staff, department, dept_user):
    _petition, assignment = assigned(staff, department)
    return services.answer_submit(assignment=assignment, actor=dept_user, text="Đã xử lý.")


@pytest.fixture
def extension(staff, department, dept_user):
    _petition, assignment = assigned(staff, department)
    return services.extension_request(
        assignment=assignment, actor=dept_user, new_deadline=date(2027, 1, 29), reason="Chờ đo"
    )


def test_another_units_answer_is_not_found(client, answered, other_dept_user):
    client.force_login(other_dept_user)
    assert client.get(reverse("petitions:answer_review", args=[answered.pk])).status_code == 404


def test_the_answering_unit_may_read_but_not_review_its_answer(client, answered, dept_user):
    client.force_login(dept_user)
    assert client.get(reverse("petitions:answer_review", args=[answered.pk])).status_code == 403


def test_staff_review_an_answer(client, answered, staff):
    client.force_login(staff)
    assert client.get(reverse("petitions:answer_review", args=[answered.pk])).status_code == 200


def test_another_units_extension_request_is_not_found(client, extension, other_dept_user):
    client.force_login(other_dept_user)
    url = reverse("petitions:extension_decide", args=[extension.pk])
    assert client.get(url).status_code == 404


def test_the_requesting_unit_cannot_decide_its_own_extension(client, extension, dept_user):
    client.force_login(dept_user)
    url = reverse("petitions:extension_decide", args=[extension.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    extension.refresh_from_db()
    assert extension.awaits_decision


def test_a_duplicate_cannot_be_chosen_as_the_primary_of_a_merge(client, staff):
    first, second, third = classified(staff), classified(staff), classified(staff)
    services.petition_merge(duplicate=second, primary=first, actor=staff)
    client.force_login(staff)
    response = client.post(reverse("petitions:merge", args=[third.pk]), {"primary": second.pk})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.is_open


def test_an_action_not_open_now_sends_back_with_a_word(client, staff, department):
    petition, _assignment = assigned(staff, department)
    client.force_login(staff)
    response = client.get(reverse("petitions:assign", args=[petition.pk]))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Bước này hiện không thực hiện được đối với {petition.code}."]

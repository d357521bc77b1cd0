"""Who sees and does what with conclusions: drafts are for staff and the Secretary; a unit's
members see the issued conclusions that give their unit a task and report on the tasks they
lead; anyone else gets 404."""

import pytest
from django.urls import reverse

from conclusions import services
from conclusions.models import Directive
from tests.conclusions.helpers import drafted, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(staff, office, secretary, clock, department, django_capture_on_commit_callbacks):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=conclusion, actor=office)
    return conclusion


def test_a_draft_is_not_shown_to_units(client, staff, office, clock, department, dept_user):
    conclusion = drafted(staff, office, clock, department)
    client.force_login(dept_user)
    assert client.get(reverse("conclusions:detail", args=[conclusion.pk])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("conclusions:detail", args=[conclusion.pk])).status_code == 200


def test_a_unit_reads_the_issued_conclusion_that_gives_it_a_task(client, issued, dept_user):
    client.force_login(dept_user)
    assert client.get(reverse("conclusions:detail", args=[issued.pk])).status_code == 200
    directive = Directive.objects.get()
    assert client.get(reverse("conclusions:directive", args=[directive.pk])).status_code == 200
    tasks = client.get(reverse("conclusions:tasks"))
    assert [d for d, _state in tasks.context["rows"]] == [directive]


def test_another_unit_does_not_find_it(client, issued, other_dept_user):
    client.force_login(other_dept_user)
    directive = Directive.objects.get()
    for url in (
        reverse("conclusions:detail", args=[issued.pk]),
        reverse("conclusions:directive", args=[directive.pk]),
        reverse("conclusions:notice_pdf", args=[issued.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("conclusions:report_submit", args=[directive.pk]), {"kind": "progress", "text": "x"}
    )
    assert response.status_code == 404
    assert client.get(reverse("conclusions:tasks")).context["rows"] == []


def test_a_unit_neither_edits_signs_nor_issues(client, issued, dept_user):
    client.force_login(dept_user)
    for name in ("edit", "issue", "notice_docx"):
        assert client.get(reverse(f"conclusions:{name}", args=[issued.pk])).status_code == 403
    for name in ("sign", "submit", "return"):
        assert client.post(reverse(f"conclusions:{name}", args=[issued.pk])).status_code == 403


def test_the_secretary_signs_and_staff_do_not(client, staff, office, secretary, clock, department):
    conclusion = submitted(staff, office, clock, department)
    client.force_login(office)
    assert client.post(reverse("conclusions:sign", args=[conclusion.pk])).status_code == 403
    client.force_login(secretary)
    response = client.post(reverse("conclusions:sign", args=[conclusion.pk]), follow=True)
    assert response.status_code == 200
    conclusion.refresh_from_db()
    assert conclusion.number == 1


def test_the_detail_page_costs_the_same_queries_however_many_directives(
    client, staff, office, clock, department, django_assert_max_num_queries
):
    from datetime import date

    from conclusions.services import DirectiveData
    from petitions.models import Department

    conclusion = drafted(staff, office, clock, department)
    client.force_login(staff)
    url = reverse("conclusions:detail", args=[conclusion.pk])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    support = list(Department.objects.filter(name__in=["Công an xã", "Hội Nông dân"]))
    for n in range(8):
        services.directive_add(
            conclusion=conclusion,
            data=DirectiveData(
                lead=department, supporting=support, task=f"Nhiệm vụ {n}", deadline=date(2027, 2, 1)
            ),
            actor=staff,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200

"""The survey's staff pages: who may run it (the paperwork staff and the advisory unit) and who
only reads its results; the paper entry; the printable form; the results page's queries."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from docx import Document

from sessions import surveys
from sessions.models import Survey, SurveyResponse
from tests.factories import UserFactory
from tests.sessions.helpers import TODAY
from tests.sessions.survey_helpers import held_with_survey, paper

pytestmark = pytest.mark.django_db

MANAGE = ["survey_edit", "survey_form_pdf", "survey_form_docx", "survey_paper"]


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    return clock


@pytest.fixture
def session(staff, clock, department, other_department):
    session, _survey = held_with_survey(staff, clock, advisory_unit=other_department)
    session.participating_units.add(department)
    return session


def page(name, session):
    return reverse(f"sessions:{name}", args=[session.pk])


@pytest.mark.parametrize("name", ["survey", *MANAGE])
def test_the_party_office_runs_the_survey(client, session, office, name):
    client.force_login(office)
    assert client.get(page(name, session)).status_code == 200


@pytest.mark.parametrize("name", ["survey", *MANAGE])
def test_the_advisory_units_member_runs_the_survey(client, session, other_dept_user, name):
    client.force_login(other_dept_user)
    assert client.get(page(name, session)).status_code == 200


@pytest.mark.parametrize("name", MANAGE)
def test_a_participating_units_member_reads_the_results_only(client, session, dept_user, name):
    client.force_login(dept_user)
    assert client.get(page("survey", session)).status_code == 200
    assert client.get(page(name, session)).status_code == 403


@pytest.mark.parametrize("name", ["survey", *MANAGE])
def test_a_unit_not_taking_part_does_not_find_it(client, session, name):
    outsider = UserFactory(username="outsider", roles=["department"])
    client.force_login(outsider)
    assert client.get(page(name, session)).status_code == 404


@pytest.mark.parametrize("name", ["survey", *MANAGE])
def test_anonymous_visitors_are_sent_to_log_in(client, session, name):
    response = client.get(page(name, session))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_inspection_committee_reads_but_does_not_type_in(client, session, inspector):
    client.force_login(inspector)
    assert client.get(page("survey", session)).status_code == 200
    assert client.post(page("survey_paper", session), {"q1": "1"}).status_code == 403


def test_setting_up_a_survey_from_the_page(client, staff, clock, office):
    from tests.sessions.helpers import held

    session = held(staff, clock)
    client.force_login(office)
    text = client.get(page("survey", session)).content.decode()
    assert page("survey_create", session) in text
    client.post(page("survey_create", session))
    assert Survey.objects.filter(session=session).exists()


def test_paper_forms_are_typed_in_counted_and_one_taken_back(client, session, office):
    client.force_login(office)
    url = page("survey_paper", session)
    for answers in ("1212", "2233", "1111"):
        data = {f"q{n}": key for n, key in enumerate(answers, start=1)}
        response = client.post(url, {**data, "suggestion": ""})
        assert response.status_code == 302
    response = client.get(url)
    assert response.context["paper_count"] == 3
    last = response.context["last"]
    assert last.answers == [1, 1, 1, 1]
    client.post(reverse("sessions:survey_paper_undo", args=[session.pk, last.pk]))
    assert SurveyResponse.objects.count() == 2
    assert client.get(url).context["last"] is None


def test_a_key_that_is_no_answer_is_named_and_nothing_saved(client, session, office):
    client.force_login(office)
    response = client.post(
        page("survey_paper", session), {"q1": "7", "q2": "1", "q3": "", "q4": "0"}
    )
    assert response.status_code == 200
    assert _("Type 1 to 5, or 0 for no answer.") in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_blank_question_is_typed_as_zero(client, session, office):
    client.force_login(office)
    client.post(page("survey_paper", session), {"q1": "0", "q2": "1", "q3": "2", "q4": "3"})
    assert SurveyResponse.objects.get().answers == [None, 1, 2, 3]


def test_another_sessions_form_cannot_be_taken_back_from_here(client, session, staff, office):
    response = paper(session.survey, staff, 1, 1, 1, 1)
    client.force_login(office)
    client.post(reverse("sessions:survey_paper_undo", args=[session.pk + 1, response.pk]))
    assert SurveyResponse.objects.count() == 1


def test_the_results_page_shows_counts_chart_and_suggestions_in_few_queries(
    client, session, staff, office, django_assert_max_num_queries
):
    survey = session.survey
    for n in range(12):
        paper(survey, staff, 1 + n % 5, 2, 1, 1 + n % 3, suggestion=f"Ý kiến số {n}")
    client.force_login(office)
    with django_assert_max_num_queries(14) as counted:
        response = client.get(page("survey", session))
    few = len(counted.captured_queries)
    for n in range(12):
        paper(survey, staff, 1, 1, 1, 1, suggestion=f"Thêm {n}")
    with django_assert_max_num_queries(few):  # as many for twice the forms
        response = client.get(page("survey", session))
    text = response.content.decode()
    assert 'data-testid="survey-chart"' in text
    assert "Ý kiến số 11" in text and "Thêm 11" in text
    assert response.context["results"].total == 24


def test_the_printable_form_is_a_pdf_and_a_word_copy_with_the_questions_and_address(
    client, session, office
):
    client.force_login(office)
    pdf = client.get(page("survey_form_pdf", session))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    word = client.get(page("survey_form_docx", session))
    document = Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "PHIẾU LẤY Ý KIẾN" in text
    assert surveys.short_address(session.survey) in text
    for question in session.survey.questions:
        assert question in text
    assert document.inline_shapes  # the QR code


def test_the_results_pdf_is_made_for_the_dossier(
    client, session, staff, office, django_capture_on_commit_callbacks
):
    paper(session.survey, staff, 1, 1, 1, 1, suggestion="Tốt")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page("survey_results_pdf", session))
    record = surveys.results_pdf(session.survey)
    assert record.is_ready
    download = client.get(page("survey_results_download", session))
    assert download.status_code == 200


def test_the_session_shows_a_survey_tab(client, session, dept_user):
    client.force_login(dept_user)
    text = client.get(page("detail", session)).content.decode()
    assert page("survey", session) in text


def test_the_questions_and_period_are_edited_on_their_page(client, session, office):
    client.force_login(office)
    url = page("survey_edit", session)
    form = client.get(url).context["form"]
    assert form.initial["closes_on"] == session.held_on + timedelta(days=14)
    response = client.post(
        url, {"questions": "Câu một\nCâu hai", "opens_on": "18/12/2026", "closes_on": "10/01/2027"}
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.questions == ["Câu một", "Câu hai"]
    assert surveys.last_day(survey).isoformat() == "2027-01-10"
    refused = client.post(
        url, {"questions": "Câu một", "opens_on": "18/12/2026", "closes_on": "17/12/2026"}
    )
    assert refused.status_code == 200
    assert _("The survey must close after it opens.") in refused.content.decode()


def test_the_nightly_refresh_makes_the_results_again_when_forms_were_added(
    session, staff, django_capture_on_commit_callbacks
):
    paper(session.survey, staff, 1, 1, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.results_pdfs_refresh() == 1
    first = surveys.results_pdf(session.survey)
    assert first.is_ready
    assert surveys.results_pdfs_refresh() == 0  # nothing changed
    paper(session.survey, staff, 2, 2, 2, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert surveys.results_pdfs_refresh() == 1
    again = surveys.results_pdf(session.survey)
    assert again.is_ready and again.version != first.rendered_version

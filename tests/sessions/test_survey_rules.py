"""The survey's rules: set up once from the default questions, questions fixed once answered,
answers 1-5, no personal data, paper forms undone, and the results counted."""

from datetime import timedelta

import pytest

from doluong_dialogue.rules import RuleError
from sessions import services, surveys
from sessions.models import DEFAULT_SURVEY_QUESTIONS, SessionEvent, Survey, SurveyResponse
from tests.factories import ResidentialUnitFactory
from tests.sessions.helpers import TODAY, planned
from tests.sessions.survey_helpers import held_with_survey, paper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    return clock


def test_a_survey_starts_from_the_default_questions_and_opens_on_the_session_day(staff, clock):
    session, survey = held_with_survey(staff, clock)
    assert survey.questions == DEFAULT_SURVEY_QUESTIONS
    assert len(survey.code) == surveys.CODE_LENGTH
    assert surveys.local_day(survey.opens_at) == session.held_on
    assert surveys.local_day(survey.closes_at) == session.held_on + timedelta(days=15)
    assert survey.state(at=survey.opens_at) == "open"
    assert survey.state(at=survey.opens_at - timedelta(seconds=1)) == "not_open"
    assert survey.state(at=survey.closes_at) == "closed"
    assert session.events.filter(kind=SessionEvent.Kind.SURVEY).count() == 1


def test_setting_up_twice_keeps_the_one_survey(staff, clock):
    session, survey = held_with_survey(staff, clock)
    assert surveys.survey_create(session=session, actor=staff) == survey
    assert Survey.objects.count() == 1


def test_a_cancelled_session_has_no_survey(staff):
    session = planned(staff)
    services.session_cancel(session=session, actor=staff, reason="Trùng lịch")
    with pytest.raises(RuleError):
        surveys.survey_create(session=session, actor=staff)


def test_the_questions_change_only_while_no_form_is_answered(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    arguments = {"opens_at": survey.opens_at, "closes_at": survey.closes_at, "actor": staff}
    surveys.survey_update(survey=survey, questions=["Câu một", " ", "Câu hai"], **arguments)
    survey.refresh_from_db()
    assert survey.questions == ["Câu một", "Câu hai"]
    paper(survey, staff, 1, 2)
    with pytest.raises(RuleError) as refused:
        surveys.survey_update(survey=survey, questions=["Câu khác"], **arguments)
    assert refused.value.field == "questions"
    # The period may still move.
    later = survey.closes_at + timedelta(days=7)
    surveys.survey_update(
        survey=survey,
        questions=survey.questions,
        opens_at=survey.opens_at,
        closes_at=later,
        actor=staff,
    )
    survey.refresh_from_db()
    assert survey.closes_at == later


def test_a_survey_closes_after_it_opens(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    with pytest.raises(RuleError) as refused:
        surveys.survey_update(
            survey=survey,
            questions=survey.questions,
            opens_at=survey.opens_at,
            closes_at=survey.opens_at,
            actor=staff,
        )
    assert refused.value.field == "closes_at"


@pytest.mark.parametrize("answers", [[1, 2, 3], [1, 2, 3, 6], [0, 1, 2, 3], ["1", 2, 3, 4]])
def test_answers_are_one_per_question_from_1_to_5(staff, clock, answers):
    _session, survey = held_with_survey(staff, clock)
    with pytest.raises(RuleError):
        paper(survey, staff, *answers)
    assert not SurveyResponse.objects.exists()


def test_an_empty_form_is_refused_and_a_blank_question_is_kept_as_none(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    with pytest.raises(RuleError):
        paper(survey, staff, None, None, None, None)
    response = paper(survey, staff, 1, None, 2, 1)
    assert response.answers == [1, None, 2, 1]


def test_too_long_a_suggestion_is_refused(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    with pytest.raises(RuleError) as refused:
        paper(survey, staff, 1, 1, 1, 1, suggestion="x" * 2001)
    assert refused.value.field == "suggestion"


def test_a_response_keeps_nothing_that_names_a_person():
    kept = {field.name for field in SurveyResponse._meta.get_fields()}
    assert kept == {
        "id",
        "survey",
        "answers",
        "suggestion",
        "hamlet",
        "age_group",
        "source",
        "token",
        "entered_by",
        "created_at",
    }


def test_the_online_form_sent_twice_is_recorded_once(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    token = "a" * 32
    surveys.response_submit(survey=survey, token=token, answers=[1, 1, 1, 1])
    with pytest.raises(RuleError):
        surveys.response_submit(survey=survey, token=token, answers=[5, 5, 5, 5])
    assert survey.responses.count() == 1


def test_the_online_form_is_refused_outside_its_period(staff, clock):
    session, survey = held_with_survey(staff, clock)
    clock.set(session.held_on + timedelta(days=15))
    with pytest.raises(RuleError):
        surveys.response_submit(survey=survey, token="b" * 32, answers=[1, 1, 1, 1])
    # Paper forms may still be typed in.
    paper(survey, staff, 1, 1, 1, 1)
    assert survey.responses.count() == 1


def test_only_a_paper_form_can_be_undone(staff, clock):
    _session, survey = held_with_survey(staff, clock)
    online = surveys.response_submit(survey=survey, token="c" * 32, answers=[1, 1, 1, 1])
    typed = paper(survey, staff, 2, 2, 2, 2)
    surveys.response_undo(response=typed, actor=staff)
    with pytest.raises(RuleError):
        surveys.response_undo(response=online, actor=staff)
    assert list(survey.responses.all()) == [online]


def test_a_form_is_taken_back_only_by_the_one_who_typed_it(staff, office, clock):
    _session, survey = held_with_survey(staff, clock)
    typed = paper(survey, staff, 2, 2, 2, 2)
    with pytest.raises(RuleError, match="Chỉ người đã nhập phiếu"):
        surveys.response_undo(response=typed, actor=office)
    assert list(survey.responses.all()) == [typed]


def test_the_results_count_each_answer_and_the_overall_satisfaction(staff, clock):
    session, survey = held_with_survey(staff, clock)
    hamlet = ResidentialUnitFactory(name="Yên Lạc")
    paper(survey, staff, 1, 1, 2, 1, suggestion="Nên họp buổi tối", hamlet=hamlet)
    paper(survey, staff, 2, 3, 2, 2)
    paper(survey, staff, 3, None, 4, 5)
    surveys.response_submit(survey=survey, token="d" * 32, answers=[1, 1, 1, 1])
    found = surveys.results(survey)
    assert (found.total, found.online, found.paper) == (4, 1, 3)
    first, second, _third, overall = found.questions
    assert first.counts == {1: 2, 2: 1, 3: 1, 4: 0, 5: 0}
    assert second.unanswered == 1 and second.answered == 3
    assert overall.satisfied_percent == 75
    assert [s.percent for s in overall.segments] == [50, 25, 0, 0, 25]
    assert found.suggestions == [("Nên họp buổi tối", "Xóm Yên Lạc")]
    assert surveys.satisfaction([session.pk])[session.pk].percent == 75
    assert "75% người tham dự hài lòng" in surveys.satisfaction_sentence(session)


def test_no_sentence_without_answers(staff, clock):
    session, _survey = held_with_survey(staff, clock)
    assert surveys.satisfaction_sentence(session) == ""

"""A held session with its survey, and answers typed in through the services."""

from sessions import surveys
from tests.sessions.helpers import held


def held_with_survey(staff, clock, **fields):
    session = held(staff, clock, **fields)
    return session, surveys.survey_create(session=session, actor=staff)


def paper(survey, actor, *answers, suggestion="", **fields):
    return surveys.response_enter(
        survey=survey, actor=actor, answers=list(answers), suggestion=suggestion, **fields
    )

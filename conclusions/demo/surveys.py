"""The attendees' survey of the most recent held session: about forty forms, most typed from
paper, some answered online, with a few suggestions (invented)."""

import random
import secrets
from datetime import timedelta

from django.contrib.auth.models import User

from doluong_dialogue import clock
from petitions.models import ResidentialUnit
from sessions import surveys
from sessions.models import DialogueSession, Survey, SurveyResponse

SUGGESTIONS = [
    "Đề nghị thông báo lịch hội nghị trên loa truyền thanh sớm hơn, ít nhất 10 ngày.",
    "Nên tổ chức vào buổi tối để người đi làm xa cũng dự được.",
    "Cán bộ trả lời rõ ràng, cụ thể, bà con rất đồng tình.",
    "Đề nghị có văn bản trả lời cho những ý kiến chưa kịp đối thoại tại hội nghị.",
    "Hội trường chật, nên bố trí thêm ghế và loa ở phía ngoài.",
    "Mong xã tiếp tục tổ chức đối thoại chuyên đề như thế này.",
]
# The overall satisfaction leans to satisfied, as the demo's story has it.
WEIGHTS = [30, 45, 15, 7, 3]


def _answer(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4, 5], weights=WEIGHTS)[0]


def seed_surveys(*, stdout=None, count: int = 40) -> None:
    """Does nothing when a survey exists already, or no session has been held."""
    if Survey.objects.exists():
        return
    session = (
        DialogueSession.objects.filter(status=DialogueSession.Status.HELD)
        .order_by("-held_on")
        .first()
    )
    if session is None:
        return
    staff = User.objects.get(username="vpdu")
    survey = surveys.survey_create(session=session, actor=staff)
    # Still open for a week, so that the online form can be tried.
    survey = surveys.survey_update(
        survey=survey,
        questions=survey.questions,
        opens_at=survey.opens_at,
        closes_at=max(survey.closes_at, clock.now() + timedelta(days=7)),
        actor=staff,
    )
    rng = random.Random(2026)
    hamlets = list(ResidentialUnit.objects.filter(is_active=True).order_by("order")[:8])
    for number in range(count):
        fields = {
            "answers": [_answer(rng) if rng.random() > 0.04 else None for _q in survey.questions],
            "suggestion": SUGGESTIONS[number % len(SUGGESTIONS)] if number % 5 == 0 else "",
            "hamlet": rng.choice(hamlets) if hamlets and rng.random() < 0.6 else None,
            "age_group": rng.choice(["", *SurveyResponse.AgeGroup.values]),
        }
        if all(answer is None for answer in fields["answers"]):
            fields["answers"][-1] = 2
        if number % 3 == 2:
            surveys.response_submit(survey=survey, token=secrets.token_hex(16), **fields)
        else:
            surveys.response_enter(survey=survey, actor=staff, **fields)
    SurveyResponse.objects.filter(survey=survey, source=SurveyResponse.Source.PAPER).update(
        created_at=clock.moment(session.held_on + timedelta(days=1))
    )
    if stdout is not None:
        stdout.write(f"Survey of “{session.title}”: {count} forms.")

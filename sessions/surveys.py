"""The attendees' survey of a session (phiếu lấy ý kiến, plan section III.6.2.3): its rules
and its results.

The advisory unit hands out the printed forms at the session; people may also answer online
at /y-kien/<code>/ while the survey is open. Staff type the paper forms in afterwards. No
answer names the person who gave it (see SurveyResponse).
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError
from petitions.models import ResidentialUnit
from sessions.models import (
    DEFAULT_SURVEY_QUESTIONS,
    SATISFIED,
    SCALE,
    SCALE_LABELS,
    DialogueSession,
    SessionEvent,
    Survey,
    SurveyResponse,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed
CODE_LENGTH = 6
OPEN_DAYS = 14  # after the session, unless set otherwise
MAX_QUESTIONS = 10
MAX_QUESTION_LENGTH = 200
MAX_SUGGESTION = 2000
RESULTS_PDF = "sessions.survey_results"


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))
        if not Survey.objects.filter(code=code).exists():
            return code


def normalize_code(text: str) -> str:
    """The stored form of a typed code: case and spaces do not matter."""
    return "".join((text or "").split()).upper()[:20]


def public_url(survey: Survey) -> str:
    return settings.SITE_URL + reverse("survey:answer", args=[survey.code])


def short_address(survey: Survey) -> str:
    """The address as printed on the form, without the scheme."""
    return public_url(survey).split("://", 1)[-1]


def local_day(moment: datetime):
    return timezone.localtime(moment).date()


def last_day(survey: Survey):
    """The last day the online form is open (it closes at midnight after it)."""
    return local_day(survey.closes_at - timedelta(seconds=1))


def local_moment(day, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def survey_create(*, session: DialogueSession, actor) -> Survey:
    """The session's survey with the default questions, open from the morning of the session
    until the end of the OPEN_DAYS-th day after it. Asking again returns the one it has."""
    session = DialogueSession.objects.select_for_update().get(pk=session.pk)
    existing = Survey.objects.filter(session=session).first()
    if existing is not None:
        return existing
    if session.status == DialogueSession.Status.CANCELLED:
        raise RuleError(_("A cancelled session has no survey."))
    survey = Survey.objects.create(
        session=session,
        code=_new_code(),
        questions=list(DEFAULT_SURVEY_QUESTIONS),
        opens_at=local_moment(session.held_on, time(0, 0)),
        closes_at=local_moment(session.held_on + timedelta(days=OPEN_DAYS + 1), time(0, 0)),
        created_by=actor,
    )
    SessionEvent.record(session, actor, SessionEvent.Kind.SURVEY, note=survey.code)
    return survey


@transaction.atomic
def survey_update(
    *, survey: Survey, questions: list[str], opens_at: datetime, closes_at: datetime, actor
) -> Survey:
    """Edit the questions (only while no form has been answered: the answers are counted
    against them) and the period when the online form is open."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    questions = [_text(q) for q in questions if _text(q)]
    errors = []
    if questions != survey.questions and survey.responses.exists():
        errors.append(
            RuleError(
                _("Forms have been answered: the questions can no longer be changed."),
                field="questions",
            )
        )
    if not questions:
        errors.append(RuleError(_("Give at least one question."), field="questions"))
    elif len(questions) > MAX_QUESTIONS:
        errors.append(
            RuleError(
                _("At most %(count)d questions.") % {"count": MAX_QUESTIONS}, field="questions"
            )
        )
    elif any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        errors.append(
            RuleError(
                _("A question has at most %(count)d characters.") % {"count": MAX_QUESTION_LENGTH},
                field="questions",
            )
        )
    if closes_at <= opens_at:
        errors.append(RuleError(_("The survey must close after it opens."), field="closes_at"))
    if errors:
        raise RuleError.combine(errors)
    survey.questions = questions
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.save(update_fields=["questions", "opens_at", "closes_at"])
    SessionEvent.record(survey.session, actor, SessionEvent.Kind.SURVEY, note=_("edited"))
    return survey


def _clean_answer(survey: Survey, answers, suggestion: str, hamlet, age_group: str) -> dict:
    answers = list(answers)
    if len(answers) != len(survey.questions) or any(
        a is not None and a not in SCALE for a in answers
    ):
        raise RuleError(_("Each answer is a number from 1 to 5."), field="answers")
    suggestion = _text(suggestion)
    if len(suggestion) > MAX_SUGGESTION:
        raise RuleError(
            _("Suggestions are at most %(count)d characters long (%(given)d given).")
            % {"count": MAX_SUGGESTION, "given": len(suggestion)},
            field="suggestion",
        )
    if all(a is None for a in answers) and not suggestion:
        raise RuleError(_("The form is empty: answer at least one question."))
    if hamlet is not None and not isinstance(hamlet, ResidentialUnit):
        raise RuleError(_("Choose a hamlet from the list."), field="hamlet")
    if age_group and age_group not in SurveyResponse.AgeGroup.values:
        raise RuleError(_("Choose an age group from the list."), field="age_group")
    return {
        "answers": answers,
        "suggestion": suggestion,
        "hamlet": hamlet,
        "age_group": age_group or "",
    }


def response_submit(
    *, survey: Survey, token: str, answers, suggestion="", hamlet=None, age_group=""
) -> SurveyResponse:
    """An answer from the online form, while the survey is open. The same form sent twice
    (its `token`) is recorded once: the second time is refused."""
    state = survey.state(at=clock.now())
    if state != "open":
        raise RuleError(
            _("This survey is closed.") if state == "closed" else _("This survey is not open yet.")
        )
    cleaned = _clean_answer(survey, answers, suggestion, hamlet, age_group)
    try:
        with transaction.atomic():
            return SurveyResponse.objects.create(
                survey=survey, source=SurveyResponse.Source.ONLINE, token=token, **cleaned
            )
    except IntegrityError:
        raise RuleError(_("This form has already been sent: your answer is counted.")) from None


@transaction.atomic
def response_enter(
    *, survey: Survey, actor, answers, suggestion="", hamlet=None, age_group=""
) -> SurveyResponse:
    """A paper form typed in by the staff (also after the online form has closed)."""
    cleaned = _clean_answer(survey, answers, suggestion, hamlet, age_group)
    return SurveyResponse.objects.create(
        survey=survey, source=SurveyResponse.Source.PAPER, entered_by=actor, **cleaned
    )


@transaction.atomic
def response_undo(*, response: SurveyResponse, actor) -> None:
    """Take back a paper form typed twice by mistake; the online answers stay."""
    if response.source != SurveyResponse.Source.PAPER:
        raise RuleError(_("Only a form typed from paper can be undone."))
    if response.entered_by_id != actor.pk:
        raise RuleError(_("Only the one who typed a form in takes it back."))
    response.delete()


# --- Results ---------------------------------------------------------------------------------

COLOURS = {1: "#1b5e20", 2: "#66bb6a", 3: "#bdbdbd", 4: "#ef6c00", 5: "#b71c1c"}
BAR_WIDTH = 600


@dataclass
class Segment:
    value: int
    label: str
    count: int
    percent: int
    x: float
    width: float
    colour: str


@dataclass
class QuestionResult:
    number: int
    text: str
    counts: dict[int, int]
    unanswered: int

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def percent(self, value: int) -> int:
        return round(100 * self.counts[value] / self.answered) if self.answered else 0

    @property
    def satisfied(self) -> int:
        return sum(self.counts[value] for value in SATISFIED)

    @property
    def satisfied_percent(self) -> int | None:
        return round(100 * self.satisfied / self.answered) if self.answered else None

    @property
    def segments(self) -> list[Segment]:
        found, x = [], 0.0
        for value, label in SCALE_LABELS.items():
            share = self.counts[value] / self.answered if self.answered else 0
            found.append(
                Segment(
                    value,
                    label,
                    self.counts[value],
                    self.percent(value),
                    round(x, 1),
                    round(share * BAR_WIDTH, 1),
                    COLOURS[value],
                )
            )
            x += share * BAR_WIDTH
        return found


@dataclass
class Results:
    survey: Survey
    total: int = 0
    online: int = 0
    paper: int = 0
    questions: list[QuestionResult] = field(default_factory=list)
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (text, hamlet)

    @property
    def overall(self) -> QuestionResult | None:
        """The last question: the overall satisfaction."""
        return self.questions[-1] if self.questions else None

    @property
    def chart_height(self) -> int:
        return 10 + 44 * len(self.questions)


def results(survey: Survey) -> Results:
    """Counts per question and answer, and the suggestions (one query)."""
    found = Results(
        survey=survey,
        questions=[
            QuestionResult(n, text, dict.fromkeys(SCALE, 0), 0)
            for n, text in enumerate(survey.questions, start=1)
        ],
    )
    rows = survey.responses.order_by("pk").values_list(
        "answers", "suggestion", "source", "hamlet__kind", "hamlet__name"
    )
    for answers, suggestion, source, hamlet_kind, hamlet_name in rows:
        found.total += 1
        if source == SurveyResponse.Source.ONLINE:
            found.online += 1
        else:
            found.paper += 1
        for question, answer in zip(found.questions, answers, strict=False):
            if answer in SCALE:
                question.counts[answer] += 1
            else:
                question.unanswered += 1
        if suggestion:
            hamlet = ""
            if hamlet_name:
                kind = ResidentialUnit.Kind(hamlet_kind).label if hamlet_kind else ""
                hamlet = f"{kind} {hamlet_name}".strip()
            found.suggestions.append((suggestion, hamlet))
    return found


@dataclass(frozen=True)
class Satisfaction:
    responses: int
    satisfied: int
    answered: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.satisfied / self.answered) if self.answered else None


def satisfaction(session_ids) -> dict[int, Satisfaction]:
    """Per session with a survey: its forms and how many were satisfied overall (the last
    question answered 1 or 2)."""
    counted: dict[int, list[int]] = {}
    rows = SurveyResponse.objects.filter(survey__session__in=session_ids).values_list(
        "survey__session_id", "survey__questions", "answers"
    )
    for session_id, questions, answers in rows:
        totals = counted.setdefault(session_id, [0, 0, 0])
        totals[0] += 1
        overall = answers[len(questions) - 1] if len(answers) == len(questions) else None
        if overall in SCALE:
            totals[2] += 1
            totals[1] += overall in SATISFIED
    return {pk: Satisfaction(*totals) for pk, totals in counted.items()}


def satisfaction_sentence(session: DialogueSession) -> str:
    """The conclusion draft's sentence on the survey, or "" when no form was answered."""
    found = satisfaction([session.pk]).get(session.pk)
    if found is None or found.percent is None:
        return ""
    return (
        f"Qua {found.responses} phiếu lấy ý kiến người tham dự, {found.percent}% người tham dự "
        "hài lòng hoặc rất hài lòng với hội nghị."
    )


# --- The results' PDF (kept with the session's dossier) ------------------------------------


def results_key(survey: Survey) -> str:
    return f"{RESULTS_PDF}:{survey.pk}"


def results_version(survey: Survey) -> str:
    last = survey.responses.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{survey.responses.count()}:{last}:{len(survey.questions)}"


@transaction.atomic
def results_pdf_request(*, survey: Survey):
    """Make the results' PDF as they stand now (again when forms were added since)."""
    from doluong_dialogue import documents

    return documents.request_pdf(
        results_key(survey),
        builder=RESULTS_PDF,
        object_id=survey.pk,
        title=f"Kết quả lấy ý kiến — {survey.session.title}",
        version=results_version(survey),
    )


def results_pdfs_refresh() -> int:
    """Make again the results' PDF of every survey whose forms changed since it was made (or
    that has forms and no PDF yet), for sessions not archived: every night, so that the
    dossier holds the results as they stand. How many were asked for."""
    asked = 0
    surveys = (
        Survey.objects.filter(responses__isnull=False)
        .exclude(session__status=DialogueSession.Status.ARCHIVED)
        .select_related("session")
        .distinct()
    )
    for survey in surveys:
        record = results_pdf(survey)
        if record is None or record.version != results_version(survey):
            results_pdf_request(survey=survey)
            asked += 1
    return asked


def results_pdf(survey: Survey):
    from doluong_dialogue import documents

    return documents.RenderedDocument.objects.filter(key=results_key(survey)).first()

"""The online survey form, at /y-kien/<code>/ (no login), made for a phone.

One answer per device: the form carries a signed token (django.core.signing) naming the
survey and a random number, and once it is sent the browser keeps a signed cookie saying the
survey is answered. Requests are counted per client address in the cache
(SURVEY_REQUESTS_PER_MINUTE); the address itself is never stored. An unknown code, a survey
not open yet or closed, a second answer, a forged token, too long a text and too many
requests each get a page that says so, never an error.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError, add_to_form
from doluong_dialogue.security import client_ip
from sessions import surveys
from sessions.models import Survey
from sessions.survey_forms import OnlineAnswerForm

app_name = "survey"

TOKEN_SALT = "sessions.survey.form"
ANSWERED_SALT = "sessions.survey.answered"
TOKEN_MAX_AGE = 2 * 24 * 3600  # a form left open on a phone overnight still sends
ANSWERED_MAX_AGE = 365 * 24 * 3600


def _cookie(survey: Survey) -> str:
    return f"yk-{survey.code}"


def _too_many(request) -> bool:
    minute = int(timezone.now().timestamp() // 60)
    key = f"survey:{client_ip(request) or 'unknown'}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        count = 1
    return count > settings.SURVEY_REQUESTS_PER_MINUTE


def _page(request, reason: str, survey=None, status=200):
    response = render(
        request,
        "sessions/survey_public_message.html",
        {"reason": reason, "survey": survey},
        status=status,
    )
    if reason == "throttled":
        response["Retry-After"] = "60"
    return response


def _new_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.code, "n": secrets.token_hex(16)}, salt=TOKEN_SALT)


def _token_number(survey: Survey, token: str) -> str | None:
    """The random number of a token made for this survey, or None when forged or stale."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey.code:
        return None
    number = data.get("n")
    return number if isinstance(number, str) and len(number) == 32 else None


@require_http_methods(["GET", "POST"])
def answer(request, code: str):
    if _too_many(request):
        return _page(request, "throttled", status=429)
    survey = (
        Survey.objects.select_related("session").filter(code=surveys.normalize_code(code)).first()
    )
    if survey is None:
        return _page(request, "unknown", status=404)
    state = survey.state(at=clock.now())
    if state != "open":
        return _page(request, state, survey)
    if request.get_signed_cookie(_cookie(survey), default=None, salt=ANSWERED_SALT) == "1":
        return _page(request, "answered", survey)
    if request.method == "POST":
        form = OnlineAnswerForm(request.POST, survey=survey)
        if form.is_valid():
            number = _token_number(survey, form.cleaned_data["token"])
            if number is None:
                return _page(request, "forged", survey, status=400)
            if survey.responses.filter(token=number).exists():  # the same form sent again
                return _remember(_page(request, "answered", survey), survey)
            try:
                surveys.response_submit(survey=survey, token=number, **form.service_arguments())
            except RuleError as refusal:
                add_to_form(form, refusal)
            else:
                return _remember(_page(request, "thanks", survey), survey)
    else:
        form = OnlineAnswerForm(survey=survey, initial={"token": _new_token(survey)})
    return render(request, "sessions/survey_public.html", {"survey": survey, "form": form})


def _remember(response, survey: Survey):
    response.set_signed_cookie(
        _cookie(survey),
        "1",
        salt=ANSWERED_SALT,
        max_age=ANSWERED_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False),
    )
    return response


urlpatterns = [
    path("<str:code>/", answer, name="answer"),
]

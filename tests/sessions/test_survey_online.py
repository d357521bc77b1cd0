"""The online survey form at /y-kien/<code>/: no login, one answer per device, open for its
period; spam and bad input get a clear page, never an error, and nothing names the person."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext as _

from sessions.models import SurveyResponse
from tests.sessions.helpers import TODAY
from tests.sessions.survey_helpers import held_with_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    cache.clear()
    yield clock
    cache.clear()


@pytest.fixture
def survey(staff, clock):
    return held_with_survey(staff, clock)[1]


def url(survey):
    return reverse("survey:answer", args=[survey.code])


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def answer(client, survey, **fields):
    page = client.get(url(survey))
    data = {"token": token_of(page), "q1": "1", "q2": "2", "q3": "1", "q4": "2", **fields}
    return client.post(url(survey), data)


def test_the_public_address_is_short_and_shows_every_question(client, survey):
    assert url(survey) == f"/y-kien/{survey.code}/"
    response = client.get(url(survey).lower())  # typed in lower case
    assert response.status_code == 200
    text = response.content.decode()
    for question in survey.questions:
        assert question in text
    assert 'name="viewport"' in text
    fields = set(re.findall(r'name="([^"]+)"', text))
    assert fields - {"viewport", "csrfmiddlewaretoken"} == {
        "token",
        "q1",
        "q2",
        "q3",
        "q4",
        "suggestion",
        "hamlet",
        "age_group",
    }


def test_an_answer_is_recorded_and_the_device_remembered(client, survey):
    response = answer(client, survey, suggestion="Nên thông báo sớm hơn", age_group="over_60")
    assert response.status_code == 200
    assert _("Thank you! Your opinion has been recorded.") in response.content.decode()
    stored = SurveyResponse.objects.get()
    assert stored.answers == [1, 2, 1, 2]
    assert stored.source == SurveyResponse.Source.ONLINE
    assert stored.age_group == "over_60"
    assert stored.entered_by is None
    # No address of the device is kept anywhere in the row.
    assert "127.0.0.1" not in str(SurveyResponse.objects.values().get())


def test_a_second_answer_from_the_same_device_is_refused(client, survey):
    answer(client, survey)
    again = client.get(url(survey))
    assert again.status_code == 200
    assert 'data-reason="answered"' in again.content.decode()
    assert 'name="token"' not in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_the_same_form_sent_twice_counts_once(client, survey):
    page = client.get(url(survey))
    data = {"token": token_of(page), "q1": "1", "q2": "1", "q3": "1", "q4": "1"}
    client.post(url(survey), data)
    client.cookies.clear()  # even without the cookie
    response = client.post(url(survey), data)
    assert response.status_code == 200
    assert 'data-reason="answered"' in response.content.decode()
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("token", ["", "forged", "eyJzIjoiQUJDIn0:1abc:xyz"])
def test_a_forged_token_is_refused_with_a_clear_page(client, survey, token):
    response = client.post(
        url(survey), {"token": token, "q1": "1", "q2": "1", "q3": "1", "q4": "1"}
    )
    assert response.status_code == 400
    assert (
        _(
            "This form could not be accepted: it is not one this site gave out, or it was opened "
            "more than two days ago. Please open the address again and answer anew."
        )
        in response.content.decode()
    )
    assert not SurveyResponse.objects.exists()


def test_a_token_of_another_survey_is_refused(client, staff, clock, survey):
    from sessions import surveys
    from tests.sessions.helpers import held

    clock.set(TODAY)
    other_session = held(staff, clock, held_on=TODAY + timedelta(days=25))
    other = surveys.survey_create(session=other_session, actor=staff)
    page = client.get(url(other))
    response = client.post(
        url(survey), {"token": token_of(page), "q1": "1", "q2": "1", "q3": "1", "q4": "1"}
    )
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_oversized_text_is_refused_and_what_was_chosen_kept(client, survey):
    response = answer(client, survey, suggestion="x" * 2500)
    assert response.status_code == 200
    text = response.content.decode()
    assert "2.000" in text and "2.500" in text
    assert re.search(r'value="1"\s+checked|value="1" checked', text)
    assert not SurveyResponse.objects.exists()


def test_an_answer_out_of_the_scale_is_refused(client, survey):
    response = answer(client, survey, q1="9")
    assert response.status_code == 200
    assert _("Choose one of the answers.") in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unknown_survey_says_so(client, survey):
    response = client.get("/y-kien/ZZZZZZ/")
    assert response.status_code == 404
    assert (
        _("There is no survey at this address. Check the address printed on the form.")
        in response.content.decode()
    )


def test_a_survey_not_yet_open_and_a_closed_one_say_so(client, survey, clock):
    survey.opens_at += timedelta(days=1)
    survey.save()
    response = client.get(url(survey))
    assert 'data-reason="not_open"' in response.content.decode()
    clock.set(TODAY + timedelta(days=40))
    response = client.post(url(survey), {"token": "x", "q1": "1"})
    assert response.status_code == 200
    assert 'data-reason="closed"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


@override_settings(SURVEY_REQUESTS_PER_MINUTE=3)
def test_a_flood_of_requests_is_slowed_down(client, survey):
    statuses = [client.get(url(survey)).status_code for _n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    last = client.get(url(survey))
    assert last["Retry-After"] == "60"
    assert (
        _(
            "Too many requests came from your address in the last minute. Please wait a minute "
            "and try again."
        )
        in last.content.decode()
    )

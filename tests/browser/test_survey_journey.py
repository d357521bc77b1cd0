"""The attendees' survey in the browser: a resident answers the online form on a phone, the
Party Office types in ten paper forms from the keyboard (and takes back one typed twice), the
results page shows the counts and the chart, and the printable form carries the QR code."""

import subprocess

import pytest
from playwright.sync_api import expect

from sessions import surveys
from sessions.models import SurveyResponse
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login_as_each_role import log_in
from tests.sessions.helpers import TODAY, held

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAPER_FORMS = ["1112", "2221", "1212", "3332", "1111", "2122", "4454", "1211", "2212", "1101"]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    broken = []
    page.on("pageerror", lambda error: broken.append(str(error)))
    page.on(
        "console",
        lambda message: broken.append(message.text) if "Refused to" in message.text else None,
    )
    yield page
    context.close()
    assert broken == []


def test_a_phone_answers_and_the_office_types_in_the_paper_forms(
    page, phone, demo_data, screenshot, clock
):
    from django.contrib.auth.models import User

    from petitions.models import ResidentialUnit

    clock.set(TODAY)
    staff = User.objects.get(username="bxd")
    session = held(staff, clock)
    survey = surveys.survey_create(session=session, actor=staff)
    hamlet = ResidentialUnit.objects.filter(is_active=True).first()

    # 1. A resident scans the QR code: the form fits the phone, no zooming needed.
    phone.goto(f"/y-kien/{survey.code.lower()}/")
    expect(phone.get_by_test_id("survey-question")).to_have_count(4)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    size = phone.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.survey-question legend')).fontSize)"
    )
    assert size >= 16
    assert_accessible(phone)
    for number, value in ((1, 1), (2, 2), (3, 1), (4, 1)):
        phone.locator(f"label[for=id_q{number}_{value - 1}]").tap()
    phone.locator("[name=suggestion]").fill("Nên thông báo trên loa sớm hơn.")
    phone.locator("[name=hamlet]").select_option(str(hamlet.pk))
    phone.screenshot(path=str(SCREENSHOTS / "survey-1-phone-form.png"), full_page=True)
    phone.locator("button[type=submit]").tap()
    expect(phone.get_by_test_id("survey-message")).to_have_attribute("data-reason", "thanks")
    assert_accessible(phone)
    phone.screenshot(path=str(SCREENSHOTS / "survey-2-phone-thanks.png"), full_page=True)
    # The same phone again: it has answered.
    phone.goto(f"/y-kien/{survey.code}/")
    expect(phone.get_by_test_id("survey-message")).to_have_attribute("data-reason", "answered")
    assert SurveyResponse.objects.filter(source="online").count() == 1

    # 2. The Party Office types in ten paper forms, keyboard only.
    log_in(page, "vpdu")
    page.goto(f"/sessions/{session.pk}/survey/paper/")
    assert_accessible(page)
    for number, keys in enumerate(PAPER_FORMS, start=1):
        expect(page.locator("#id_q1")).to_be_focused()
        page.keyboard.type(keys)
        expect(page.locator("#id_suggestion")).to_be_focused()
        if number == 3:
            page.keyboard.type("Hội trường chật.")
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("paper-count")).to_have_text(str(number))
    # One typed twice by mistake, then taken back.
    page.keyboard.type(PAPER_FORMS[-1])
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("paper-count")).to_have_text("11")
    screenshot("survey-3-paper-entry")
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("paper-count")).to_have_text("10")
    assert SurveyResponse.objects.filter(source="paper").count() == 10
    assert SurveyResponse.objects.filter(source="paper").last().answers == [1, 1, None, 1]

    # 3. The results: counts, percentages, the chart and the suggestions.
    page.goto(f"/sessions/{session.pk}/survey/")
    expect(page.get_by_test_id("survey-chart")).to_be_visible()
    expect(page.get_by_test_id("survey-question")).to_have_count(4)
    expect(page.get_by_test_id("survey-suggestions")).to_contain_text("Hội trường chật.")
    expect(page.get_by_test_id("survey-suggestions")).to_contain_text("sớm hơn")
    assert_accessible(page)
    screenshot("survey-4-results")

    # 4. The printable form: A4, with the questions, the QR code and the short address.
    response = page.request.get(f"/sessions/{session.pk}/survey/phieu-lay-y-kien.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "survey-form.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SCREENSHOTS / "survey-5-printable-form"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PHIẾU LẤY Ý KIẾN" in text
    assert f"/y-kien/{survey.code}/" in text
    assert "Rất không hài lòng" in text

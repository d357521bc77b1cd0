"""A resident, not logged in, reads the issued conclusion, the petitions of a topic and looks
up a petition by its receipt code; the Party Office builds the session's dossier. Every page
passes the accessibility check and breaks no Content-Security-Policy."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from conclusions import services
from petitions.models import Department
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import log_in
from tests.conclusions.helpers import drafted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, screenshot, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    screenshot(f"public-{name}")
    assert_accessible(page)


def test_a_resident_reads_the_results_and_the_office_files_the_dossier(
    page, demo_data, screenshot, clock
):
    staff = User.objects.get(username="bxd")
    office = User.objects.get(username="vpdu")
    secretary = User.objects.get(username="bithu")
    unit = Department.objects.get(name="Phòng Kinh tế")
    conclusion = drafted(staff, office, clock, unit)
    conclusion = services.conclusion_submit(conclusion=conclusion, actor=staff)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    conclusion = services.conclusion_issue(conclusion=conclusion, actor=office)
    petition = conclusion.directives.get().petitions.first() or (
        conclusion.session.petitions.first()
    )

    page.goto("/accounts/login/")
    page.get_by_test_id("public-link").get_by_role("link").first.click()
    expect(page.get_by_test_id("public-conclusion")).to_have_count(1)
    screenshot("public-index")
    assert_accessible(page)

    page.get_by_test_id("public-conclusion").click()
    expect(page.get_by_test_id("directive")).to_have_count(1)
    expect(page.get_by_test_id("public-pdf")).to_be_visible()
    screenshot("public-conclusion")
    assert_accessible(page)

    visit(page, screenshot, "/cong-khai/linh-vuc/", "topics")
    page.get_by_test_id("public-topic").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("public-petition").first).to_be_visible()
    screenshot("public-topic")
    assert_accessible(page)

    visit(page, screenshot, "/lich-tiep-dan/", "reception-schedule")
    visit(page, screenshot, "/cong-khai/tra-cuu/", "lookup")
    page.locator("input[name=code]").fill("KN-2026-999999")
    page.get_by_test_id("lookup-form").get_by_role("button").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    screenshot("public-lookup-unknown")
    assert_accessible(page)
    page.locator("input[name=code]").fill(petition.code.lower().replace("-", " "))
    page.get_by_test_id("lookup-form").get_by_role("button").click()
    expect(page.get_by_test_id("lookup-result")).to_contain_text(petition.code)
    expect(page.get_by_test_id("lookup-result")).not_to_contain_text(petition.petitioner_name)
    screenshot("public-lookup-found")
    assert_accessible(page)

    log_in(page, "vpdu")
    visit(page, screenshot, f"/conclusions/session/{conclusion.session_id}/dossier/", "dossier")
    page.get_by_test_id("dossier-build").click()
    expect(page.get_by_test_id("dossier-download")).to_be_visible()
    expect(page.get_by_test_id("dossier-file")).to_have_count(2)  # announcement, notice
    screenshot("public-dossier-ready")
    assert_accessible(page)

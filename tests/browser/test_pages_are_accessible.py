"""The pages the journeys do not reach, as the demo commune fills them, pass the axe check.

One test, so the demo (a year of petitions, 120 of them) is seeded once for the module: the live
server needs committed rows, and pytest-django empties the tables after each browser test.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from petitions.models import Assignment, Petition
from tests.browser.accessibility import assert_accessible
from tests.browser.test_login_as_each_role import HOME_HEADINGS, log_in
from tests.browser.test_petition_journey import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).parents[1] / "petitions" / "files"
SAMPLE_LIST = SAMPLE / "tong-hop-kien-nghi-mttq-6-thang-dau-2026.xlsx"


def fits(page) -> bool:
    """The page needs no sideways scrolling (the navigation bar included)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def visit(page, screenshot, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    screenshot(f"a11y-{name}")
    assert_accessible(page)
    assert fits(page), f"{url} is wider than the window"
    assert "---------" not in page.content(), f"{url} offers an unlabelled empty choice"


def test_the_demo_communes_pages_pass_the_accessibility_check(page, demo_data, screenshot):
    from conclusions.demo import conclusions as conclusions_demo
    from conclusions.demo import organisations as organisations_demo
    from conclusions.demo import petitions as demo_petitions
    from conclusions.demo import reception as reception_demo
    from conclusions.demo import sessions as sessions_demo

    demo_petitions.seed_petitions(count=120)
    sessions_demo.seed_sessions()
    conclusions_demo.seed_conclusions()
    reception_demo.seed_reception()
    organisations_demo.seed_organisation_dialogues()

    # Every role's home page with its live counts and lists.
    for username in HOME_HEADINGS:
        log_in(page, username)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")
        screenshot(f"a11y-home-{username}")
        assert_accessible(page)
        assert fits(page), f"{username}'s home page is wider than the window"
        log_out(page)

    log_in(page, "bxd")
    busiest = max(Petition.objects.all(), key=lambda petition: petition.events.count())
    visit(page, screenshot, "/petitions/", "list")
    visit(page, screenshot, "/petitions/?status=assigned&sort=deadline", "list-filtered")
    visit(page, screenshot, "/petitions/?q=khong+co+dau+nay", "list-no-match")
    visit(page, screenshot, f"/petitions/{busiest.pk}/", "detail-long-history")
    visit(page, screenshot, "/petitions/acknowledgements/", "acknowledgements")
    # A long list's Excel file, waiting for the worker or ready, and the user's files.
    from django.contrib.auth import get_user_model

    from petitions import exports

    export = exports.export_request(
        user=get_user_model().objects.get(username="bxd"), query="status=closed"
    )
    visit(page, screenshot, f"/petitions/exports/{export.pk}/", "export")
    visit(page, screenshot, "/petitions/exports/", "exports")
    # The Party Office's list: a hidden petitioner's letter listed masked, sent by Ban Xây
    # dựng Đảng (issue 12, item 5).
    log_out(page)
    log_in(page, "vpdu")
    owed = Petition.objects.acknowledgement_pending().order_by(
        "acknowledgement_due", "received_on", "id"
    )
    rows = list(owed.values_list("hide_identity", "created_by__username"))
    hidden_at = next((n for n, (hidden, by) in enumerate(rows) if hidden and by != "vpdu"), None)
    number = 1 if hidden_at is None else hidden_at // 25 + 1
    visit(
        page, screenshot, f"/petitions/acknowledgements/?page={number}", "acknowledgements-office"
    )
    if hidden_at is not None:
        expect(page.get_by_test_id("sent-by-party-building").first).to_be_visible()
    log_out(page)
    log_in(page, "bxd")
    visit(page, screenshot, "/petitions/new/", "new")
    page.get_by_test_id("save").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot("a11y-new-refused")
    assert_accessible(page)

    visit(page, screenshot, "/petitions/import/", "import")
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(SAMPLE_LIST))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(page.get_by_role("button", name="Nhập 20 kiến nghị")).to_be_visible()
    screenshot("a11y-import-preview")
    assert_accessible(page)
    page.get_by_role("button", name="Nhập 20 kiến nghị").click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("a11y-import-result")
    assert_accessible(page)
    log_out(page)

    # A department's inbox and one of its assignments, overdue.
    log_in(page, "kinhte")
    visit(page, screenshot, "/petitions/inbox/", "inbox")
    overdue = (
        Assignment.objects.filter(department__name="Phòng Kinh tế", status="open")
        .order_by("deadline")
        .first()
    )
    visit(page, screenshot, f"/petitions/assignments/{overdue.pk}/", "assignment-overdue")

    log_out(page)

    # The sessions of the year, in every state, as their planners and the office see them.
    from sessions.models import DialogueSession

    log_in(page, "bxd")
    visit(page, screenshot, "/sessions/", "sessions-plan")
    by_status = {session.status: session for session in DialogueSession.objects.all()}
    coming = by_status["announced"]
    archived = by_status["archived"]
    visit(page, screenshot, f"/sessions/{archived.pk}/", "session-archived")
    visit(page, screenshot, f"/sessions/{coming.pk}/agenda/", "session-agenda")
    visit(page, screenshot, f"/sessions/{coming.pk}/preparation/", "session-preparation")
    visit(page, screenshot, f"/sessions/{by_status['postponed'].pk}/", "session-postponed")
    visit(page, screenshot, "/sessions/new/", "session-new")
    page.get_by_role("button", name="Lên kế hoạch", exact=True).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot("a11y-session-new-refused")
    assert_accessible(page)
    log_out(page)

    log_in(page, "vpdu")
    visit(page, screenshot, "/sessions/tiep-dan/", "reception-schedule")
    # The reception days of the demo year: a month's days, the cancelled one, a day's register
    # with its keyboard form, and the same register as the Inspection Committee reads it.
    from sessions.models import ReceptionDay

    cancelled = ReceptionDay.objects.get(cancelled=True)
    visited = ReceptionDay.objects.filter(visits__isnull=False).order_by("-held_on").first()
    visit(
        page,
        screenshot,
        f"/sessions/tiep-dan/?year={visited.held_on.year}&month={visited.held_on.month}",
        "reception-month",
    )
    visit(page, screenshot, f"/sessions/tiep-dan/{visited.pk}/", "reception-day")
    visit(page, screenshot, f"/sessions/tiep-dan/{cancelled.pk}/", "reception-day-cancelled")
    held = DialogueSession.objects.get(kind="ad_hoc", status="held")
    visit(page, screenshot, f"/sessions/{coming.pk}/invitation/", "session-invitation")
    visit(page, screenshot, f"/sessions/{coming.pk}/announcement/", "session-announcement")
    visit(page, screenshot, f"/sessions/{held.pk}/record/", "session-record")
    visit(page, screenshot, f"/sessions/{held.pk}/minutes/", "session-minutes-draft")
    visit(page, screenshot, f"/sessions/{archived.pk}/minutes/", "session-minutes-final")
    log_out(page)

    # The conclusions in every state, as the staff, the Secretary, the office and a unit see them.
    from conclusions.models import Conclusion, Directive

    conclusions = {conclusion.status: conclusion for conclusion in Conclusion.objects.all()}
    log_in(page, "bxd")
    visit(page, screenshot, "/conclusions/", "conclusions")
    draft = conclusions["draft"]
    visit(page, screenshot, f"/conclusions/{draft.pk}/", "conclusion-returned-draft")
    visit(page, screenshot, f"/conclusions/{draft.pk}/edit/", "conclusion-edit")
    visit(page, screenshot, f"/conclusions/{draft.pk}/directives/new/", "directive-new")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    screenshot("a11y-directive-new-refused")
    assert_accessible(page)
    visit(page, screenshot, f"/conclusions/{conclusions['issued'].pk}/", "conclusion-issued")
    log_out(page)

    log_in(page, "bithu")
    visit(page, screenshot, f"/conclusions/{conclusions['submitted'].pk}/", "conclusion-to-sign")
    log_out(page)

    log_in(page, "vpdu")
    visit(page, screenshot, f"/conclusions/{conclusions['signed'].pk}/issue/", "conclusion-issue")
    log_out(page)

    # The oversight, as the Inspection Committee sees it, with a proposal of review.
    from conclusions.models import ReviewFlag

    log_in(page, "ubkt")
    visit(page, screenshot, "/conclusions/oversight/", "oversight")
    visit(page, screenshot, f"/sessions/tiep-dan/{visited.pk}/", "reception-day-masked")
    visit(
        page, screenshot, "/conclusions/oversight/?start=01/12/2026&end=01/01/2026", "oversight-bad"
    )
    visit(page, screenshot, "/conclusions/oversight/items/?kind=directive", "oversight-items")
    flag = ReviewFlag.objects.first()
    visit(page, screenshot, f"/conclusions/flags/new/{flag.unit_id}/", "flag-new")
    visit(page, screenshot, f"/conclusions/flags/{flag.pk}/", "flag")
    visit(page, screenshot, "/notifications/", "notifications")
    visit(page, screenshot, "/conclusions/reports/", "reports")
    visit(page, screenshot, "/conclusions/reports/?kind=custom&start=01/12/2026", "reports-bad")
    log_out(page)

    log_in(page, "kinhte")
    visit(page, screenshot, "/conclusions/tasks/", "tasks")
    task = Directive.objects.filter(lead__name="Phòng Kinh tế", status="open").first()
    visit(page, screenshot, f"/conclusions/directives/{task.pk}/", "directive-report")
    log_out(page)

    # The organisations' own dialogues (plan section IV.2): the Front's pages, the roll-up.
    from sessions.models import DialogueSession

    front = DialogueSession.objects.get(organiser__name="Ủy ban MTTQ Việt Nam xã")
    log_in(page, "mttq")
    visit(page, screenshot, f"/sessions/{front.pk}/", "org-session")
    visit(page, screenshot, f"/sessions/{front.pk}/forward/", "org-forward")
    visit(page, screenshot, f"/conclusions/{front.conclusion.pk}/", "org-conclusion")
    visit(page, screenshot, "/sessions/new/", "org-plan")
    log_out(page)
    log_in(page, "bxd")
    visit(page, screenshot, "/sessions/organisations/", "org-rollup")
    visit(page, screenshot, "/sessions/organisations/?year=2026&half=2", "org-rollup-half")
    log_out(page)

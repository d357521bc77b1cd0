"""An administrator changes a topic in the admin and finds the change in the administration
log, with who made it and which field changed."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_login_as_each_role import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_change_in_the_admin_shows_in_the_administration_log(page, demo_data, screenshot):
    from petitions.models import Topic

    topic = Topic.objects.order_by("pk").first()
    log_in(page, "quantri")
    page.goto(f"/admin/petitions/topic/{topic.pk}/change/")
    page.locator("#id_name").fill("Giao thông nông thôn, cầu dân sinh")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto("/admin/doluong_dialogue/administrationlog/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Giao thông nông thôn, cầu dân sinh")
    expect(row).to_contain_text("quantri")
    expect(row).to_contain_text("Đã thay đổi Tên")  # the topic's own word, not a person's
    expect(page.locator("#changelist-filter")).to_be_visible()
    expect(page.locator("#content-main a.addlink")).to_have_count(0)
    screenshot("admin-log")

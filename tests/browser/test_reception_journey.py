"""The Secretary's citizen reception in the browser: the Party Office schedules a day (a day
past first, refused), records three visits on the day from the keyboard (an ID number in a
wrong format refused, a complaint routed out with its transfer), Ban Xây dựng Đảng assigns a
visit's petition, the month's register is exported as Excel and PDF, and the public schedule
shows the day with no personal data."""

import subprocess
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from petitions.models import Petition
from sessions import reception
from sessions.models import ReceptionDay, ReceptionVisit
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out
from tests.sessions.helpers import TODAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = date(2026, 11, 27)  # a Friday, two days after TODAY
PLACE = "Phòng tiếp công dân, trụ sở Đảng ủy xã"
ID_MESSAGE = "Số CMND/CCCD gồm 9 hoặc 12 chữ số."


def type_visit(page, *, name, address, id_number, key, content, guidance=""):
    """One visit from the keyboard: Tab from box to box, the kind as one key, Enter saves."""
    expect(page.locator("#id_visitor_name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(address)
    page.keyboard.press("Tab")
    page.keyboard.type(id_number)
    page.keyboard.press("Tab")  # number of people: 1
    page.keyboard.press("Tab")  # hide the identity: no
    page.keyboard.press("Tab")
    expect(page.locator("#id_kind")).to_be_focused()
    page.keyboard.press(key)
    expect(page.locator("#id_content")).to_be_focused()
    page.keyboard.type(content)
    if guidance:
        page.keyboard.press("Tab")
        expect(page.locator("#id_guidance")).to_be_focused()
        page.keyboard.type(guidance)
        # Not within the committee's remit: the kind typed has said so already.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(page.locator("#id_within_remit")).to_be_focused()
        expect(page.locator("#id_within_remit")).to_have_value("no" if key in "12" else "yes")
    page.keyboard.press("Enter")


def test_a_reception_day_from_the_schedule_to_the_register(page, demo_data, screenshot, clock):
    clock.set(TODAY)

    # 1. The Party Office schedules the day: a day already past is refused first.
    log_in(page, "vpdu")
    page.goto("/sessions/tiep-dan/")
    expect(page.get_by_test_id("reception-months")).to_be_visible()
    form = page.get_by_test_id("reception-day-form")
    form.locator("#id_held_on").fill("20/11/2026")
    form.locator("#id_starts_at").fill("7h30")
    form.locator("#id_ends_at").fill("11:00")
    form.locator("#id_location").fill(PLACE)
    form.locator("button[type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("không được là ngày đã qua")
    expect(form.locator("#id_location")).to_have_value(PLACE)
    screenshot("reception-1-day-in-the-past")
    assert_accessible(page)
    assert not ReceptionDay.objects.exists()
    form.locator("#id_held_on").fill(f"{DAY:%d/%m/%Y}")
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    day = ReceptionDay.objects.get()
    assert (day.held_on, f"{day.starts_at:%H:%M}") == (DAY, "07:30")
    expect(page.get_by_test_id("reception-days")).to_contain_text("27/11/2026")
    screenshot("reception-2-scheduled")
    assert_accessible(page)

    # 2. On the day, three visits from the keyboard.
    clock.set(DAY, hour=8)
    log_in(page, "vpdu")  # a new working day: the session of two days ago has ended
    page.goto(f"/sessions/tiep-dan/{day.pk}/")
    assert_accessible(page)
    type_visit(
        page,
        name="Nguyễn Văn Thái",
        address="Xóm Yên Thịnh",
        id_number="040078001234",
        key="3",
        content="Đề nghị bê tông hóa đường nội đồng xóm Yên Thịnh ra cánh đồng Bàu Sen.",
    )
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_test_id("reception-visits").locator("tbody tr")).to_have_count(1)

    # An ID number in a wrong format: refused, what was typed kept, the cursor on it.
    type_visit(
        page,
        name="Trần Thị Lý",
        address="Khối Tân Lập",
        id_number="12345",
        key="4",
        content="Phản ánh trạm y tế xã thường xuyên hết thuốc điều trị tăng huyết áp.",
    )
    expect(page.locator(".invalid-feedback").first).to_contain_text(ID_MESSAGE)
    expect(page.locator("#id_id_number")).to_be_focused()
    expect(page.locator("#id_visitor_name")).to_have_value("Trần Thị Lý")
    expect(page.locator("#id_kind")).to_have_value("4")
    screenshot("reception-3-wrong-id-number")
    assert_accessible(page)
    assert ReceptionVisit.objects.count() == 1
    page.keyboard.type("040185004321")  # the box's text is selected: typed over
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("reception-visits").locator("tbody tr")).to_have_count(2)

    # A complaint: routed out, the transfer written in the register.
    type_visit(
        page,
        name="Lê Văn Hùng",
        address="Xóm Phú Thịnh",
        id_number="040067005678",
        key="1",
        content="Khiếu nại quyết định thu hồi đất làm đường liên xã.",
        guidance="Chuyển đơn đến Chủ tịch UBND xã giải quyết theo Luật Khiếu nại.",
    )
    expect(page.get_by_test_id("reception-visits").locator("tbody tr")).to_have_count(3)
    expect(page.locator("#id_visitor_name")).to_be_focused()
    expect(page.locator("#id_visitor_name")).to_have_value("")
    screenshot("reception-4-three-visits")
    assert_accessible(page)
    visits = {visit.number: visit for visit in ReceptionVisit.objects.select_related("petition")}
    assert [visits[n].kind for n in (1, 2, 3)] == ["proposal", "feedback", "complaint"]
    assert visits[2].id_number == "040185004321"
    assert all(visit.petition.channel == "reception" for visit in visits.values())
    complaint = visits[3].petition
    assert complaint.status == Petition.Status.ROUTED_OUT
    assert "Luật Khiếu nại" in complaint.legal_channel_note
    assert visits[3].guidance.startswith("Chuyển đơn đến Chủ tịch UBND xã")
    assert not visits[3].within_remit
    log_out(page)

    # 3. Ban Xây dựng Đảng opens the proposal's petition, classifies and assigns it.
    log_in(page, "bxd")
    petition = visits[1].petition
    page.goto(f"/petitions/{petition.pk}/")
    expect(page.get_by_test_id("petition-code")).to_have_text(petition.code)
    assert "040078001234" not in page.content()
    # It leads back to the day's register.
    origins = page.get_by_test_id("petition-origins")
    expect(origins.locator(f'a[href="/sessions/tiep-dan/{day.pk}/"]')).to_have_count(1)
    page.get_by_role("link", name="Phân loại", exact=True).click()
    page.get_by_label("Lĩnh vực").select_option(label="Giao thông, thủy lợi, điện, nước")
    page.get_by_role("button", name="Lưu và giao").click()
    page.get_by_label("Cơ quan chủ trì").select_option(label="Phòng Kinh tế")
    page.get_by_role("button", name="Giao", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã giao Phòng Kinh tế")
    screenshot("reception-5-assigned")
    petition.refresh_from_db()
    assert petition.status == Petition.Status.ASSIGNED

    # 4. The register of the month, as Excel (the official columns) and as PDF.
    page.goto("/sessions/tiep-dan/?year=2026&month=11")
    assert_accessible(page)
    response = page.request.get("/sessions/tiep-dan/so.xlsx?year=2026&month=11")
    assert response.status == 200
    sheet = load_workbook(BytesIO(response.body())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "SỔ TIẾP CÔNG DÂN — THÁNG 11/2026"
    assert rows[1] == reception.REGISTER_HEADER
    assert [row[0] for row in rows[2:]] == ["1", "2", "3"]
    assert rows[2][3] == "Xóm Yên Thịnh; 040078001234"
    assert [row[5] for row in rows[2:]] == ["Kiến nghị", "Phản ánh", "Khiếu nại"]
    assert rows[4][8:10] == ("Không", visits[3].guidance)
    assert rows[2][8] == "Có"
    response = page.request.get("/sessions/tiep-dan/so.pdf?year=2026&month=11")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "reception-register.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(SCREENSHOTS / "reception-6-register-page-1"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỔ TIẾP CÔNG DÂN" in text and "040078001234" in text
    log_out(page)

    # 5. The public schedule: the day, its time and place, nobody's name or number.
    page.goto("/lich-tiep-dan/")
    days = page.get_by_test_id("public-reception-days")
    expect(days).to_contain_text("27/11/2026")
    expect(days).to_contain_text(PLACE)
    content = page.content()
    for visit in visits.values():
        assert visit.visitor_name not in content and visit.id_number not in content
    screenshot("reception-7-public-schedule")
    assert_accessible(page)

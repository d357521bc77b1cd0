"""A thematic session from its plan to its minutes, as the staff do it in the browser: Ban Xây
dựng Đảng plans it and builds its agenda with a petition carried over; the Party Office issues
the invitations and the announcement, records the session live through a dropped connection,
and finalises the minutes, downloaded as PDF and as Word while a draft."""

import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from petitions.models import Petition, Topic
from sessions import services
from sessions.models import AgendaItem, DialogueSession, Speech
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out
from tests.petitions.helpers import classified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANNED_ON = date(2026, 11, 2)  # a Monday
EARLIER = date(2026, 11, 13)
SESSION_DAY = date(2026, 11, 27)


def earlier_session_with_an_undialogued_petition(staff) -> Petition:
    """A session held earlier, where one petition on land was not dialogued."""
    petition = classified(staff, summary="Tranh chấp ranh giới đất giữa hai hộ ở xóm Đông Hồ")
    land = Topic.objects.get(name__startswith="Quản lý đất đai")
    Petition.objects.filter(pk=petition.pk).update(topic=land)
    session = services.session_create(
        data=services.SessionData(
            title="Hội nghị đối thoại chuyên đề tháng 11 (kỳ trước)",
            kind=DialogueSession.Kind.THEMATIC,
            held_on=EARLIER,
            topics=[land],
        ),
        actor=staff,
        on=PLANNED_ON,
    )
    services.agenda_add(session=session, petitions=[petition], actor=staff)
    services.session_announce(session=session, actor=staff, on=PLANNED_ON)
    services.session_hold(session=session, actor=staff, on=EARLIER)
    return petition


def test_from_the_plan_to_the_minutes(page, demo_data, screenshot, clock, tmp_path):
    from django.contrib.auth.models import User

    clock.set(PLANNED_ON)
    staff = User.objects.get(username="bxd")
    carried = earlier_session_with_an_undialogued_petition(staff)

    # 1. Ban Xây dựng Đảng plans a thematic session on land.
    log_in(page, "bxd")
    page.get_by_role("link", name="Kỳ đối thoại").first.click()
    page.get_by_role("link", name="Lên kế hoạch kỳ đối thoại").click()
    page.get_by_label("Chuyên đề").check()
    page.get_by_label("Tên kỳ đối thoại").fill("Đối thoại chuyên đề về giải phóng mặt bằng")
    page.locator("#id_held_on").fill(f"{SESSION_DAY:%d/%m/%Y}")
    page.locator("#id_starts_at").fill("07:30")
    page.get_by_label("Địa điểm").fill("Hội trường UBND xã")
    page.get_by_label("Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng").check()
    page.get_by_label("Phòng Kinh tế").check()
    screenshot("session-1-plan")
    assert_accessible(page)
    page.get_by_role("button", name="Lên kế hoạch", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lên kế hoạch")
    session = DialogueSession.objects.get(title="Đối thoại chuyên đề về giải phóng mặt bằng")

    # 2. The agenda: the petition carried over from the earlier session is offered first.
    page.get_by_role("link", name="Chương trình", exact=True).click()
    carry = page.get_by_test_id("carry-over")
    expect(carry.locator(f'tr[data-code="{carried.code}"]')).to_be_visible()
    expect(carry.get_by_test_id("waited")).to_have_text("1")
    carry.get_by_label(carried.code).check()
    screenshot("session-2-agenda")
    assert_accessible(page)
    page.get_by_role("button", name="Đưa các kiến nghị đã đánh dấu vào chương trình").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã đưa 1 kiến nghị")
    expect(page.get_by_test_id("agenda-group")).to_contain_text(carried.code)
    log_out(page)

    # 3. The Party Office invites the participating units and issues the invitations.
    log_in(page, "vpdu")
    page.goto(f"/sessions/{session.pk}/invitation/")
    page.get_by_role("button", name="Mời 1 cơ quan tham gia chưa có trong danh sách").click()
    page.get_by_label("Loại").select_option(label="Cá nhân")
    page.get_by_label("Họ tên hoặc tên gọi").fill("Nguyễn Văn Hùng")
    page.get_by_label("Chức vụ").fill("Bí thư Chi bộ xóm Đông Hồ")
    page.get_by_role("button", name="Thêm vào danh sách").click()
    expect(page.get_by_test_id("invitees")).to_contain_text("Nguyễn Văn Hùng")
    assert_accessible(page)
    page.get_by_role("button", name="Phát hành giấy mời").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã phát hành giấy mời")
    expect(page.get_by_test_id("invitation-pdf").first).to_contain_text("Giấy mời số 01")
    screenshot("session-3-invitations")

    # The announcement: read on the loudspeakers, posted online, printed.
    page.goto(f"/sessions/{session.pk}/announce/")
    page.get_by_role("button", name="Thông báo", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thông báo")
    page.goto(f"/sessions/{session.pk}/announcement/")
    expect(page.get_by_test_id("loudspeaker")).to_have_value(
        re.compile("vào hồi 7 giờ 30 phút, thứ Sáu, ngày 27 tháng 11 năm 2026")
    )
    expect(page.get_by_test_id("document-status")).to_have_attribute("data-status", "ready")
    screenshot("session-4-announcement")
    assert_accessible(page)
    log_out(page)

    # 4. The day of the session: recorded live; the connection drops for two speakers.
    clock.set(SESSION_DAY, hour=8)
    log_in(page, "vpdu")
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("button", name="Bắt đầu ghi diễn biến hội nghị").click()
    expect(page).to_have_url(f"{page.url.split('/sessions')[0]}/sessions/{session.pk}/record/")
    page.get_by_label("Người phát biểu").fill("Trần Thị Lài")
    page.get_by_label("Xóm, khối hoặc đơn vị").fill("Xóm Đông Hồ")
    page.get_by_label("Nội dung ý kiến, kiến nghị").fill("Đề nghị đo đạc lại ranh giới đất.")
    page.get_by_label("Thuộc kiến nghị trong chương trình").select_option(index=1)
    page.get_by_label("Nội dung trả lời tại hội nghị").fill("Phòng Kinh tế đo đạc trong tháng 12.")
    page.get_by_label("Người trả lời").fill("Đồng chí Chủ tịch UBND xã")
    page.get_by_role("button", name="Lưu và ghi người tiếp theo").click()
    expect(page.locator('[data-testid="speech"]')).to_have_count(1)

    page.context.set_offline(True)
    for speaker, words in [
        ("Lê Đình Hòe", "Đề nghị công khai đơn giá bồi thường."),
        ("Hoàng Thị Nguyệt", "Đường vào khu tái định cư lầy lội."),
    ]:
        page.get_by_label("Người phát biểu").fill(speaker)
        page.get_by_label("Nội dung ý kiến, kiến nghị").fill(words)
        page.get_by_label("Nội dung ý kiến, kiến nghị").press("Control+Enter")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Mất kết nối")
    expect(page.get_by_test_id("connection-status")).to_contain_text("Đang chờ gửi: 2")
    expect(page.locator("li.speech.pending")).to_have_count(2)
    screenshot("session-5-offline")
    assert Speech.objects.count() == 1

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("li.speech.pending")).to_have_count(0)
    expect(page.locator('[data-testid="speech"]')).to_have_count(3)
    assert sorted(Speech.objects.values_list("speaker", flat=True)) == [
        "Hoàng Thị Nguyệt",
        "Lê Đình Hòe",
        "Trần Thị Lài",
    ]
    assert AgendaItem.objects.get(session=session, petition=carried).dialogued
    screenshot("session-6-recorded")
    assert_accessible(page)

    # 5. The minutes: drawn up, downloaded in Word as a draft, finalised, then PDF only.
    page.get_by_role("link", name="Lập biên bản").click()
    page.get_by_role("button", name="Lập biên bản").click()
    page.get_by_label("Người ghi biên bản").fill("Lê Thị Thu Hà")
    page.get_by_role("button", name="Lưu biên bản").click()
    with page.expect_download() as word:
        page.get_by_role("link", name="Bản Word để hoàn thiện").click()
    word_bytes = Path(word.value.path()).read_bytes()
    docx = Document(io.BytesIO(word_bytes))
    assert "BIÊN BẢN" in "\n".join(p.text for p in docx.paragraphs)
    (SCREENSHOTS / "session-minutes.docx").write_bytes(word_bytes)
    screenshot("session-7-minutes-draft")
    page.get_by_role("button", name="Hoàn thiện biên bản").click()
    expect(page.get_by_test_id("minutes-text")).to_contain_text("Ông/bà Trần Thị Lài (Xóm Đông Hồ)")
    expect(page.get_by_test_id("document-status")).to_have_attribute("data-status", "ready")
    screenshot("session-8-minutes-final")
    response = page.request.get(f"/sessions/{session.pk}/minutes/bien-ban.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "session-minutes.pdf"
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
            str(pdf),
            str(SCREENSHOTS / "session-minutes"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("BIÊN BẢN", "NGƯỜI GHI BIÊN BẢN", "CHỦ TRÌ HỘI NGHỊ", "Lê Thị Thu Hà"):
        assert expected in text
    assert page.request.get(f"/sessions/{session.pk}/minutes/bien-ban.docx").url.endswith(
        f"/sessions/{session.pk}/minutes/"
    )

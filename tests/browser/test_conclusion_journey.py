"""A conclusion from the draft to its follow-up, as the demo accounts do it in the browser:
Ban Xây dựng Đảng drafts it from the held session and gives Phòng Kinh tế a directive; the
Secretary returns it with a comment; it is corrected and signed; the signed PDF is downloaded,
its digital signature validated (pyHanko and pdfsig) and its first page looked at; the Party
Office issues it; Phòng Kinh tế reports progress; a visitor opens the QR code's link and sees
the signature is valid."""

import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from conclusions import effects
from conclusions.models import Conclusion, Directive, ProgressReport
from doluong_dialogue.documents import signing
from petitions.models import Department
from sessions import services as session_services
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out
from tests.petitions.helpers import assigned
from tests.sessions.helpers import planned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SESSION_DAY = date(2026, 12, 18)
CLOSING = "Văn phòng Đảng ủy theo dõi, đôn đốc việc sửa chữa đường liên xóm Yên Thịnh."


def held_session(staff, clock):
    """A session held on 18/12/2026 where Phòng Kinh tế's petition was not dialogued."""
    from django.contrib.auth.models import User

    clock.set(date(2026, 11, 25))
    economy = Department.objects.get(name="Phòng Kinh tế")
    petition, _ = assigned(staff, economy, summary="Đường liên xóm Yên Thịnh xuống cấp")
    session = planned(staff, held_on=SESSION_DAY, title="Đối thoại chuyên đề về giao thông")
    session_services.agenda_add(session=session, petitions=[petition], actor=staff)
    office = User.objects.get(username="vpdu")
    session_services.session_announce(session=session, actor=office)
    clock.set(SESSION_DAY)
    session_services.session_hold(session=session, actor=office)
    return session, petition


def test_from_the_draft_to_the_verified_signed_notice(
    page, browser, live_server, demo_data, screenshot, clock, tmp_path
):
    from django.contrib.auth.models import User

    session, petition = held_session(User.objects.get(username="bxd"), clock)
    clock.set(date(2026, 12, 21))

    # 1. Ban Xây dựng Đảng drafts the conclusion from the session.
    log_in(page, "bxd")
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Kết luận", exact=True).first.click()
    page.get_by_role("button", name="Lập dự thảo kết luận").click()
    expect(page.get_by_text("Những nội dung chưa đối thoại").first).to_be_visible()
    conclusion = Conclusion.objects.get(session=session)
    assert petition.summary in conclusion.not_dialogued

    # A directive without a lead unit or a deadline is refused, with what was typed kept.
    page.goto(f"/conclusions/{conclusion.pk}/directives/new/")
    page.get_by_label("Nhiệm vụ", exact=True).fill("Sửa chữa đường liên xóm Yên Thịnh")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.get_by_label("Nhiệm vụ", exact=True)).to_have_value(
        "Sửa chữa đường liên xóm Yên Thịnh"
    )
    screenshot("conclusion-1-directive-refused")
    assert_accessible(page)
    page.get_by_label("Cơ quan chủ trì").select_option(label="Phòng Kinh tế")
    page.get_by_label("hoặc số ngày làm việc kể từ ngày ban hành").fill("20")
    page.get_by_role("button", name="Lưu nhiệm vụ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("button", name="Trình ký").click()
    expect(page.locator(".alert-success")).to_be_visible()
    screenshot("conclusion-2-submitted")
    log_out(page)

    # 2. The Secretary finds it on the home page and returns it with a comment.
    log_in(page, "bithu")
    expect(page.get_by_test_id("tile-to-sign")).to_contain_text("1")
    page.get_by_test_id("tile-to-sign").click()
    page.get_by_role("link", name=session.title).first.click()
    page.get_by_label("Nội dung cần sửa").fill("Bổ sung phần kết: giao Văn phòng Đảng ủy theo dõi.")
    page.get_by_role("button", name="Trả lại kèm ý kiến").click()
    expect(page.locator(".alert-success")).to_be_visible()
    log_out(page)

    # 3. Ban Xây dựng Đảng reads the comment, corrects the draft and submits it again.
    log_in(page, "bxd")
    page.goto(f"/conclusions/{conclusion.pk}/")
    expect(page.get_by_test_id("review-comment")).to_contain_text(
        "Bổ sung phần kết: giao Văn phòng Đảng ủy theo dõi."
    )
    screenshot("conclusion-3-returned")
    page.get_by_role("link", name="Sửa dự thảo").click()
    page.get_by_role("textbox", name="Phần kết").fill(CLOSING)
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("button", name="Trình ký").click()
    log_out(page)

    # 4. The Secretary signs; the worker renders and signs the PDF.
    log_in(page, "bithu")
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("button", name="Ký thông báo").click()
    expect(page.locator(".alert-success")).to_contain_text("Thông báo số 01-TB/ĐU")
    page.reload()
    expect(page.get_by_test_id("notice-signature")).to_contain_text("hợp lệ")
    screenshot("conclusion-4-signed")
    assert_accessible(page)

    # 5. The signed PDF, downloaded: its signature is valid and breaks with one byte changed.
    response = page.request.get(f"/conclusions/{conclusion.pk}/thong-bao.pdf")
    assert response.status == 200
    signed = tmp_path / "thong-bao.pdf"
    signed.write_bytes(response.body())
    check = signing.validate(signed.read_bytes())
    assert check.valid and check.intact, check.message
    pdfsig = subprocess.run(["pdfsig", str(signed)], capture_output=True, text=True, check=False)
    assert "Signature Validation: Signature is Valid." in pdfsig.stdout, pdfsig.stdout
    altered = bytearray(signed.read_bytes())
    middle = len(altered) // 3
    altered[middle] = altered[middle] ^ 0x01
    assert not signing.validate(bytes(altered)).valid

    text = subprocess.run(
        ["pdftotext", "-layout", str(signed), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Số 01-TB/ĐU" in flat and "THÔNG BÁO" in flat
    assert " ".join(CLOSING.split()) in flat
    assert "Phòng Kinh tế" in flat and "T/M BAN THƯỜNG VỤ" in flat
    record = effects.notice_record(Conclusion.objects.get(pk=conclusion.pk))
    assert record.verification_code_display.replace("-", "") in flat.replace("-", "")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "2",  # page 1, and the last one with the signature, the code and the QR
            str(signed),
            str(SCREENSHOTS / "conclusion-notice-page"),
        ],
        check=True,
    )

    log_out(page)

    # 6. The Party Office issues it to the units.
    log_in(page, "vpdu")
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("link", name="Ban hành thông báo").click()
    page.get_by_role("button", name="Ban hành và gửi").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Conclusion.objects.get(pk=conclusion.pk).status == Conclusion.Status.ISSUED
    log_out(page)

    # 7. Phòng Kinh tế reports progress on its directive, from its task list, by keyboard.
    log_in(page, "kinhte")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).first.click()
    directive = Directive.objects.get(conclusion=conclusion, task__startswith="Sửa chữa đường")
    page.locator(f'a[href="/conclusions/directives/{directive.pk}/"]').first.click()
    page.get_by_label("Kết quả thực hiện").fill("Đã khảo sát tuyến đường, lập dự toán sửa chữa.")
    page.keyboard.press("Tab")
    page.keyboard.type("Lập dự toán")
    page.keyboard.press("Tab")
    page.keyboard.type("30")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".alert-success")).to_be_visible()
    report = ProgressReport.objects.get(directive=directive)
    assert (report.percent, report.stage) == (30, "Lập dự toán")
    screenshot("conclusion-5-progress")
    assert_accessible(page)
    log_out(page)

    # 8. A visitor follows the QR code's link: no login, the signature is valid.
    visitor = browser.new_context(base_url=live_server.url)
    try:
        public = visitor.new_page()
        public.goto(f"/xac-thuc/{record.verification_code_display}/")
        expect(public.get_by_test_id("signature-status")).to_contain_text("hợp lệ")
        expect(public.get_by_test_id("signed-document")).to_contain_text("Số 01-TB/ĐU")
        public.screenshot(
            path=str(SCREENSHOTS / "conclusion-6-visitor-verifies.png"), full_page=True
        )
    finally:
        visitor.close()

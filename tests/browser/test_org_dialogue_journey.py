"""The Fatherland Front holds its own dialogue with its members (plan section IV.2), in the
browser: `mttq` plans it, announces it, records it (attendance, a proposal), finalises its
minutes, forwards the proposal to the commune and issues its own notice, signed in its
head's name with the Front's own certificate (the PDF's first page is rendered and looked
at, its signature checked by pyHanko, pdfsig and the verification page); `bxd` finds the
proposal among the commune's petitions and the dialogue in the roll-up of the
organisations."""

import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from conclusions import effects
from conclusions.models import Conclusion
from doluong_dialogue.documents import signing
from petitions.models import Petition
from sessions.models import DialogueSession
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_login_as_each_role import log_in
from tests.browser.test_petition_journey import log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLANNED_ON = date(2026, 11, 2)  # a Monday
DIALOGUE_DAY = date(2026, 11, 20)  # a Friday
TITLE = "Đối thoại với cán bộ Mặt trận các xóm về giao thông nông thôn"
FRONT_SIGNER = "ỦY BAN MTTQ VIỆT NAM XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)"


def test_the_front_holds_its_own_dialogue_and_forwards_a_proposal(
    page, demo_data, screenshot, clock, tmp_path
):
    clock.set(PLANNED_ON)

    # 1. The Front plans its own dialogue: its head chairs it, not the Party Secretary.
    log_in(page, "mttq")
    page.goto("/sessions/new/")
    expect(page.locator("#id_secretary_name")).to_have_count(0)
    page.get_by_label("Chuyên đề").check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_held_on").fill(f"{DIALOGUE_DAY:%d/%m/%Y}")
    page.locator("#id_starts_at").fill("08:00")
    page.locator("#id_location").fill("Nhà văn hóa xóm Yên Thịnh")
    page.get_by_label("Giao thông, thủy lợi, điện, nước").check()
    page.locator("#id_organiser_head_name").fill("Thái Văn Lợi")
    screenshot("org-1-plan")
    assert_accessible(page)
    page.get_by_role("button", name="Lên kế hoạch", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    session = DialogueSession.objects.get(title=TITLE)
    assert session.organiser.name == "Ủy ban MTTQ Việt Nam xã"
    expect(page.get_by_test_id("session-organiser")).to_contain_text("Ủy ban MTTQ Việt Nam xã")
    # Chaired by the Front's head under the Front's own title, not a generic label.
    expect(page.locator("main")).to_contain_text("Thái Văn Lợi, Chủ tịch Ủy ban MTTQ Việt Nam xã")

    page.goto(f"/sessions/{session.pk}/announce/")
    page.get_by_role("button", name="Thông báo", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thông báo")

    # 2. The day of the dialogue: attendance and what a member raised.
    log_out(page)
    clock.set(DIALOGUE_DAY, hour=8)
    log_in(page, "mttq")
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("button", name="Bắt đầu ghi diễn biến hội nghị").click()
    page.locator("#id_attendance").fill("64")
    attendance_form = f'form[action="/sessions/{session.pk}/record/attendance/"]'
    page.locator(f"{attendance_form} button[type=submit]").click()
    page.get_by_label("Người phát biểu").fill("Nguyễn Văn Khang")
    page.get_by_label("Xóm, khối hoặc đơn vị").fill("Xóm Đà Sơn")
    page.get_by_label("Nội dung ý kiến, kiến nghị").fill(
        "Đường ra khu sản xuất xóm Đà Sơn hư hỏng, đề nghị xã bê tông hóa."
    )
    page.get_by_label("Nội dung trả lời tại hội nghị").fill("Ban Thường trực kiến nghị UBND xã.")
    page.get_by_label("Người trả lời").fill("Đồng chí Chủ tịch Ủy ban MTTQ")
    page.get_by_role("button", name="Lưu và ghi người tiếp theo").click()
    expect(page.locator('[data-testid="speech"]')).to_have_count(1)
    screenshot("org-2-recorded")
    session.refresh_from_db()
    assert session.attendance == 64

    # 3. The minutes, finalised.
    page.get_by_role("link", name="Lập biên bản").click()
    page.get_by_role("button", name="Lập biên bản").click()
    page.get_by_label("Người ghi biên bản").fill("Hồ Thị Vân")
    page.get_by_role("button", name="Lưu biên bản").click()
    page.get_by_role("button", name="Hoàn thiện biên bản").click()
    expect(page.get_by_test_id("minutes-text")).to_contain_text("Ủy ban MTTQ Việt Nam xã tổ chức")

    # 4. The proposal needs the commune: forwarded, in one action, once.
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_test_id("forward-link").click()
    speech = session.speeches.get()
    page.locator(f"#speech-{speech.pk}").check()
    page.locator("#id_topic").select_option(label="Giao thông, thủy lợi, điện, nước")
    screenshot("org-3-forward")
    assert_accessible(page)
    page.locator('[data-testid="forward-form"] button[type=submit]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    petition = Petition.objects.get()
    expect(page.locator(f'tr[data-speech="{speech.pk}"]')).to_contain_text(petition.code)
    expect(page.locator(f"#speech-{speech.pk}")).to_have_count(0)
    assert petition.channel == Petition.Channel.FRONT
    assert petition.submitted_by_department == session.organiser

    # 5. Its own notice: drafted, submitted, signed in its head's name, issued.
    page.goto(f"/sessions/{session.pk}/")
    page.get_by_role("link", name="Kết luận", exact=True).first.click()
    page.get_by_role("button", name="Lập dự thảo kết luận").click()
    conclusion = Conclusion.objects.get(session=session)
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("button", name="Trình ký").click()
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("button", name="Ký thông báo").click()
    expect(page.locator(".alert-success")).to_contain_text("Số: 01/TB-MTTQ")
    page.reload()
    screenshot("org-4-signed")
    assert_accessible(page)
    response = page.request.get(f"/conclusions/{conclusion.pk}/thong-bao.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = SCREENSHOTS / "org-notice.pdf"
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
            str(SCREENSHOTS / "org-notice"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "ỦY BAN MTTQ VIỆT NAM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/TB-MTTQ",
        "TM. BAN THƯỜNG TRỰC",
        "Thái Văn Lợi",
        "Ký số bởi: ỦY BAN MTTQ",  # the stamp on the last page; its name wraps
    ):
        assert expected in text, expected
    # Signed with the Front's own (test) certificate, not the Party committee's.
    check = signing.validate(pdf.read_bytes())
    assert check.valid and check.signer == FRONT_SIGNER, check
    report = subprocess.run(["pdfsig", str(pdf)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in report and FRONT_SIGNER in report, report
    record = effects.notice_record(conclusion)
    page.goto(f"/xac-thuc/{record.verification_code_display}/")
    expect(page.get_by_test_id("signature-status")).to_contain_text("hợp lệ")
    expect(page.locator("main")).to_contain_text(FRONT_SIGNER)
    expect(page.locator("main")).not_to_contain_text("ĐẢNG ỦY XÃ ĐÔ LƯƠNG (THỬ NGHIỆM)")
    screenshot("org-4b-verified")
    page.goto(f"/conclusions/{conclusion.pk}/")
    page.get_by_role("link", name="Ban hành thông báo").click()
    page.get_by_role("button", name="Ban hành và gửi").click()
    expect(page.locator(".alert-success")).to_be_visible()
    conclusion.refresh_from_db()
    assert conclusion.status == Conclusion.Status.ISSUED
    log_out(page)

    # 6. Another organisation does not find the dialogue.
    log_in(page, "nongdan")
    assert page.goto(f"/sessions/{session.pk}/").status == 404
    log_out(page)

    # 7. Ban Xây dựng Đảng: the proposal among the commune's petitions, and the roll-up.
    log_in(page, "bxd")
    page.goto(f"/petitions/?session={session.pk}")
    expect(page.get_by_text(petition.code).first).to_be_visible()
    screenshot("org-5-petitions")
    page.goto(f"/petitions/{petition.pk}/")
    expect(page.get_by_test_id("petition-origins")).to_contain_text(TITLE)
    page.goto("/sessions/")
    page.get_by_test_id("rollup-link").click()
    row = page.locator(f'tr[data-organisation="{session.organiser_id}"]')
    expect(row.locator('[data-figure="held"]')).to_have_text("1")
    expect(row.locator('[data-figure="attendance"]')).to_have_text("64")
    expect(row.locator('[data-figure="forwarded"]')).to_have_text("1")
    screenshot("org-6-rollup")
    assert_accessible(page)
    row.locator('[data-figure="forwarded"] a').click()
    expect(page.get_by_text(petition.code).first).to_be_visible()

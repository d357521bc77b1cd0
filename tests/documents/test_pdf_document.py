"""The PDF of a PartyDocument follows the Party format: the header, number and date, the type
name and summary, every kind of body block, the signatures and the recipients, on A4 with
the prescribed margins, in the embedded Liberation Serif with every Vietnamese letter."""

import re
import subprocess

import pytest

from doluong_dialogue.documents import render_pdf
from tests.documents import samples
from tests.documents.conftest import flowing, pdf_text

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def words(content: bytes, tmp_path) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) of every word on the first page, in points."""
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pdf_text(content, tmp_path, "-bbox", "-f", "1", "-l", "1"),
    )
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in found]


def test_notice_says_everything_in_the_party_format(signer, tmp_path):
    text = pdf_text(render_pdf(samples.notice()), tmp_path, "-layout")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Left header over right header, line by line.
    assert re.match(r"ĐẢNG BỘ TỈNH NGHỆ AN\s+ĐẢNG CỘNG SẢN VIỆT NAM$", lines[0])
    assert lines[1] == "ĐẢNG ỦY XÃ ĐÔ LƯƠNG"
    assert lines[2] == "*"
    assert re.match(r"Số 12-TB/ĐU\s+Đô Lương, ngày 05 tháng 02 năm 2026$", lines[3])
    assert lines[4:6] == [
        "THÔNG BÁO",
        "Kết luận của Thường trực Đảng ủy tại hội nghị đối thoại với Nhân dân",
    ]
    body = flowing(text)
    for expected in (
        "Kính gửi: - Các chi bộ trực thuộc; - Ủy ban nhân dân xã.",
        "Ngày 03 tháng 02 năm 2026, Thường trực Đảng ủy xã chủ trì",
        "I. NHỮNG NỘI DUNG ĐÃ GIẢI QUYẾT",
        "1. Sửa chữa tuyến đường liên xóm Yên Thịnh - Đông Hồ.",
        "2. Lắp đặt đèn chiếu sáng tại ngã ba chợ.",
        "- Rà soát hồ sơ đất đai tồn đọng.",
        "TT Nội dung Cơ quan chủ trì Thời hạn",
        "Phòng Kinh tế 28/02/2026",
        "thông báo để các cơ quan biết, thực hiện./.",
        "Nơi nhận: T/M BAN THƯỜNG VỤ",
        "- Như kính gửi; BÍ THƯ",
        "- Lưu Văn phòng Đảng ủy.",
        "Nguyễn Văn Bí",
    ):
        assert expected in body, expected


def test_the_date_line_is_set_in_italics(signer, tmp_path):
    # pdftotext cannot tell styles apart; the embedded fonts can. The letter has no italic
    # text but its date line, so the italic face is there for it alone.
    target = tmp_path / "document.pdf"
    target.write_bytes(render_pdf(samples.letter()))
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert "Shipped-Liberation-Serif-Italic" in fonts


def test_every_vietnamese_letter_comes_out_as_written(signer, tmp_path):
    text = pdf_text(render_pdf(samples.notice()), tmp_path)
    # Fonts without full Vietnamese coverage lack Ơ, Ư and the stacked accents.
    for letter in ("Đ", "ư", "ỹ", "ậ", "Ơ", "Ư", "ờ", "ự", "Ủ"):
        assert letter in text, letter
    assert "Đường, ư, ỹ, ậ, Ơ" in flowing(text)


def test_only_the_shipped_fonts_are_used_and_all_are_embedded(signer, tmp_path):
    target = tmp_path / "document.pdf"
    target.write_bytes(render_pdf(samples.notice()))
    listing = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = {(line.split()[0].split("+", 1)[-1], line.split()[-5]) for line in listing}
    assert {name for name, _ in fonts} == {
        "Shipped-Liberation-Serif",
        "Shipped-Liberation-Serif-Bold",
        "Shipped-Liberation-Serif-Italic",
    }
    assert {embedded for _, embedded in fonts} == {"yes"}


def test_a_draft_leaves_room_for_the_number(signer, tmp_path):
    text = pdf_text(render_pdf(samples.minutes()), tmp_path, "-layout")
    assert re.search(r"Số {4,}-BB/ĐU", text)


def test_a_letter_has_its_subject_line_under_the_number_and_no_type_name(signer, tmp_path):
    text = pdf_text(render_pdf(samples.letter()), tmp_path, "-layout")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert re.match(r"Số 05-CV/ĐU\s+Đô Lương, ngày 09 tháng 3 năm 2026$", lines[3])
    assert lines[4] == "V/v đôn đốc trả lời kiến nghị của cử tri"
    assert lines[5] == "Kính gửi: Phòng Kinh tế xã"


def test_minutes_put_two_signatures_side_by_side_and_have_no_recipients(signer, tmp_path):
    text = pdf_text(render_pdf(samples.minutes()), tmp_path, "-layout")
    assert re.search(r"NGƯỜI GHI BIÊN BẢN\s+CHỦ TRÌ HỘI NGHỊ", text)
    assert re.search(r"Trần Thị Thư\s+Nguyễn Văn Chủ", text)
    assert "Nơi nhận" not in text
    assert "T/M BAN THƯỜNG VỤ" not in text


def test_the_page_is_a4_with_margins_of_20_20_30_15_mm(signer, tmp_path):
    content = render_pdf(samples.notice())
    target = tmp_path / "document.pdf"
    target.write_bytes(content)
    info = subprocess.run(
        ["pdfinfo", "-box", str(target)], capture_output=True, text=True, check=True
    ).stdout
    media = re.search(r"MediaBox:\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", info)
    left, bottom, right, top = (float(value) for value in media.groups())
    assert (left, bottom) == (0, 0)
    assert right == pytest.approx(210 * MM, abs=0.5)
    assert top == pytest.approx(297 * MM, abs=0.5)

    placed = words(content, tmp_path)
    # Justified body lines run from the left margin (30 mm) to the right one (15 mm).
    assert min(word[0] for word in placed) == pytest.approx(30 * MM, abs=1.5)
    assert max(word[2] for word in placed) == pytest.approx((210 - 15) * MM, abs=1.5)
    # The header starts at the top margin (20 mm), allowing for the line's leading.
    assert min(word[1] for word in placed) == pytest.approx(20 * MM, abs=4)


def test_pages_are_numbered_from_the_second_on(signer, tmp_path):
    long_notice = samples.notice()
    long_notice.body = long_notice.body * 4
    text = pdf_text(render_pdf(long_notice), tmp_path, "-layout")
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) >= 2
    first_lines = [page.strip().splitlines()[0].strip() for page in pages if page.strip()]
    assert first_lines[0].startswith("ĐẢNG BỘ TỈNH NGHỆ AN")
    assert first_lines[1] == "2"


def test_text_from_users_is_printed_as_written_never_as_markup(signer, tmp_path):
    doc = samples.letter()
    doc.subject = "V/v <b>đèn đường</b> & ngõ"
    text = pdf_text(render_pdf(doc), tmp_path)
    assert "V/v <b>đèn đường</b> & ngõ" in text

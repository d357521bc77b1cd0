"""The Word copy of a draft says what its PDF says, in the same layout; a final document has
none."""

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from doluong_dialogue.documents import WordCopyRefused, render_docx, render_pdf
from doluong_dialogue.documents.content import Paragraph
from tests.documents import samples
from tests.documents.conftest import flowing, pdf_text

pytestmark = pytest.mark.django_db


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def all_paragraphs(word):
    """Every paragraph in reading order, inside tables too (row by row, cell by cell)."""
    body = word.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield from (p for p in word.paragraphs if p._p is child)
        elif child.tag == qn("w:tbl"):
            table = next(t for t in word.tables if t._tbl is child)
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs


def text_of(word) -> str:
    return flowing(" ".join(p.text for p in all_paragraphs(word)))


def runs_with(word, text: str):
    return [run for p in all_paragraphs(word) for run in p.runs if text in run.text]


def test_the_word_copy_says_what_the_pdf_says(signer, tmp_path):
    doc = samples.notice()
    word_text = text_of(open_docx(render_docx(doc)))
    pdf = flowing(pdf_text(render_pdf(doc), tmp_path))
    for expected in (
        "ĐẢNG BỘ TỈNH NGHỆ AN",
        "ĐẢNG ỦY XÃ ĐÔ LƯƠNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-TB/ĐU",
        "Đô Lương, ngày 05 tháng 02 năm 2026",
        "THÔNG BÁO",
        "Kết luận của Thường trực Đảng ủy tại hội nghị đối thoại với Nhân dân",
        "Kính gửi: - Các chi bộ trực thuộc; - Ủy ban nhân dân xã.",
        "Đường, ư, ỹ, ậ, Ơ",
        "I. NHỮNG NỘI DUNG ĐÃ GIẢI QUYẾT",
        "Sửa chữa tuyến đường liên xóm Yên Thịnh - Đông Hồ.",
        "TT Nội dung Cơ quan chủ trì Thời hạn",
        "Khắc phục ổ gà tuyến đường liên xóm Phòng Kinh tế 28/02/2026",
        "thông báo để các cơ quan biết, thực hiện./.",
        "Nơi nhận:",
        "- Như kính gửi;",
        "- Lưu Văn phòng Đảng ủy.",
        "T/M BAN THƯỜNG VỤ BÍ THƯ",
        "Nguyễn Văn Bí",
    ):
        assert expected in word_text, expected
        assert expected in pdf, expected
    assert word_text.index("Số 12-TB/ĐU") < word_text.index("THÔNG BÁO")
    assert word_text.index("THÔNG BÁO") < word_text.index("Nơi nhận:")


def test_the_header_is_a_borderless_table_of_two_columns(signer):
    word = open_docx(render_docx(samples.notice()))
    header = word.tables[0]
    assert len(header.columns) == 2
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ TỈNH NGHỆ AN", "ĐẢNG ỦY XÃ ĐÔ LƯƠNG", "*"]
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[0].runs[0].bold
    assert right.paragraphs[0].runs[0].font.size.pt == 15
    # The rule under the Party's name: the border of the paragraph below it.
    rule = right.paragraphs[1]._p.find(qn("w:pPr")).find(qn("w:pBdr"))
    assert rule is not None and rule.find(qn("w:bottom")).get(qn("w:val")) == "single"
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    assert left.paragraphs[1].runs[0].bold and not left.paragraphs[0].runs[0].bold
    number, date_line = header.rows[1].cells
    assert number.paragraphs[0].text == "Số 12-TB/ĐU"
    assert date_line.paragraphs[0].runs[0].italic


def test_page_is_a4_with_the_party_margins_and_times_new_roman_14(signer):
    word = open_docx(render_docx(samples.notice()))
    section = word.sections[0]
    in_mm = [
        round(length.mm, 1)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert in_mm == [210, 297, 20, 20, 30, 15]
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    assert section.different_first_page_header_footer  # numbered from page 2
    assert 'w:instr="PAGE"' in section.header._element.xml


def test_signatures_and_recipients_sit_side_by_side_and_nơi_nhận_is_underlined(signer):
    word = open_docx(render_docx(samples.notice()))
    closing = word.tables[-1]
    recipients, signature = closing.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].underline
    assert recipients.paragraphs[-1].text == "- Lưu Văn phòng Đảng ủy."
    assert [p.text for p in signature.paragraphs if p.text] == [
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nguyễn Văn Bí",
    ]
    borders = closing._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_minutes_have_their_two_signatures_side_by_side(signer):
    word = open_docx(render_docx(samples.minutes()))
    signatures = word.tables[-1].rows[0].cells
    assert [[p.text for p in cell.paragraphs if p.text] for cell in signatures] == [
        ["NGƯỜI GHI BIÊN BẢN", "Trần Thị Thư"],
        ["CHỦ TRÌ HỘI NGHỊ", "Nguyễn Văn Chủ"],
    ]
    assert "Nơi nhận" not in text_of(word)
    assert runs_with(word, "-BB/ĐU")[0].text.startswith("Số      ")


def test_the_body_table_has_a_bold_header_row_repeated_on_every_page(signer):
    word = open_docx(render_docx(samples.notice()))
    table = word.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == [
        "TT",
        "Nội dung",
        "Cơ quan chủ trì",
        "Thời hạn",
    ]
    assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(table.rows) == 4


def test_a_final_document_has_no_word_copy(signer):
    with pytest.raises(WordCopyRefused) as refusal:
        render_docx(samples.notice(final=True))
    assert "PDF" in str(refusal.value)
    assert render_pdf(samples.notice(final=True)).startswith(b"%PDF-")


def test_control_characters_typed_into_a_document_are_left_out_of_its_word_copy(signer):
    """XML has no place for them: Word could not open the file, python-docx refuses to write
    it. The PDF shows nothing for them either."""
    doc = samples.letter()
    doc.title = "Công văn\x1b[0m"
    doc.body.append(Paragraph("Ông Nguyễn\x00 Văn\x07 A \x1b[31mđề nghị\x0c sửa đường."))
    word = open_docx(render_docx(doc))
    assert "Ông Nguyễn Văn A [31mđề nghị sửa đường." in text_of(word)
    assert word.core_properties.title == "Công văn[0m"

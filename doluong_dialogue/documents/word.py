"""The Word copy of a draft (python-docx): the same PartyDocument, the same layout as the PDF.

Commune offices finish their documents in Word, so a draft is offered as .docx too; a signed
or finalised document has only its PDF (`WordCopyRefused`). The font is "Times New Roman",
Word's own, whose metrics the PDF's Liberation Serif shares; sizes, margins and the two
header columns follow templates/documents/base_document.html.
"""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from doluong_dialogue.documents.content import (
    Addressee,
    Figure,
    Heading,
    Item,
    Paragraph,
    PartyDocument,
    QRCode,
    Run,
    Signature,
    Table,
)
from doluong_dialogue.rules import RuleError

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15
BODY_LINE = Pt(18)  # 14 pt at a line height of about 1.3, as in the PDF

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


# XML 1.0, and so Word, has no place for most control characters. Text typed or pasted with
# one (from a terminal, an old program, a hostile hand) loses it in the Word copy, as the PDF
# does not show it either.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_IN_XML.sub("", text)


class WordCopyRefused(RuleError):
    """A signed or finalised document has only its PDF."""


def render_docx(doc: PartyDocument) -> bytes:
    """The .docx bytes of a draft; raises WordCopyRefused for a final document."""
    if doc.final:
        raise WordCopyRefused(
            _("A signed or issued document has no Word copy: download its PDF instead.")
        )
    word = Document()
    _set_up(word, doc)
    _header(word, doc)
    _title(word, doc)
    for block in doc.body:
        _BLOCKS[type(block)](word, block)
    _closing(word, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def docx_response(doc: PartyDocument, filename: str) -> HttpResponse:
    """The Word copy of a draft as a download named `filename` ("….docx"); raises
    WordCopyRefused for a final document (the caller turns it into a message)."""
    response = HttpResponse(render_docx(doc), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


# --- Page, styles, small helpers --------------------------------------------------------


def _set_up(word, doc: PartyDocument) -> None:
    word.core_properties.title = xml_text(doc.title)
    word.core_properties.author = xml_text(doc.issuer.issuing_body)
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)
    # Page numbers from the second page on, centred at the top.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE")


def _field(paragraph, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _paragraph(
    container,
    text: str = "",
    *,
    align: str = "center",
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    caps: bool = False,
    space_before: float = 0,
    space_after: float = 0,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN[align]
    paragraph.paragraph_format.space_before = Pt(space_before)
    paragraph.paragraph_format.space_after = Pt(space_after)
    if text:
        _run(paragraph, Run(text, bold=bold, italic=italic, underline=underline), size, caps)
    return paragraph


def _run(paragraph, run: Run, size: float | None = None, caps: bool = False):
    piece = paragraph.add_run(xml_text(run.text.upper() if caps else run.text))
    piece.bold = run.bold or None
    piece.italic = run.italic or None
    piece.underline = run.underline or None
    if size:
        piece.font.size = Pt(size)
    return piece


def _rule(container, width_mm: float, line_mm: float, *, gap: float = 2) -> None:
    """A centred horizontal rule `line_mm` long in a column `width_mm` wide, `gap` points
    under the line above: the bottom border of an empty paragraph that high, indented from
    both sides. (A top border is drawn over the descenders of the line above by some
    programs, whatever the spacing before.)"""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Mm(max((width_mm - line_mm) / 2, 0))
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(gap)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(word, widths_mm: list[float], *, borders: bool):
    """A table of fixed column widths (in mm), borderless or with a single rule grid."""
    table = word.add_table(rows=0, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "6")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    properties.append(edges)
    if not borders:
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            element = OxmlElement(f"w:{edge}")
            element.set(qn("w:w"), "0")
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        properties.append(margins)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    return table


def _row(table, widths_mm: list[float]):
    cells = table.add_row().cells
    for cell, width in zip(cells, widths_mm, strict=True):
        cell.width = Mm(width)
    return cells


class _Cell:
    """Writes into a table cell: its first line reuses the empty paragraph a new cell has."""

    def __init__(self, cell) -> None:
        self.cell = cell
        self.fresh = True

    def add_paragraph(self):
        if self.fresh:
            self.fresh = False
            return self.cell.paragraphs[0]
        return self.cell.add_paragraph()


# --- Header, title, body, closing -------------------------------------------------------


def _header(word, doc: PartyDocument) -> None:
    widths = [TEXT_WIDTH_MM * 0.43, TEXT_WIDTH_MM * 0.57]
    table = _table(word, widths, borders=False)
    left, right = (_Cell(cell) for cell in _row(table, widths))
    issuer = doc.issuer
    if issuer.superior_body:
        _paragraph(left, issuer.superior_body, caps=True)
    for line in issuer.issuing_lines:
        _paragraph(left, line, caps=True, bold=True)
    if issuer.mark:
        _paragraph(left, issuer.mark)
    else:
        _rule(left, widths[0], 25, gap=2)
    for index, line in enumerate(issuer.heading):
        if index == 0:
            # The Party's name in 15 pt; a national name over its motto in 13 pt.
            _paragraph(right, line, bold=True, size=15 if len(issuer.heading) == 1 else 13)
        else:
            _paragraph(right, line, bold=True)
    _rule(right, widths[1], 60, gap=2)
    left, right = (_Cell(cell) for cell in _row(table, widths))
    number = _paragraph(left, doc.number_line, space_before=5)
    number.paragraph_format.keep_with_next = True
    if doc.subject:
        _paragraph(left, doc.subject, size=12, space_before=2)
    _paragraph(right, doc.date_line, italic=True, space_before=5)


def _title(word, doc: PartyDocument) -> None:
    if doc.type_name:
        _paragraph(word, doc.type_name, bold=True, caps=True, size=15, space_before=16)
    if doc.summary:
        _paragraph(word, doc.summary, bold=True, space_before=0 if doc.type_name else 16)
    if doc.type_name or doc.summary:
        _rule(word, TEXT_WIDTH_MM, 25, gap=5)
    # As .content and .content.untitled in base_document.html.
    spacer = word.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(6 if doc.type_name or doc.summary else 14)


def _body_format(paragraph, *, indent: bool = False) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing = BODY_LINE
    fmt.space_after = Pt(6)
    if indent:
        fmt.first_line_indent = Mm(10)


def _write_paragraph(word, block: Paragraph) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = ALIGN[block.align]
    _body_format(paragraph, indent=block.indent)
    paragraph.paragraph_format.keep_with_next = block.keep_with_next or None
    for run in block.runs:
        _run(paragraph, run)


def _write_heading(word, block: Heading) -> None:
    paragraph = _paragraph(word, block.text, align=block.align, bold=True, space_before=6)
    _body_format(paragraph)
    paragraph.paragraph_format.keep_with_next = True


def _write_item(word, block: Item) -> None:
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _body_format(paragraph)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(16)
    fmt.first_line_indent = Mm(-6)
    fmt.tab_stops.add_tab_stop(Mm(16))
    paragraph.add_run(xml_text(f"{block.marker}\t"))
    for run in block.runs:
        _run(paragraph, run)


def _write_table(word, block: Table) -> None:
    widths = [TEXT_WIDTH_MM * share / 100 for share in block.column_widths]
    table = _table(word, widths, borders=True)
    header = _row(table, widths)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(header, block.header, strict=True):
        _paragraph(_Cell(cell), text, bold=True, size=13)
    for values in block.rows:
        cells = _row(table, widths)
        no_split = OxmlElement("w:cantSplit")
        table.rows[-1]._tr.get_or_add_trPr().append(no_split)
        for cell, text in zip(cells, values, strict=True):
            target = _Cell(cell)
            for line in str(text).splitlines() or [""]:
                _paragraph(target, line, align="left", size=13)
    spacer = word.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(10)


def _write_addressee(word, block: Addressee) -> None:
    for i, line in enumerate(block.lines):
        paragraph = _paragraph(word, line, align="center" if i == 0 else "left", space_after=2)
        if i:
            paragraph.paragraph_format.left_indent = Mm(35)
    for number, note in enumerate(block.notes, 1):
        last = number == len(block.notes)
        _paragraph(word, note, space_after=10 if last else 2)
    if not block.notes:
        word.paragraphs[-1].paragraph_format.space_after = Pt(10)


def _write_figure(word, block: Figure) -> None:
    """A Word copy is for editing: the chart's caption, the figures being in its table."""
    paragraph = word.add_paragraph()
    paragraph.alignment = ALIGN["center"]
    _body_format(paragraph)
    _run(paragraph, Run(f"{block.caption} (biểu đồ trong bản PDF)", italic=True))


def _write_qr(word, block: QRCode) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(block.png()), width=Mm(27))
    for line in block.lines:
        _paragraph(word, line, align="left", space_after=2)


_BLOCKS = {
    Paragraph: _write_paragraph,
    Heading: _write_heading,
    Item: _write_item,
    Table: _write_table,
    Addressee: _write_addressee,
    Figure: _write_figure,
    QRCode: _write_qr,
}


def _signature(container, signature: Signature) -> None:
    if signature.authority:
        _paragraph(container, signature.authority, bold=True, caps=True)
    _paragraph(container, signature.title, bold=True, caps=True)
    space = container.add_paragraph()
    space.paragraph_format.line_spacing = Mm(26)
    _paragraph(container, signature.name, bold=True)


def _recipients(container, lines: list[str]) -> None:
    _paragraph(container, "Nơi nhận:", align="left", underline=True)
    for line in lines:
        _paragraph(container, line, align="left", size=12)


def _closing(word, doc: PartyDocument) -> None:
    signatures, recipients = doc.signatures, doc.recipient_lines
    spacer = word.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(10)
    if len(signatures) == 1:
        widths = [TEXT_WIDTH_MM * 0.48, TEXT_WIDTH_MM * 0.52]
        left, right = (_Cell(cell) for cell in _row(_table(word, widths, borders=False), widths))
        if recipients:
            _recipients(left, recipients)
        _signature(right, signatures[0])
        return
    if signatures:
        widths = [TEXT_WIDTH_MM / len(signatures)] * len(signatures)
        cells = _row(_table(word, widths, borders=False), widths)
        for cell, signature in zip(cells, signatures, strict=True):
            _signature(_Cell(cell), signature)
    if recipients:
        spacer = word.add_paragraph()
        spacer.paragraph_format.line_spacing = Pt(12)
        _recipients(word, recipients)

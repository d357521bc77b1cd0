"""The PDF of a PartyDocument (WeasyPrint, through doluong_dialogue.pdf: the shipped Liberation
Serif fonts, one FontConfiguration per process, one render at a time)."""

from doluong_dialogue import pdf
from doluong_dialogue.documents.content import PartyDocument

TEMPLATE = "documents/base_document.html"
ARCHIVAL = pdf.ARCHIVAL  # PDF/A-2b: what stored documents are kept as


def render_pdf(
    doc: PartyDocument, *, template: str = TEMPLATE, variant: str | None = None
) -> bytes:
    """The PDF bytes of `doc`. `template` may extend documents/base_document.html to add
    style (its extra_style block); what the document says stays in `doc`. `variant`:
    ARCHIVAL for the PDF/A file a stored document is kept as."""
    return pdf.render_pdf(template, {"doc": doc}, variant=variant)

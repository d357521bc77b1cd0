"""Party-format documents (Hướng dẫn 36-HD/VPTW): one content, a PDF and a Word copy.

This package imports no app; the apps build their documents with it. Import the names
below from `doluong_dialogue.documents` (they load on first use, so that the package may be
imported before Django's apps are ready).

1. Say what the document says, once::

       from doluong_dialogue import documents as d

       doc = d.PartyDocument(
           code="GM", title="Giấy mời hội nghị đối thoại", day=date(2026, 2, 5),
           number=None,                       # a draft: "Số      -GM/ĐU"
           type_name="GIẤY MỜI", summary="Tham dự hội nghị tiếp xúc, đối thoại với Nhân dân",
           body=[
               d.Addressee(("Ông/Bà Nguyễn Văn A",), notes=("Xóm Yên Thịnh",)),
               d.Paragraph("Thời gian: ", d.Run("07 giờ 30 phút", bold=True), ", …"),
               d.Heading("I. NỘI DUNG"), d.Item("Báo cáo …", number=1), d.Item("…"),
               d.Table(header=("TT", "Nội dung"), rows=(("1", "…"),), widths=(10, 90)),
               d.QRCode("https://…/y-kien/AB12CD/", lines=("Quét mã …",)),
               d.Paragraph("Trân trọng kính mời./.", keep_with_next=True),
           ],
           signatures=None,                   # None: the deployment's signer (T/M BAN THƯỜNG VỤ
                                              # / BÍ THƯ / name); minutes pass two Signatures
           recipients=d.standard_recipients("Như trên"),   # None: no "Nơi nhận" block
           final=False,                       # True once signed or issued: no Word copy
       )

   A letter (công văn) has no type_name and a `subject` ("V/v tiếp nhận, xử lý kiến nghị")
   under the number. The issuing body, place, code suffix and signer come from
   SiteConfiguration (`Issuer.current()`, `Signature.current()`) unless given.

2. Render it in the request, for what is quick and never stored::

       d.render_pdf(doc) -> bytes           # WeasyPrint, about 0.05 s a page
       d.render_pdf(doc, variant=d.ARCHIVAL)  # PDF/A-2b, for a file that is kept
       d.render_docx(doc) -> bytes          # python-docx; raises d.WordCopyRefused when final
       d.docx_response(doc, filename)       # the .docx as a download (drafts only)

3. Number it when it is issued, inside the transaction that stores the number::

       doc_number = d.next_number("GM")      # 1, 2, 3 … per type within d.current_term()

4. Or have a worker render and store it (signed notices, minutes): register a builder in
   the app's AppConfig.ready() …::

       d.register_builder("sessions.minutes", build_minutes,      # build(object_id) -> doc
                          may_read=lambda user, pk: …)            # status and "Thử lại"

   … ask for the PDF in the service's transaction (again whenever the draft changes) …::

       record = d.request_pdf(f"sessions.minutes:{m.pk}", builder="sessions.minutes",
                              object_id=m.pk, title="Biên bản …", version=str(m.revision))

   … show `{% include "documents/_status.html" with document=record download_url=url %}`
   on the page ("Đang tạo tệp PDF…", the link when ready, "Thử lại" when it failed), and
   serve the file from the app's own view after its permission check::

       return d.file_response(record)      # inline PDF, Vietnamese file name; 404 unless ready

   The record (d.RenderedDocument) holds the status, the file, its size and SHA-256, the
   error and the version it was rendered from. Stored PDFs are PDF/A-2b (d.ARCHIVAL).

5. A builder registered with `signed=True` makes a digitally signed PDF (signing.py: PAdES
   with the issuing body's certificate, a visible signature on the last page). Its record
   gets a `verification_code` when first asked for; the last page carries that code and a
   QR code to the public page /xac-thuc/<code>/ (verify.py), which shows the number, date,
   signer, SHA-256 and whether the signature is valid, and compares an uploaded copy with
   the original byte for byte. `d.stored_check(record)` is the stored file's signature
   check (signing.Validation: valid, message, …) for a staff page.
"""

from importlib import import_module

_NAMES = {
    "content": (
        "Addressee",
        "Figure",
        "Heading",
        "Issuer",
        "Item",
        "Paragraph",
        "PartyDocument",
        "QRCode",
        "Run",
        "Signature",
        "Table",
        "standard_recipients",
    ),
    "pdf": ("ARCHIVAL", "render_pdf"),
    "word": ("WordCopyRefused", "render_docx", "docx_response"),
    "numbers": ("Term", "current_term", "next_number"),
    "renders": ("register_builder", "request_pdf", "pdf_retry", "file_response"),
    "models": ("DocumentCounter", "RenderedDocument"),
    "verify": ("stored_check",),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

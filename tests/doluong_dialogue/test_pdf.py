"""The PDF renderer every Party document goes through, and the date line it prints."""

import subprocess
from datetime import date
from pathlib import Path

import pytest
import weasyprint

from doluong_dialogue import pdf
from doluong_dialogue.documents import PartyDocument

pytestmark = pytest.mark.django_db


def embedded_fonts(content: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    """(font name without its subset prefix, embedded yes/no) for each font in the PDF."""
    target = tmp_path / "document.pdf"
    target.write_bytes(content)
    lines = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        columns = line.split()
        fonts.append((columns[0].split("+", 1)[-1], columns[-5]))
    return fonts


def render_base_document() -> bytes:
    doc = PartyDocument(code="TB", title="Thông báo", day=date(2026, 2, 5), type_name="THÔNG BÁO")
    return pdf.render_pdf("documents/base_document.html", {"doc": doc})


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (date(2026, 11, 15), "ngày 15 tháng 11 năm 2026"),
        (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 9), "ngày 09 tháng 01 năm 2026"),
        (date(2026, 10, 10), "ngày 10 tháng 10 năm 2026"),
    ],
)
def test_party_date_puts_a_zero_before_days_under_10_and_months_1_and_2_only(day, expected):
    assert pdf.party_date(day) == expected


def test_party_date_line_starts_with_the_place():
    assert (
        pdf.party_date_line("Đô Lương", date(2026, 2, 5)) == "Đô Lương, ngày 05 tháng 02 năm 2026"
    )


def test_render_pdf_returns_a_pdf_document():
    content = render_base_document()
    assert content.startswith(b"%PDF-")


def test_documents_embed_only_the_shipped_liberation_serif(tmp_path):
    fonts = embedded_fonts(render_base_document(), tmp_path)
    names = {name for name, _embedded in fonts}
    # Regular for the body, bold for the issuing body, italic for the date line.
    assert names == {
        "Shipped-Liberation-Serif",
        "Shipped-Liberation-Serif-Bold",
        "Shipped-Liberation-Serif-Italic",
    }
    assert all(embedded == "yes" for _name, embedded in fonts)


def test_fonts_are_read_from_the_static_folder(monkeypatch):
    fetched = []
    original = weasyprint.urls.URLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", spy)
    pdf.font_configuration.cache_clear()  # a new configuration registers the fonts again
    render_base_document()
    static = pdf.static_folder()
    assert sorted(fetched) == sorted((static / name).as_uri() for name in pdf.FONT_FILES)
    assert all((static / name).is_file() for name in pdf.FONT_FILES)
    assert (static / "fonts" / "LICENSE-LiberationFonts.txt").is_file()


def test_rendering_twice_reuses_one_font_configuration(monkeypatch):
    used = []
    original = weasyprint.HTML.write_pdf

    def spy(self, *args, **kwargs):
        used.append(kwargs["font_config"])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spy)
    render_base_document()
    render_base_document()
    assert len(used) == 2
    assert used[0] is used[1] is pdf.font_configuration()


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://127.0.0.1:9/font.ttf", "data:text/plain,x"],
)
def test_documents_may_not_load_anything_but_static_files(url):
    with pytest.raises(ValueError):
        pdf._local_fetcher().fetch(url)


def test_a_static_font_can_be_fetched():
    url = (pdf.static_folder() / pdf.FONT_FILES[0]).as_uri()
    response = pdf._local_fetcher().fetch(url)
    try:
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        response.close()

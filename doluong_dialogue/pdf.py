"""Rendering the Party's documents to PDF (WeasyPrint), and the date line they carry.

Print templates stand alone under templates/documents/ (see base_document.html). They
load the Liberation Serif fonts shipped in static/fonts/ with @font-face, so a document
looks the same on a server with no system fonts at all; Liberation Serif has the metrics
of Times New Roman, which Hướng dẫn 36-HD/VPTW prescribes.

WeasyPrint is imported on first use: importing it costs about half a second, which web
processes that never render a document need not pay at start-up.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

# What base_document.html loads with @font-face; a test checks these end up embedded.
FONT_FILES = (
    "fonts/LiberationSerif-Regular.ttf",
    "fonts/LiberationSerif-Bold.ttf",
    "fonts/LiberationSerif-Italic.ttf",
    "fonts/LiberationSerif-BoldItalic.ttf",
)

# Stored documents (signed notices, finalised minutes and letters) are kept as PDF/A-2b, the
# archival PDF (ISO 19005-2, level B: the page looks the same in any reader, years on; every font
# embedded, colours in sRGB, no encryption, no outside content). Level 2 rather than 1 because
# a PAdES signature is an incremental update whose metadata pyHanko writes compressed, which
# PDF/A-1 forbids; 2 rather than 3 because these files carry no attachments, and PDF/A-3 exists
# only to allow attachments that are not themselves archival.
ARCHIVAL = "pdf/a-2b"

# One document at a time per process: the shared FontConfiguration is not documented as
# thread-safe, and a letter takes about 0.05 s, so threads waiting their turn cost little.
_render_lock = threading.Lock()


def party_date(day: date) -> str:
    """The date as Party documents write it: "ngày 05 tháng 02 năm 2026".

    Hướng dẫn 36-HD/VPTW: a zero before days under 10 and before months 1 and 2 only
    (so "tháng 3", "tháng 10"), which keeps a handwritten "1" from being added to them.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def party_date_line(place: str, day: date) -> str:
    """The place-and-date line under "ĐẢNG CỘNG SẢN VIỆT NAM": "Đô Lương, ngày 05 tháng 02
    năm 2026"."""
    return f"{place}, {party_date(day)}"


@lru_cache(maxsize=1)
def static_folder() -> Path:
    """The folder the shipped fonts are found in; print templates name files relative to it
    ("fonts/LiberationSerif-Regular.ttf"), so they load from disk with or without
    collectstatic."""
    found = finders.find(FONT_FILES[0])
    if not found:
        raise ImproperlyConfigured(f"{FONT_FILES[0]} is missing from the static files.")
    return Path(found).resolve().parent.parent


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """One FontConfiguration for the process: the @font-face fonts are registered with
    Fontconfig on the first render and found again by every later one."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


# Dropped while the interpreter is still whole, so that the configuration removes its temporary
# font folder (at interpreter shutdown its own clean-up finds its helpers already gone).
atexit.register(font_configuration.cache_clear)


def _local_fetcher():
    """A URL fetcher that reads only files under the static folder: a print template needs
    nothing else, and nothing in a document may reach the network or the rest of the disk."""
    from weasyprint.urls import URLFetcher

    root = static_folder()

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not path.is_relative_to(root):
                raise ValueError(f"print templates may load only static files, not {url}")
            return super().fetch(url, headers)

    return StaticFilesOnly(allowed_protocols={"file"})


def _html(template_name: str, context: dict[str, Any], request=None):
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=static_folder().as_uri() + "/", url_fetcher=_local_fetcher())


def render_pdf(
    template_name: str, context: dict[str, Any], request=None, *, variant: str | None = None
) -> bytes:
    """Render a print template (one extending documents/base_document.html) to PDF bytes;
    `variant=ARCHIVAL` for a PDF/A file."""
    document = _html(template_name, context, request)
    with _render_lock:
        return document.write_pdf(font_config=font_configuration(), pdf_variant=variant)


@dataclass(frozen=True)
class Placement:
    """Where an element landed: its page (0-based) and its box (x1, y1, x2, y2) in PDF points
    from the page's bottom-left, the coordinates a signature field is placed with."""

    page: int
    box: tuple[float, float, float, float]


def render_pdf_placing(
    template_name: str, context: dict[str, Any], anchor: str, *, variant: str | None = None
) -> tuple[bytes, Placement | None]:
    """The PDF bytes and where the element with id `anchor` was laid out (None if nowhere):
    the signed notice reserves a box for the visible signature this way."""
    document = _html(template_name, context)
    with _render_lock:
        rendered = document.render(font_config=font_configuration())
        content = rendered.write_pdf(pdf_variant=variant)
    placement = None
    for number, page in enumerate(rendered.pages):
        if anchor in page.anchors:
            left, top, right, bottom = page.anchors[anchor]
            # CSS pixels (1/96 in) from the top-left; PDF points (1/72 in) from the bottom-left.
            box = (
                left * 0.75,
                (page.height - bottom) * 0.75,
                right * 0.75,
                (page.height - top) * 0.75,
            )
            placement = Placement(page=number, box=box)
    return content, placement

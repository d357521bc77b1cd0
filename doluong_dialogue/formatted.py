"""Formatted text that staff type: one paragraph a line, **bold** and *italic*.

Conclusions and reports are written in a textarea with a small toolbar (static/js/
formatted.js) that wraps the selection in the marks. What is stored is that text; it is
turned into HTML for pages (`to_html`, escaped and then cleaned by nh3, so that no tag a
user typed ever reaches a page) and into the runs of a Party document (`to_runs`), so the
PDF and the Word copy read as the page does.

A line that starts with "- " stays a dash paragraph, as Party documents write lists.
"""

import re
from dataclasses import dataclass

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# **bold** first (so its stars are not read as two italics), then *italic*.
_MARK = re.compile(r"\*\*(?P<bold>[^*\n]+?)\*\*|(?<![*\w])\*(?P<italic>[^*\n]+?)\*(?![*\w])")
_ALLOWED_TAGS = {"p", "strong", "em"}


@dataclass(frozen=True)
class Piece:
    text: str
    bold: bool = False
    italic: bool = False


def lines(text: str) -> list[str]:
    """The paragraphs: each non-empty line, its outer spaces removed."""
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def pieces(line: str) -> list[Piece]:
    """A line cut into its plain, bold and italic pieces."""
    found, at = [], 0
    for mark in _MARK.finditer(line):
        if mark.start() > at:
            found.append(Piece(line[at : mark.start()]))
        if mark.group("bold") is not None:
            found.append(Piece(mark.group("bold"), bold=True))
        else:
            found.append(Piece(mark.group("italic"), italic=True))
        at = mark.end()
    if at < len(line):
        found.append(Piece(line[at:]))
    return found


def plain(text: str) -> str:
    """The text without its marks (for a search, an e-mail, a summary)."""
    return "\n".join("".join(piece.text for piece in pieces(line)) for line in lines(text))


def _piece_html(piece: Piece) -> str:
    html = escape(piece.text)
    if piece.italic:
        html = f"<em>{html}</em>"
    if piece.bold:
        html = f"<strong>{html}</strong>"
    return html


def to_html(text: str) -> SafeString:
    """Paragraphs of escaped text with <strong> and <em>; nothing else survives."""
    html = "".join(
        f"<p>{''.join(_piece_html(p) for p in pieces(line))}</p>" for line in lines(text)
    )
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}))


def to_runs(line: str, run_class):
    """A line as document runs (`doluong_dialogue.documents.Run`)."""
    return [run_class(piece.text, bold=piece.bold, italic=piece.italic) for piece in pieces(line)]

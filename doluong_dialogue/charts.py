"""Charts drawn on the server as SVG: the same markup on a page and in a PDF, no script, no
internet. Every text is escaped; the figures are also in the table the chart stands beside.

    charts.horizontal_bars([("Giao thông", 12, 7), ...], whole="tiếp nhận",
                           part="đã giải quyết", title="Kiến nghị theo lĩnh vực")
    charts.stacked_columns([("11/26", 9, 2), ...], whole="hoàn thành", part="chậm",
                           title="Hoàn thành theo tháng")

Both return an `<svg role="img">` with a <title> and a <desc> that reads the figures out.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe

GREY = "#90a4ae"
GREEN = "#2e7d32"
RED = "#c62828"
INK = "#333333"


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def _short(text: str, most: int) -> str:
    return text if len(text) <= most else f"{text[: most - 1]}…"


def horizontal_bars(
    rows: list[tuple[str, int, int]], *, whole: str, part: str, title: str
) -> SafeString:
    """One bar per row (label, whole, part): the whole in grey, the part in green over it."""
    label_width, bar_width, row_height = 330, 360, 26
    top = max((value for _label, value, _part in rows), default=0) or 1
    body = []
    for index, (label, value, share) in enumerate(rows):
        y = 8 + index * row_height
        full = round(bar_width * value / top)
        inner = round(bar_width * share / top)
        body += [
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end" font-size="10" '
            f'fill="{INK}">{escape(_short(label, 54))}</text>',
            f'<rect x="{label_width}" y="{y}" width="{full}" height="18" fill="{GREY}"/>',
            f'<rect x="{label_width}" y="{y + 5}" width="{inner}" height="8" fill="{GREEN}"/>',
            f'<text x="{label_width + full + 4}" y="{y + 13}" font-size="10" fill="{INK}">'
            f"{share}/{value}</text>",
        ]
    desc = "; ".join(f"{label}: {value} {whole}, {share} {part}" for label, value, share in rows)
    height = 16 + row_height * max(len(rows), 1)
    return _svg(label_width + bar_width + 60, height, title, desc, body)


def stacked_columns(
    columns: list[tuple[str, int, int]], *, whole: str, part: str, title: str
) -> SafeString:
    """One column per (label, whole, part): the whole in green, its part in red at the
    bottom; above it the share of the whole that is not the part, in per cent."""
    height, step, width = 120, 40, 28
    top = max((value for _label, value, _part in columns), default=0) or 1
    body = []
    for index, (label, value, share) in enumerate(columns):
        x = 10 + index * step
        full = round(height * value / top)
        inner = round(height * share / top)
        body += [
            f'<rect x="{x}" y="{10 + height - full}" width="{width}" height="{full}" '
            f'fill="{GREEN}"/>',
            f'<rect x="{x}" y="{10 + height - inner}" width="{width}" height="{inner}" '
            f'fill="{RED}"/>',
            f'<text x="{x + width // 2}" y="{height + 26}" text-anchor="middle" font-size="9" '
            f'fill="{INK}">{escape(label)}</text>',
        ]
        if value:
            good = round(100 * (value - share) / value)
            body.append(
                f'<text x="{x + width // 2}" y="{10 + height - full - 3}" text-anchor="middle" '
                f'font-size="9" fill="{INK}">{good}%</text>'
            )
    desc = "; ".join(f"{label}: {value} {whole}, {share} {part}" for label, value, share in columns)
    return _svg(20 + step * len(columns), height + 40, title, desc, body)

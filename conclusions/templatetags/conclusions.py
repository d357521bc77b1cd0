"""The conclusions' pages' vocabulary: one badge colour per status, formatted text."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from conclusions.models import Conclusion, Directive, ProgressReport, ReviewFlag
from doluong_dialogue import formatted as formatted_text

register = template.Library()

BADGES = {
    Conclusion: {
        Conclusion.Status.DRAFT: "text-bg-light border",
        Conclusion.Status.SUBMITTED: "text-bg-warning",
        Conclusion.Status.SIGNED: "text-bg-primary",
        Conclusion.Status.ISSUED: "text-bg-success",
    },
    Directive: {
        Directive.Status.PENDING: "text-bg-light border",
        Directive.Status.OPEN: "text-bg-primary",
        Directive.Status.REPORTED: "text-bg-info",
        Directive.Status.DONE: "text-bg-success",
    },
    ProgressReport: {
        ProgressReport.Status.SUBMITTED: "text-bg-warning",
        ProgressReport.Status.ACCEPTED: "text-bg-success",
        ProgressReport.Status.RETURNED: "text-bg-danger",
    },
    ReviewFlag: {
        ReviewFlag.Status.RAISED: "text-bg-warning",
        ReviewFlag.Status.CONSIDERED: "text-bg-primary",
        ReviewFlag.Status.CONCLUDED: "text-bg-success",
    },
}
_LABELS = {model: dict(model.Status.choices) for model in BADGES}


@register.simple_tag
def state_badge(item) -> str:
    """`{% state_badge conclusion %}`, a directive or a report: one colour per status."""
    model = type(item)
    return format_html(
        '<span class="badge text-wrap status-badge {}" data-status="{}">{}</span>',
        BADGES[model].get(item.status, "text-bg-secondary"),
        item.status,
        _LABELS[model].get(item.status, item.status),
    )


@register.filter
def formatted(text: str) -> str:
    """Staff's formatted text as safe HTML (doluong_dialogue.formatted)."""
    return formatted_text.to_html(text)


@register.filter
def bar_width(percent) -> int:
    """The width class of a progress bar: the percentage to the nearest 5 (no inline style
    under the Content-Security-Policy; static/css/app.css has the 21 widths)."""
    try:
        value = int(percent or 0)
    except (TypeError, ValueError):
        value = 0
    return max(0, min(100, 5 * round(value / 5)))


@register.filter
def register_total(row, kind: str) -> int:
    """`{{ row|register_total:"directive" }}`: a register row's overdue items of one kind."""
    return row.total(kind)


def _report_cell(n: int, cell) -> str:
    text = conditional_escape(cell)
    if n == 1:
        return f'<th scope="row" class="fw-normal">{text}</th>'
    return f'<td class="text-end">{text}</td>' if n > 1 else f"<td>{text}</td>"


@register.simple_tag
def report_rows(rows) -> str:
    """The body of a report table: the second cell of a row names it, the figures after it
    are right-aligned. Written here rather than as template code: a year's tables hold some
    700 cells, 10 ms of template work a page."""
    # Every cell is escaped (_report_cell).
    return mark_safe(
        "\n".join(
            "<tr>" + "".join(_report_cell(n, cell) for n, cell in enumerate(row)) + "</tr>"
            for row in rows
        )
    )

"""The petition pages' shared vocabulary: one badge per status, with one colour each."""

from django import template
from django.utils.html import format_html

from petitions.models import Assignment, Petition

register = template.Library()

# One colour per status, on every page.
PETITION_BADGES = {
    Petition.Status.RECEIVED: "text-bg-light border",
    Petition.Status.CLASSIFIED: "text-bg-info",
    Petition.Status.ASSIGNED: "text-bg-primary",
    Petition.Status.RETURNED: "text-bg-warning",
    Petition.Status.ANSWERED: "text-bg-success",
    Petition.Status.CLOSED: "text-bg-secondary",
    Petition.Status.ROUTED_OUT: "text-bg-dark",
}
ASSIGNMENT_BADGES = {
    Assignment.Status.OPEN: "text-bg-primary",
    Assignment.Status.ANSWERED: "text-bg-success",
    Assignment.Status.ACCEPTED: "text-bg-secondary",
    Assignment.Status.DECLINED: "text-bg-warning",
    Assignment.Status.CANCELLED: "text-bg-light border",
}
# Labels by value: get_FOO_display() rebuilds its whole choices mapping on every call.
_PETITION_LABELS = dict(Petition.Status.choices)
_OUTCOME_LABELS = dict(Petition.Outcome.choices)
_ASSIGNMENT_LABELS = dict(Assignment.Status.choices)


def petition_status_label(petition: Petition) -> str:
    """A closed petition is known by its outcome ("Đã giải quyết"), the others by status."""
    if petition.status == Petition.Status.CLOSED and petition.outcome:
        return str(_OUTCOME_LABELS.get(petition.outcome, petition.outcome))
    return str(_PETITION_LABELS.get(petition.status, petition.status))


@register.simple_tag
def status_badge(item) -> str:
    """`{% status_badge petition %}` or `{% status_badge assignment %}`."""
    if isinstance(item, Assignment):
        colour = ASSIGNMENT_BADGES.get(item.status, "text-bg-secondary")
        label = _ASSIGNMENT_LABELS.get(item.status, item.status)
    else:
        colour = PETITION_BADGES.get(item.status, "text-bg-secondary")
        label = petition_status_label(item)
    return format_html(
        '<span class="badge text-wrap status-badge {}" data-status="{}">{}</span>',
        colour,
        item.status,
        label,
    )

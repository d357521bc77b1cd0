from django import template
from django.utils.html import format_html

from sessions.models import DialogueSession

register = template.Library()

SESSION_BADGES = {
    DialogueSession.Status.PLANNED: "text-bg-light border",
    DialogueSession.Status.ANNOUNCED: "text-bg-primary",
    DialogueSession.Status.HELD: "text-bg-success",
    DialogueSession.Status.CONCLUDED: "text-bg-secondary",
    DialogueSession.Status.ARCHIVED: "text-bg-dark",
    DialogueSession.Status.POSTPONED: "text-bg-warning",
    DialogueSession.Status.CANCELLED: "text-bg-danger",
}
_LABELS = dict(DialogueSession.Status.choices)


@register.simple_tag
def session_badge(session) -> str:
    """`{% session_badge session %}`: one colour per status on every page."""
    return format_html(
        '<span class="badge status-badge {}" data-status="{}">{}</span>',
        SESSION_BADGES.get(session.status, "text-bg-secondary"),
        session.status,
        _LABELS.get(session.status, session.status),
    )


@register.simple_tag(takes_context=True)
def session_paperwork(context, session) -> bool:
    """`{% session_paperwork session as paperwork %}`: whether the user runs the session's
    paperwork (the Party's staff for the Party committee's, an organisation's staff for
    its own)."""
    from sessions.permissions import can_do_paperwork

    return can_do_paperwork(context["request"].user, session)


@register.inclusion_tag("sessions/_extra_tabs.html", takes_context=True)
def session_extra_tabs(context, session):
    """The tabs the apps above sessions add (sessions/tabs.py)."""
    from django.urls import reverse

    from sessions.tabs import tabs_for

    request = context["request"]
    match = request.resolver_match
    here = f"{match.namespace}:{match.url_name}" if match else ""
    return {
        "tabs": [
            {
                "label": tab.label,
                "url": reverse(tab.url_name, args=[session.pk]),
                "current": here in tab.current or here == tab.url_name,
            }
            for tab in tabs_for(request.user, session)
        ]
    }

from django import template

from doluong_dialogue import text

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A Vietnamese name reads family name first: "Nguyễn Thị Hồng Nhung"."""
    return text.person_name(user)


@register.simple_tag
def deadline_badge(state) -> str:
    """`{% deadline_badge state %}`: what a `DeadlineState` says (overdue N working days, due
    today, due soon), or nothing. A tag rather than an included template: lists show one
    per row."""
    from django.utils.html import format_html
    from django.utils.translation import gettext, ngettext

    if not state:
        return ""
    if state.overdue_days:
        label = ngettext(
            "Overdue %(days)s working day", "Overdue %(days)s working days", state.overdue_days
        ) % {"days": state.overdue_days}
        return format_html(
            '<span class="badge text-bg-danger" data-testid="overdue-badge">{}</span>', label
        )
    if state.due_today:
        return format_html('<span class="badge text-bg-warning">{}</span>', gettext("Due today"))
    if state.due_soon:
        return format_html('<span class="badge text-bg-warning">{}</span>', gettext("Due soon"))
    return ""


@register.filter
def figure(value) -> str:
    """A capped count as a page shows it: 1.234, or "more than 10,000" for None."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.translation import gettext

    from doluong_dialogue.paging import DEFAULT_CAP

    if value is None:
        return gettext("more than %(cap)s") % {"cap": intcomma(DEFAULT_CAP)}
    return intcomma(value)


# Pages of the conclusions app that the "Oversight" menu item leads to.
OVERSIGHT_PAGES = frozenset(
    {"oversight", "oversight_items", "flags", "flag", "flag_new", "letter", "reports"}
)
TAKE_IN_PAGES = frozenset({"new", "quick", "import"})


@register.simple_tag(takes_context=True)
def nav_section(context) -> str:
    """The main menu's item the page belongs to, decided here once rather than by each item.

    The reception days live under the sessions' URLs but have their own item; the pages of an
    organisation's conclusion belong, for the organisation's staff (who have no conclusions
    list), to its dialogue.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    namespace, name = match.namespace, match.url_name or ""
    if namespace == "sessions":
        return "reception" if name.startswith("reception") else "sessions"
    if namespace == "conclusions":
        if name in OVERSIGHT_PAGES:
            return "oversight"
        session = context.get("session") or getattr(context.get("conclusion"), "session", None)
        access = context.get("access")
        if getattr(session, "organiser_id", None) and not getattr(access, "read_all", False):
            return "sessions"
        return "conclusions"
    if namespace == "petitions":
        if name in TAKE_IN_PAGES:
            return "take_in"
        return {"list": "petitions", "inbox": "inbox"}.get(name, name)
    return name

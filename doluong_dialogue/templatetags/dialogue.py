from django import template

from doluong_dialogue import text

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A Vietnamese name reads family name first: "Nguyễn Thị Hồng Nhung"."""
    return text.person_name(user)


@register.filter
def figure(value) -> str:
    """A capped count as a page shows it: 1.234, or "more than 10,000" for None."""
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils.translation import gettext

    from doluong_dialogue.paging import DEFAULT_CAP

    if value is None:
        return gettext("more than %(cap)s") % {"cap": intcomma(DEFAULT_CAP)}
    return intcomma(value)

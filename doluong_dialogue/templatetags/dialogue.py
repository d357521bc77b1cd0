from django import template

from doluong_dialogue import text

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A Vietnamese name reads family name first: "Nguyễn Thị Hồng Nhung"."""
    return text.person_name(user)

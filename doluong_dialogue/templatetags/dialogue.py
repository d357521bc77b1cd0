from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A Vietnamese name reads family name first: "Nguyễn Thị Hồng Nhung"."""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()

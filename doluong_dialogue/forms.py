import calendar
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The username or password is not correct. Both are case-sensitive; "
            "after several failed attempts the login is locked for a while."
        ),
    }

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class DateInput(forms.DateInput):
    """A text box typed as dd/mm/yyyy (the browser's own date picker would use ISO dates)."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "title": _("Day/month/year, e.g. 05/03/2026"),
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})\s*$")


class DateField(forms.DateField):
    """A date typed as dd/mm/yyyy. A well-typed date that does not exist (31/02/2026) is
    said to not exist, rather than to be badly typed."""

    widget = DateInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, e.g. 05/03/2026."),
    }

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            found = _DAY_MONTH_YEAR.match(str(value or ""))
            if not found or error.code != "invalid":
                raise
            day, month, year = (int(part) for part in found.groups())
            if not 1 <= month <= 12:
                raise ValidationError(
                    _("Month %(month)s does not exist: a month is 1 to 12."),
                    code="no_such_date",
                    params={"month": month},
                ) from None
            raise ValidationError(
                _("%(value)s does not exist: month %(month)s of %(year)s has %(days)s days."),
                code="no_such_date",
                params={
                    "value": f"{day:02d}/{month:02d}/{year}",
                    "month": month,
                    "year": year,
                    "days": calendar.monthrange(year, month)[1],
                },
            ) from None


# The largest id a database column holds (a 64-bit integer).
LARGEST_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an id no column could hold refused as an invalid choice: SQLite raises
    OverflowError on a number past 64 bits, which would be a server error, not a form error."""

    def _check_values(self, value):
        for choice in value:
            text = str(choice).strip().lstrip("+-")
            if text.isdigit() and int(text) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": choice},
                )
        return super()._check_values(value)


class Renderer(DjangoTemplates):
    """Django's form renderer (settings.FORM_RENDERER), with the drop-down lists written out
    here: as templates, each option is an include of two templates, 0.2 ms a list's option
    (the oversight's filters, 80 options: 15 ms of a 50 ms page). The same HTML."""

    def render(self, template_name, context, request=None):
        if template_name == "django/forms/widgets/select.html":
            return _select(context["widget"])
        return super().render(template_name, context, request)


def _select(widget: dict) -> SafeString:
    groups = []
    for group_name, options, _index in widget["optgroups"]:
        html = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option["value"]), flatatt(option["attrs"]), option["label"])
                for option in options
            ),
        )
        groups.append(
            format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            if group_name
            else html
        )
    return format_html(
        '<select name="{}"{}>{}</select>',
        widget["name"],
        flatatt(widget["attrs"]),
        mark_safe("".join(groups)),
    )

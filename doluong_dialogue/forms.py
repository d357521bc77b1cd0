import calendar
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
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

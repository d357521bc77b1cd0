from django import forms
from django.contrib.auth.forms import AuthenticationForm
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

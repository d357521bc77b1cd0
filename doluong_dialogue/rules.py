"""How a service says no: `RuleError`, with a message for the user and, where it is about one
input, the name of that field, so that a view can put the message beside what was typed."""

from collections.abc import Iterable


class RuleError(Exception):
    """A business rule refused a change. `str()` is for the user, as it is.

    `field` names the input the rule is about (a form field or a service argument), or is
    None when the refusal is about the whole change. Several refusals found at once travel
    together as `errors` (see `RuleError.combine`).
    """

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.errors: list[RuleError] = [self]

    @classmethod
    def combine(cls, errors: Iterable["RuleError"]) -> "RuleError":
        errors = list(errors)
        if len(errors) == 1:
            return errors[0]
        combined = cls(" ".join(error.message for error in errors))
        combined.errors = errors
        return combined


def add_to_form(form, error: RuleError) -> None:
    """Show each refusal beside its field when the form has it, above the form otherwise."""
    for refusal in error.errors:
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.message)

"""The row validator: what is wrong with a row's texts themselves (required cells, lengths,
formats), each error with its Excel row and the column's title as the file names it.
Whether the names in a row mean anything is the mapper's job."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from petitions.importing.reader import SheetRow
from petitions.models import Petition

PEOPLE_MAX = 100_000


def model_limit(field: str) -> int:
    """A petition field's limit, as the model declares it."""
    return Petition._meta.get_field(field).max_length


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the column's title as the file writes it; empty for the date line
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


_PHONE = re.compile(r"[0-9+().\s-]{6,}")
# Cells whose length the model does not decide: they are matched or kept in a note.
_OTHER_LIMITS = {"topic": 300, "departments": 1000, "note": 2000}


def _limits() -> dict[str, int]:
    """Each column's limit; those stored on the petition are the model's."""
    return {
        "petitioner": model_limit("petitioner_name"),
        "phone": model_limit("petitioner_phone"),
        "address": model_limit("petitioner_address"),
        "content": model_limit("content"),
        **_OTHER_LIMITS,
    }


def validate_row(row: SheetRow, titles: dict[str, str]) -> list[RowError]:
    """What is wrong with the row's texts themselves (mapping is checked by the mapper)."""
    errors = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(row.number, titles.get(key, key), message))

    values = row.values
    if not values.get("petitioner"):
        error("petitioner", _("the petitioner is missing (a person, a group or an organisation)"))
    if not values.get("content"):
        error("content", _("the content of the petition is missing"))
    too_long = set()
    for key, limit in _limits().items():
        text = values.get(key, "")
        if key == "address":
            text = text.replace("\n", ", ")  # as the mapper keeps it
        if len(text) > limit:
            too_long.add(key)
            error(
                key,
                _("the text is too long (%(length)s characters; at most %(limit)s)")
                % {
                    "length": f"{len(text):,}".replace(",", "."),
                    "limit": f"{limit:,}".replace(",", "."),
                },
            )
    phone = values.get("phone", "")
    if phone and "phone" not in too_long and not _PHONE.fullmatch(phone):
        error("phone", _("“%(text)s” is not a phone number") % {"text": phone[:40]})
    people = values.get("people", "")
    if people and not (people.isdigit() and 1 <= int(people) <= PEOPLE_MAX):
        error("people", _("“%(text)s” is not a number of people") % {"text": people[:40]})
    return errors

"""The row validator: what is wrong with a row's texts themselves (required cells, lengths,
formats), each error with its Excel row and the column's title as the file names it.
Whether the names in a row mean anything is the mapper's job."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from petitions.importing.reader import SheetRow

CONTENT_MAX = 10_000
NAME_MAX = 200
ADDRESS_MAX = 300
PEOPLE_MAX = 100_000


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


_PHONE = re.compile(r"[0-9+().\s-]{6,20}")
_LIMITS = {
    "petitioner": NAME_MAX,
    "address": ADDRESS_MAX,
    "content": CONTENT_MAX,
    "topic": 300,
    "departments": 1000,
    "note": 2000,
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
    for key, limit in _LIMITS.items():
        text = values.get(key, "")
        if len(text) > limit:
            error(
                key,
                _("the text is too long (%(length)s characters; at most %(limit)s)")
                % {
                    "length": f"{len(text):,}".replace(",", "."),
                    "limit": f"{limit:,}".replace(",", "."),
                },
            )
    phone = values.get("phone", "")
    if phone and not _PHONE.fullmatch(phone):
        error("phone", _("“%(text)s” is not a phone number") % {"text": phone[:40]})
    people = values.get("people", "")
    if people and not (people.isdigit() and 1 <= int(people) <= PEOPLE_MAX):
        error("people", _("“%(text)s” is not a number of people") % {"text": people[:40]})
    return errors

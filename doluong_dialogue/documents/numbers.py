"""The register's numbers: each type of document is numbered from 1 in each term.

A Party committee numbers its documents per type within its term ("nhiệm kỳ", five years
from a congress): "Số 05-GM/ĐU" is the fifth invitation of the term. The term in force is
the one starting in SiteConfiguration.term_start_year, which the admin changes when a
congress opens a new term; its counters then start again from 1.
"""

from dataclasses import dataclass

from django.db import transaction

from doluong_dialogue.documents.models import DocumentCounter
from doluong_dialogue.models import SiteConfiguration

TERM_YEARS = 5


@dataclass(frozen=True)
class Term:
    start: int

    @property
    def end(self) -> int:
        return self.start + TERM_YEARS

    def __str__(self) -> str:
        return f"{self.start}-{self.end}"


def current_term() -> Term:
    """The term in force, e.g. 2025-2030."""
    return Term(SiteConfiguration.load().term_start_year)


def next_number(code: str, *, series_start: int | None = None) -> int:
    """Give the next number of type `code` ("GM") in the current term, and keep it taken.

    `series_start` counts from another start than the term's: a body that numbers its
    documents from 1 each calendar year (Nghị định 30/2020/NĐ-CP, Điều 15; the Front and
    the mass organisations) passes the year, with a code of its own ("TB-MTTQ").

    Call it inside the transaction that stores the number on the document: the counter row
    stays locked until that transaction ends, so two callers never get the same number,
    and a transaction that rolls back gives its number back (no gap).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number.")
    start = series_start if series_start is not None else current_term().start
    # get_or_create on a FOR UPDATE query locks the row it finds; a row another caller
    # inserts first is found again (and waited for) after the unique constraint refuses ours.
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        code=code, term_start=start
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number

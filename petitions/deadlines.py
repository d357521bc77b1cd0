"""What a deadline means today: overdue, due soon, or neither.

Computed from the stored date and today, never stored (overdue is not a state).
"""

from dataclasses import dataclass
from datetime import date

from doluong_dialogue import workdays

# "Due soon": the deadline falls within this many working days from today.
DUE_SOON_WORKING_DAYS = 3


def due_soon_until(today: date) -> date:
    return workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)


@dataclass
class DeadlineState:
    """What the badges say about a deadline: overdue by N days, or due soon."""

    overdue_days: int = 0
    due_soon: bool = False

    @classmethod
    def of(cls, deadline: date | None, is_open: bool, today: date, soon: date) -> "DeadlineState":
        """`soon` is `due_soon_until(today)`, computed once for a whole page."""
        if not is_open or deadline is None:
            return cls()
        if deadline < today:
            return cls(overdue_days=(today - deadline).days)
        return cls(due_soon=deadline <= soon)

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

"""The tallies of petitions and assignments (doluong_dialogue/tallies.py): what the home
pages of those who read everything and the overdue register sum instead of counting rows.

- "petition": every petition by status; those waiting for a unit (the only status whose
  deadline runs) also by lead unit and deadline — the overdue figure and its split by unit.
- "petition_letter": the acknowledgement letters owed, by the day each is due.
- "assignment": every assignment by lead unit and status; the running ones also by deadline —
  the overdue register's ageing buckets.

The migration that installs the triggers (0026_tallies) writes these same keys.
"""

from doluong_dialogue.tallies import TallySpec

# The statuses written in SQL: Petition.WAITING_FOR_UNIT and Assignment.RUNNING_STATUSES.
PETITION = TallySpec(
    name="petition",
    table="petitions_petition",
    columns=("status", "lead_department_id", "deadline"),
    unit="CASE WHEN {r}.status = 'assigned' THEN {r}.lead_department_id END",
    status="{r}.status",
    day="CASE WHEN {r}.status = 'assigned' THEN {r}.deadline END",
)
PETITION_LETTER = TallySpec(
    name="petition_letter",
    table="petitions_petition",
    columns=("acknowledgement_due", "acknowledged_on"),
    day="{r}.acknowledgement_due",
    where="{r}.acknowledged_on IS NULL AND {r}.acknowledgement_due IS NOT NULL",
)
ASSIGNMENT = TallySpec(
    name="assignment",
    table="petitions_assignment",
    columns=("status", "department_id", "deadline"),
    unit="{r}.department_id",
    status="{r}.status",
    day="CASE WHEN {r}.status = 'open' THEN {r}.deadline END",
)
TALLIES = (PETITION, PETITION_LETTER, ASSIGNMENT)

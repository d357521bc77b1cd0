"""The tallies of petitions and assignments (doluong_dialogue/tallies.py): what the home
pages of those who read everything and the overdue register sum instead of counting rows.

- "petition": every petition by status; those waiting for a unit (the only status whose
  deadline runs) also by lead unit and deadline — the overdue figure and its split by unit.
- "petition_letter": the acknowledgement letters owed, by the day each is due.
- "assignment": every assignment by lead unit and status; the running ones also by deadline —
  the overdue register's ageing buckets.

The migration that installs the triggers (0026_tallies) writes these same keys.

And two copies (doluong_dialogue/tallies.py, `CopySpec`) of an assignment's state: in its
petition-unit rows its lead unit, status, deadline and when it was done (migration 0029), so
a unit's inbox figures of what it supports read the unit's rows alone; in its extension
requests its petition and status (0030), so the extensions figure reads the pending
requests alone.
"""

from doluong_dialogue.tallies import CopySpec, TallySpec

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

UNIT_STATE = CopySpec(
    name="petition_unit_state",
    table="petitions_petitionunit",
    key="assignment_id",
    source="petitions_assignment",
    columns=(
        ("assignment_lead_id", "department_id"),
        ("assignment_status", "status"),
        ("deadline", "deadline"),
        ("done_at", "done_at"),
    ),
)
EXTENSION_STATE = CopySpec(
    name="extension_assignment_state",
    table="petitions_extensionrequest",
    key="assignment_id",
    source="petitions_assignment",
    columns=(("assignment_petition_id", "petition_id"), ("assignment_status", "status")),
)
COPIES = (UNIT_STATE, EXTENSION_STATE)

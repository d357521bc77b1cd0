"""The tallies of petitions and assignments (doluong_dialogue/tallies.py): what the home
pages of those who read everything and the overdue register sum instead of counting rows.

- "petition": every petition by status; those waiting for a unit (the only status whose
  deadline runs) also by lead unit and deadline — the overdue figure and its split by unit.
- "petition_letter": the acknowledgement letters owed, by the day each is due.
- "assignment": every assignment by lead unit and status; the running ones also by deadline —
  the overdue register's ageing buckets.
- "assignment_done": the assignments done, by lead unit, on time or late ("on_time",
  "late") and the day they were done — the oversight's on-time rates and their trend.
- "assignment_topic", "assignment_done_topic", and the same of "hamlet": the running
  assignments and those done, as above, within each topic or hamlet of their petition — the
  oversight narrowed to one.

The migrations that install the triggers (0026_tallies, 0032) write these same keys.

And copies (doluong_dialogue/tallies.py, `CopySpec`) of an assignment's state: in its
petition-unit rows its lead unit, status, deadline and when it was done (migration 0029), so
a unit's inbox figures of what it supports read the unit's rows alone; in its extension
requests its petition and status (0030), so the extensions figure reads the pending
requests alone. And a copy of a petition's topic and hamlet in its assignments (0032), so the
oversight narrowed to one of them reads the assignments' indexes alone.
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
ASSIGNMENT_DONE = TallySpec(
    name="assignment_done",
    table="petitions_assignment",
    columns=("department_id", "done_at", "done_on_time"),
    unit="{r}.department_id",
    status="CASE WHEN {r}.done_on_time THEN 'on_time' ELSE 'late' END",
    day="{day:done_at}",
    where="{r}.done_at IS NOT NULL AND {r}.done_on_time IS NOT NULL",
)


def by_place(place: str, column: str) -> tuple[TallySpec, TallySpec]:
    """The running assignments by deadline, and those done by day, as above, within each
    topic or hamlet of their petition (`column`, the assignment's copy of it): the status
    names the figure and the place ("open:3", "on_time:3", "late:3")."""
    return (
        TallySpec(
            name=f"assignment_{place}",
            table="petitions_assignment",
            columns=("status", "department_id", "deadline", column),
            unit="{r}.department_id",
            status=f"'open:' || {{r}}.{column}",
            day="{r}.deadline",
            where=f"{{r}}.status = 'open' AND {{r}}.{column} IS NOT NULL",
        ),
        TallySpec(
            name=f"assignment_done_{place}",
            table="petitions_assignment",
            columns=("department_id", "done_at", "done_on_time", column),
            unit="{r}.department_id",
            status=(
                f"CASE WHEN {{r}}.done_on_time THEN 'on_time:' ELSE 'late:' END || {{r}}.{column}"
            ),
            day="{day:done_at}",
            where=(
                f"{{r}}.done_at IS NOT NULL AND {{r}}.done_on_time IS NOT NULL "
                f"AND {{r}}.{column} IS NOT NULL"
            ),
        ),
    )


BY_TOPIC = by_place("topic", "petition_topic_id")
BY_HAMLET = by_place("hamlet", "petition_hamlet_id")
TALLIES = (PETITION, PETITION_LETTER, ASSIGNMENT, ASSIGNMENT_DONE, *BY_TOPIC, *BY_HAMLET)

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
PETITION_OF_ASSIGNMENT = CopySpec(
    name="assignment_petition_state",
    table="petitions_assignment",
    key="petition_id",
    source="petitions_petition",
    columns=(("petition_topic_id", "topic_id"), ("petition_hamlet_id", "residential_unit_id")),
)
COPIES = (UNIT_STATE, EXTENSION_STATE, PETITION_OF_ASSIGNMENT)

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
- "received_topic", "received_due_topic", the same of "hamlet", "assignment_given" and
  "assignment_given_due": the reports' statistics by month (see `received_by`).

The migrations that install the triggers (0026_tallies, 0032, 0033) write these same keys.

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

# The reports' statistics (conclusions/reports.py), by month: what each topic or hamlet
# received, in the state it is in today ("resolved", "closed" otherwise, "handling"), and
# those still handled by their deadline, the month received as their status (2026-05-01).
# Merged duplicates and complaints routed out are not counted.
COUNTED_PETITION = "{r}.duplicate_of_id IS NULL AND {r}.status <> 'routed_out'"


def received_by(place: str, column: str) -> tuple[TallySpec, TallySpec]:
    """The petitions of each topic or hamlet (`column`) by month received and state, and
    those still handled by deadline."""
    return (
        TallySpec(
            name=f"received_{place}",
            table="petitions_petition",
            columns=("status", "outcome", "duplicate_of_id", "received_on", column),
            unit=f"{{r}}.{column}",
            status=(
                "CASE WHEN {r}.status <> 'closed' THEN 'handling' "
                "WHEN {r}.outcome = 'resolved' THEN 'resolved' ELSE 'closed' END"
            ),
            day="{month:received_on}",
            where=COUNTED_PETITION,
        ),
        TallySpec(
            name=f"received_due_{place}",
            table="petitions_petition",
            columns=("status", "duplicate_of_id", "received_on", "deadline", column),
            unit=f"{{r}}.{column}",
            status="{month_text:received_on}",
            day="{r}.deadline",
            where=(
                f"{COUNTED_PETITION} AND {{r}}.status <> 'closed' AND {{r}}.deadline IS NOT NULL"
            ),
        ),
    )


RECEIVED_BY_TOPIC = received_by("topic", "topic_id")
RECEIVED_BY_HAMLET = received_by("hamlet", "residential_unit_id")
# The units' table: the assignments given in each month by lead unit, done on time, late or
# not ("undone"); the running ones by deadline, the month given as their status.
ASSIGNMENT_GIVEN = TallySpec(
    name="assignment_given",
    table="petitions_assignment",
    columns=("department_id", "done_on_time", "assigned_on"),
    unit="{r}.department_id",
    status=(
        "CASE WHEN {r}.done_on_time THEN 'on_time' "
        "WHEN NOT {r}.done_on_time THEN 'late' ELSE 'undone' END"
    ),
    day="{month:assigned_on}",
)
ASSIGNMENT_GIVEN_DUE = TallySpec(
    name="assignment_given_due",
    table="petitions_assignment",
    columns=("department_id", "status", "assigned_on", "deadline"),
    unit="{r}.department_id",
    status="{month_text:assigned_on}",
    day="{r}.deadline",
    where="{r}.status = 'open'",
)
TALLIES = (
    PETITION,
    PETITION_LETTER,
    *RECEIVED_BY_TOPIC,
    *RECEIVED_BY_HAMLET,
    ASSIGNMENT,
    ASSIGNMENT_DONE,
    *BY_TOPIC,
    *BY_HAMLET,
    ASSIGNMENT_GIVEN,
    ASSIGNMENT_GIVEN_DUE,
)

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

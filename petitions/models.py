import hashlib
import secrets
import uuid
from datetime import date, datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineItem, DeadlineQuerySet, due_soon_q, overdue_q
from doluong_dialogue.events import Event


class Topic(models.Model):
    """A field of petitions (lĩnh vực), grouped as in section II.3 of the plan."""

    class Group(models.TextChoices):
        ECONOMY = "economy", _("Economy")
        CULTURE_SOCIETY = "culture_society", _("Culture and society")
        SECURITY_DEFENCE = "security_defence", _("Security and defence")
        POLITICAL_SYSTEM = "political_system", _("Political system")

    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: how lists from other bodies name this topic."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    """How a petition reached the Party committee."""

    FRONT = "front", _("Fatherland Front committee")
    FARMERS = "farmers", _("Farmers' Union")
    WOMEN = "women", _("Women's Union")
    YOUTH = "youth", _("Youth Union")
    VETERANS = "veterans", _("Veterans' Association")
    PARTY_CELL = "party_cell", _("Party cell")
    HAMLET = "hamlet", _("Hamlet official")
    DIRECT = "direct", _("Directly")
    SESSION = "session", _("At a dialogue session")
    # Only the reception register makes these (a visit's petition); intake and import do not
    # offer it, so that every "tiếp dân" petition has its line in the register.
    RECEPTION = "reception", _("At a citizen reception")

    @classmethod
    def intake_choices(cls) -> list[tuple[str, str]]:
        """The channels a petition typed in or imported may have."""
        return [(value, label) for value, label in cls.choices if value != cls.RECEPTION]


class DepartmentQuerySet(models.QuerySet):
    def active(self) -> "DepartmentQuerySet":
        return self.filter(is_active=True)


class Department(models.Model):
    """An agency that answers petitions (cơ quan, đơn vị, ban, phòng, ngành) and its members."""

    class Kind(models.TextChoices):
        PARTY = "party", _("Party bodies")
        GOVERNMENT = "government", _("Government")
        ARMED = "armed", _("Police and military")
        FRONT = "front", _("Front and mass organisations")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("sector"), max_length=20, choices=Kind.choices)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("One per line: how lists from other bodies name this department."),
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Receives the daily digest of deadlines.")
    )
    channel = models.CharField(
        _("petition channel"),
        max_length=20,
        choices=Channel.choices,
        blank=True,
        help_text=_(
            "For the Front and mass organisations: the channel their members' petitions "
            "arrive through. Leave empty for other units."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="departments",
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class ResidentialUnit(models.Model):
    """A hamlet (xóm) or town block (khối) of the commune."""

    class Kind(models.TextChoices):
        HAMLET = "xom", _("Hamlet")
        BLOCK = "khoi", _("Block")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HAMLET)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_residential_unit")
        ]
        verbose_name = _("residential unit")
        verbose_name_plural = _("residential units")

    def __str__(self) -> str:
        # Not get_kind_display(): it rebuilds the choices' mapping on every call, and the
        # list names every hamlet twice on each page.
        return f"{_RESIDENTIAL_KINDS.get(self.kind, self.kind)} {self.name}"


_RESIDENTIAL_KINDS = dict(ResidentialUnit.Kind.choices)


def _fold(text: str) -> str:
    from doluong_dialogue.text import fold_words

    return fold_words(text)


def intake_fingerprint(petitioner_name: str, content: str) -> str:
    """Who raised a petition and what it says, folded (no accents, case or punctuation) and
    hashed: the same petition listed again has the same fingerprint, however it was typed."""
    folded = f"{_fold(petitioner_name)}\n{_fold(content)}"
    return hashlib.sha256(folded.encode()).hexdigest()


class ReceiptCounter(models.Model):
    """The last receipt number issued in a year: KN-2026-000123."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PetitionQuerySet(models.QuerySet):
    """The lists behind every figure: a home page's tile, a dashboard's table, the list's
    filter and the export all ask these, so a figure and its list cannot disagree."""

    def open(self) -> "PetitionQuerySet":
        return self.filter(status__in=Petition.OPEN_STATUSES)

    def closed(self) -> "PetitionQuerySet":
        return self.filter(status=Petition.Status.CLOSED)

    def to_assign(self) -> "PetitionQuerySet":
        return self.filter(status__in=Petition.ASSIGNABLE_STATUSES)

    def overdue(self, *, on: date) -> "PetitionQuerySet":
        return self.filter(Petition.overdue_condition(on))

    def due_soon(self, *, on: date, until: date | None = None) -> "PetitionQuerySet":
        return self.filter(Petition.due_soon_condition(on, until))

    def acknowledgement_pending(self) -> "PetitionQuerySet":
        return self.filter(acknowledgement_due__isnull=False, acknowledged_on__isnull=True)

    def acknowledgement_overdue(self, *, on: date) -> "PetitionQuerySet":
        return self.filter(Petition.acknowledgement_overdue_condition(on))

    def with_pending_extension(self) -> "PetitionQuerySet":
        return self.filter(Petition.pending_extension_condition())

    def primaries(self) -> "PetitionQuerySet":
        return self.filter(duplicate_of__isnull=True)


class Petition(models.Model):
    """An opinion a resident raised (kiến nghị, phản ánh, đề xuất), from intake to its result."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request")
        FEEDBACK = "feedback", _("Feedback")
        PROPOSAL = "proposal", _("Proposal")
        COMPLAINT = "complaint", _("Complaint")
        DENUNCIATION = "denunciation", _("Denunciation")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        PRESSING = "pressing", _("Pressing")

    Channel = Channel

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CLASSIFIED = "classified", _("Classified")
        ASSIGNED = "assigned", _("Assigned")
        RETURNED = "returned", _("Returned for reassignment")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        ROUTED_OUT = "routed_out", _("Routed to the complaint procedure")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        IN_PROGRESS = "in_progress", _("Being resolved")
        SCHEDULED = "scheduled", _("Will be resolved")
        FORWARDED = "forwarded", _("Forwarded to a higher level")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    OPEN_STATUSES = (
        Status.RECEIVED,
        Status.CLASSIFIED,
        Status.ASSIGNED,
        Status.RETURNED,
        Status.ANSWERED,
    )
    # What each step accepts; services enforce them and pages offer the step accordingly.
    ASSIGNABLE_STATUSES = (Status.CLASSIFIED, Status.RETURNED)
    CLASSIFIABLE_STATUSES = OPEN_STATUSES
    # With a unit that has not answered yet: the only status whose deadline runs.
    WAITING_FOR_UNIT = Status.ASSIGNED
    LEGAL_PROCEDURE_KINDS = (Kind.COMPLAINT, Kind.DENUNCIATION)

    code = models.CharField(_("receipt code"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REQUEST)
    summary = models.CharField(_("summary"), max_length=300)
    content = models.TextField(_("full content"), max_length=10_000)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )

    petitioner_name = models.CharField(_("petitioner"), max_length=200)
    petitioner_phone = models.CharField(_("phone"), max_length=20, blank=True)
    petitioner_address = models.CharField(_("address"), max_length=300, blank=True)
    residential_unit = models.ForeignKey(
        ResidentialUnit,
        verbose_name=_("residential unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_group = models.BooleanField(_("raised by a group or an organisation"), default=False)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    total_people = models.PositiveIntegerField(
        _("people who raised the issue"),
        default=1,
        help_text=_("This petition's people plus those of the duplicates merged into it."),
    )
    hide_identity = models.BooleanField(_("hide identity from departments"), default=False)

    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    submitted_by_department = models.ForeignKey(
        Department,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_petitions",
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # The open assignment, kept on the petition so lists filter and sort on one table.
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_petitions",
        db_index=False,  # petition_lead_idx starts with it
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    scheduled_for = models.DateField(_("to be resolved by"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    legal_channel_note = models.TextField(_("legal channel"), blank=True)

    # Quy định 11-QĐi/TW: the petitioner is told in writing within 10 working days.
    acknowledgement_due = models.DateField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledgement sent on"), null=True, blank=True)

    search_text = models.TextField(editable=False, default="")
    search_person = models.TextField(editable=False, default="")
    # `intake_fingerprint()`: a list imported again finds the petitions it repeats.
    intake_fingerprint = models.CharField(max_length=64, editable=False, default="", db_index=True)
    import_batch = models.ForeignKey(
        "ImportBatch",
        verbose_name=_("imported from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # first in petition_entered_idx
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            models.Index(fields=["-received_on", "-id"], name="petition_received_idx"),
            models.Index(fields=["deadline", "id"], name="petition_deadline_idx"),
            # With the id and the day (PostgreSQL): the filters, their counts and a few
            # matches sorted newest first read the index alone, the unit filter's
            # supporting part included (it tests the id).
            models.Index(
                fields=["status", "topic", "lead_department", "deadline"],
                name="petition_filter_idx",
                include=["id", "received_on"],
            ),
            models.Index(fields=["residential_unit", "received_on"], name="petition_unit_idx"),
            # With the id: a unit's petitions are counted from the index alone.
            models.Index(fields=["lead_department", "id"], name="petition_lead_idx"),
            # The reports' tables by topic and hamlet: a year of a province (half a million
            # petitions) grouped from the index alone, 3.4 s → 0.2 s.
            models.Index(
                fields=["received_on"],
                name="petition_report_idx",
                include=["id", "status", "topic", "residential_unit", "outcome", "deadline"],
                condition=models.Q(duplicate_of__isnull=True),
            ),
            models.Index(fields=["-urgency", "-received_on", "-id"], name="petition_urgency_idx"),
            # What a unit owes (overdue, due soon), overall and by lead unit.
            models.Index(
                fields=["deadline", "id"],
                name="petition_waiting_idx",
                condition=Q(status="assigned"),
            ),
            models.Index(
                fields=["lead_department", "deadline"],
                name="petition_waiting_lead_idx",
                condition=Q(status="assigned"),
            ),
            # The lists behind those figures, newest first.
            models.Index(
                fields=["-received_on", "-id", "deadline"],
                name="petition_waiting_new_idx",
                condition=Q(status="assigned"),
            ),
            models.Index(
                fields=["-received_on", "-id", "acknowledgement_due"],
                name="petition_letter_new_idx",
                condition=Q(acknowledged_on__isnull=True, acknowledgement_due__isnull=False),
            ),
            # The acknowledgement letters owed.
            models.Index(
                fields=["acknowledgement_due", "received_on", "id"],
                name="petition_letter_owed_idx",
                condition=Q(acknowledged_on__isnull=True, acknowledgement_due__isnull=False),
            ),
            # The open and the closed ones in the order of their ids: a unit's share of them
            # (the Front's home figures) is counted by merging these with its petition-unit
            # rows, which are in the same order (`PetitionUnit`'s reach index).
            models.Index(
                fields=["id"],
                name="petition_open_ids_idx",
                condition=Q(
                    status__in=["received", "classified", "assigned", "returned", "answered"]
                ),
            ),
            models.Index(
                fields=["id"], name="petition_closed_ids_idx", condition=Q(status="closed")
            ),
            # What a user entered, and for whom: whether a Front user entered any petition
            # their organisations did not submit is read from the index alone.
            models.Index(
                fields=["created_by", "submitted_by_department"], name="petition_entered_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.summary}"

    def refresh_search(self) -> None:
        """The folded words search matches: what the petition says and its topic's name."""
        topic = self.topic.name if self.topic_id else ""
        self.search_text = _fold(" ".join([self.code, self.summary, self.content, topic]))
        self.search_person = _fold(
            " ".join([self.petitioner_name, self.petitioner_phone, self.petitioner_address])
        )

    def refresh_fingerprint(self) -> None:
        self.intake_fingerprint = intake_fingerprint(self.petitioner_name, self.content)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def follows_legal_procedure(self) -> bool:
        return self.kind in self.LEGAL_PROCEDURE_KINDS

    @property
    def is_pressing(self) -> bool:
        return self.urgency == self.Urgency.PRESSING

    @property
    def is_routed_out(self) -> bool:
        return self.status == self.Status.ROUTED_OUT

    @property
    def has_answer(self) -> bool:
        """A unit answered; the outcome is still to be recorded."""
        return self.status == self.Status.ANSWERED

    @property
    def has_outcome(self) -> bool:
        """Closed with an outcome of its own (a merged duplicate follows its primary's)."""
        return self.status == self.Status.CLOSED and not self.duplicate_of_id

    @property
    def address_line(self) -> str:
        """The address as a letter or a page writes it: the address, then the hamlet or block
        when the address does not already name it; "" when neither is known."""
        address = self.petitioner_address
        unit = self.residential_unit if self.residential_unit_id else None
        if unit is not None and unit.name.casefold() not in address.casefold():
            address = f"{address}, {unit}" if address else str(unit)
        return address

    @property
    def waits_for_unit(self) -> bool:
        """A unit owes the answer: the petition's deadline is running."""
        return self.status == self.WAITING_FOR_UNIT

    @property
    def can_be_assigned(self) -> bool:
        return self.status in self.ASSIGNABLE_STATUSES and not self.follows_legal_procedure

    @property
    def can_be_classified(self) -> bool:
        return self.status in self.CLASSIFIABLE_STATUSES and not self.follows_legal_procedure

    @property
    def can_be_closed(self) -> bool:
        return self.is_open and not self.follows_legal_procedure

    # The conditions behind the figures; the QuerySet methods of the same names apply them.

    @staticmethod
    def overdue_condition(on: date) -> Q:
        """A unit owes the answer and its deadline has passed (the petition's deadline is
        its running assignment's)."""
        return Q(status=Petition.WAITING_FOR_UNIT) & overdue_q("deadline", on)

    @staticmethod
    def due_soon_condition(on: date, until: date | None = None) -> Q:
        return Q(status=Petition.WAITING_FOR_UNIT) & due_soon_q("deadline", on, until)

    @staticmethod
    def acknowledgement_overdue_condition(on: date) -> Q:
        return Q(acknowledged_on__isnull=True) & overdue_q("acknowledgement_due", on)

    @staticmethod
    def pending_extension_condition() -> Q:
        return Q(pk__in=ExtensionRequest.objects.to_decide().values("assignment_petition_id"))


class AssignmentQuerySet(DeadlineQuerySet):
    def active(self) -> "AssignmentQuerySet":
        """Not returned, cancelled or accepted: waiting for the answer or its review."""
        return self.filter(status__in=[Assignment.Status.OPEN, Assignment.Status.ANSWERED])

    def for_units(self, unit_ids) -> "AssignmentQuerySet":
        """Led or supported by these units (a subquery: no join, no DISTINCT)."""
        return self.led_by(unit_ids) | self.supported_by(unit_ids)

    def led_by(self, unit_ids) -> "AssignmentQuerySet":
        return self.filter(department__in=unit_ids)

    def supported_by(self, unit_ids) -> "AssignmentQuerySet":
        """Supported by these units and led by another (`PetitionUnit.objects.supported_by`,
        the rows the inbox figures count): with `led_by`, `for_units` in two parts that share
        no row, each answered by an index."""
        supported = PetitionUnit.objects.supported_by(unit_ids)
        return self.filter(pk__in=supported.values("assignment_id"))


class Assignment(DeadlineItem):
    """A unit asked to prepare the answer to a petition (giao chuẩn bị trả lời), by a deadline
    in working days; its members answer it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the answer")
        ANSWERED = "answered", _("Answer under review")
        ACCEPTED = "accepted", _("Answer accepted")
        DECLINED = "declined", _("Returned as not our remit")
        CANCELLED = "cancelled", _("Cancelled")

    RUNNING_STATUSES = (Status.OPEN,)
    COUNTED_FROM = "assigned_on"

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("petition")
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    supporting_departments = models.ManyToManyField(
        Department,
        verbose_name=_("supporting departments"),
        related_name="supporting_assignments",
        blank=True,
    )
    instructions = models.TextField(_("instructions"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    declined_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The petition's topic and hamlet, copied by database triggers (petitions/tallies.py,
    # PETITION_OF_ASSIGNMENT): the oversight's figures for one topic or hamlet read the
    # assignments' own indexes, without a join to the petitions. Never written by Django.
    petition_topic_id = models.IntegerField(null=True, editable=False)
    petition_hamlet_id = models.IntegerField(null=True, editable=False)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["department", "status", "deadline"]),
            # What a unit answered lately (the inbox's second tab).
            models.Index(fields=["department", "done_at"], name="assignment_done_idx"),
            # The inbox's pages in their order: walked until the unit's rows fill a page.
            models.Index(fields=["status", "deadline", "id"], name="assignment_due_idx"),
            # With the unit and whether on time: the oversight's on-time rates by month and
            # by unit read the index alone (PostgreSQL).
            models.Index(
                fields=["-done_at", "-id"],
                name="assignment_recent_idx",
                include=["department", "done_on_time"],
            ),
            # The reports' table of units: what was given in the period, and its state.
            models.Index(
                fields=["assigned_on"],
                name="assignment_given_idx",
                include=["id", "department", "done_on_time", "status", "deadline"],
            ),
            # What a unit supports, or what an extension request is about, is found by id:
            # its state and petition are read from the index alone (the inbox figures, the
            # extensions figure; PostgreSQL).
            models.Index(
                fields=["id"],
                name="assignment_state_idx",
                include=["department", "status", "deadline", "done_at", "petition"],
            ),
            # The oversight narrowed to a topic or a hamlet: what runs by its deadline (the
            # overdue register) and what was done by when (the on-time rates and their
            # trend), each read from the index alone (PostgreSQL).
            models.Index(
                fields=["petition_topic_id", "deadline"],
                name="assignment_topic_due_idx",
                include=["department"],
                condition=models.Q(status="open"),  # RUNNING_STATUSES
            ),
            models.Index(
                fields=["petition_topic_id", "done_at"],
                name="assignment_topic_done_idx",
                include=["department", "done_on_time"],
                condition=models.Q(done_on_time__isnull=False),
            ),
            models.Index(
                fields=["petition_hamlet_id", "deadline"],
                name="assignment_hamlet_due_idx",
                include=["department"],
                condition=models.Q(status="open"),  # RUNNING_STATUSES
            ),
            models.Index(
                fields=["petition_hamlet_id", "done_at"],
                name="assignment_hamlet_done_idx",
                include=["department", "done_on_time"],
                condition=models.Q(done_on_time__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition.code} → {self.department}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ANSWERED)

    @property
    def was_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def awaits_review(self) -> bool:
        return self.status == self.Status.ANSWERED


class PetitionUnitQuerySet(models.QuerySet):
    def supported_by(self, unit_ids) -> "PetitionUnitQuerySet":
        """The rows of what these units support and another unit leads, one per assignment,
        with the assignment's state copied in (the lead's too)."""
        return self.filter(department__in=unit_ids, role=PetitionUnit.Role.SUPPORTING).exclude(
            assignment_lead_id__in=unit_ids
        )

    def assigned(self) -> "PetitionUnitQuerySet":
        """The units assignments name, leading or supporting (not the submitting ones)."""
        return self.filter(role__in=PetitionUnit.ASSIGNED_ROLES)

    def record_submitter(self, petition: "Petition", *, new: bool = False) -> None:
        """Make the petition's submitted row say what `submitted_by_department` says: one row
        for the organisation that submitted it, none when nobody did. The services that set
        or change the submitting organisation call it in their transaction (`new`: the
        petition was just created and has no row yet)."""
        department = petition.submitted_by_department_id
        if not new:
            submitted = self.filter(petition=petition, role=PetitionUnit.Role.SUBMITTED)
            submitted.exclude(department=department).delete()
            if submitted.filter(department=department).exists():
                return
        if department:
            self.create(
                petition=petition, department_id=department, role=PetitionUnit.Role.SUBMITTED
            )


class PetitionUnit(models.Model):
    """A unit with a petition it may see, and why: the lead or a supporting unit an
    assignment names, or the organisation that submitted the petition. Who may see a
    petition and the list's unit filter read this one indexed table (the supporting units'
    table has no petition, and an OR across tables, or across the petition's own columns, is
    one no index serves).

    An assignment's rows are written with it by `petition_assign`, and only the copies of
    its state change after; the submitted row mirrors `Petition.submitted_by_department`
    and is kept so by the services that set it (`record_submitter`)."""

    class Role(models.TextChoices):
        LEAD = "lead"
        SUPPORTING = "supporting"
        SUBMITTED = "submitted"

    # The roles an assignment names: a unit's members see and answer these petitions.
    ASSIGNED_ROLES = (Role.LEAD, Role.SUPPORTING)

    # None for the submitting organisation's row.
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, related_name="+"
    )
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    # Indexed first in both indexes below.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    # The assignment's lead unit, status, deadline and when it was done, copied by database
    # triggers (petitions/tallies.py, UNIT_STATE) and NULL for the submitted row: what a
    # unit supports is counted from its own rows, by one index, without reading the
    # assignments. Never written by Django.
    assignment_lead_id = models.IntegerField(null=True, editable=False)
    assignment_status = models.CharField(  # noqa: DJ001 (NULL: no assignment)
        max_length=20, null=True, editable=False
    )
    deadline = models.DateField(null=True, editable=False)
    done_at = models.DateTimeField(null=True, editable=False)

    objects = PetitionUnitQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "department"], name="unique_petition_unit"
            ),
            # A petition has one submitting organisation (the petition's own column).
            models.UniqueConstraint(
                fields=["petition"],
                condition=Q(role="submitted"),
                name="unique_submitted_petition_unit",
            ),
            models.CheckConstraint(
                condition=Q(role="submitted", assignment__isnull=True)
                | (~Q(role="submitted") & Q(assignment__isnull=False)),
                name="petition_unit_assignment_unless_submitted",
            ),
        ]
        indexes = [
            # A unit's rows of one role (the visibility of a department user, the list's
            # unit filter), with the assignment's state: the inbox figures of what a unit
            # supports read the index alone (PostgreSQL).
            models.Index(
                fields=["department", "role", "petition", "assignment"],
                name="petition_unit_department_idx",
                include=["assignment_lead_id", "assignment_status", "deadline", "done_at"],
            ),
            # A unit's petitions in the order of their ids, whatever the role: merged with
            # the petitions' own indexes, a Front user's figures stop at the cap.
            models.Index(fields=["department", "petition"], name="petition_unit_reach_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} → {self.department_id} ({self.role})"


class SearchKeys(models.Model):
    """What a search may ask of a petition, as the words of one GIN-indexed vector
    (PostgreSQL; the table stays empty elsewhere): every beginning of the words of its text,
    the same of its petitioner's words marked "p:" ("h:" when the identity is withheld),
    and its state as keys with a colon, which no word has — "status:closed", "topic:6",
    "lead:3", "unit:supporting:5" (from its petition-unit rows). A common word with a status, a
    topic or a unit is then one intersection of index entries, where the petition table
    meant reading tens of thousands of its rows (petitions/search_keys.py).

    Written only by database triggers on the petitions and their petition-unit rows
    (migration 0031), in the transaction of every change; the nightly `recount_tallies`
    repairs any difference. Never written by Django."""

    petition = models.OneToOneField(
        Petition,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The petition's, for a page of many matches sorted without reading the petitions.
    received_on = models.DateField(editable=False)
    status = models.CharField(max_length=20, editable=False)
    keys = SearchVectorField(editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["-received_on", "-petition"], name="search_keys_received_idx"),
            # One status's newest first: the closed petitions are the old ones, so a walk
            # of all petitions newest first meets them late.
            models.Index(
                fields=["status", "-received_on", "-petition"], name="search_keys_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}"


class Answer(models.Model):
    """A department's answer; staff accept it or return it for rework."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for rework")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("answered at"), default=clock.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.assignment} ({self.get_status_display()})"

    @property
    def awaits_review(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ExtensionRequestQuerySet(models.QuerySet):
    def to_decide(self) -> "ExtensionRequestQuerySet":
        """Waiting for a decision while the assignment still runs: what the home figure of
        extensions counts (by petition) and `Petition.pending_extension_condition` lists."""
        return self.filter(
            status=ExtensionRequest.Status.PENDING,
            assignment_status__in=Assignment.RUNNING_STATUSES,
        )


class ExtensionRequest(models.Model):
    """A department asks for a later deadline; staff approve or refuse."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=clock.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # The assignment's petition and status, copied by database triggers (petitions/tallies.py,
    # EXTENSION_STATE): the petitions with a request to decide are read from the pending
    # requests alone. Never written by Django.
    assignment_petition_id = models.IntegerField(null=True, editable=False)
    assignment_status = models.CharField(  # noqa: DJ001 (NULL until the trigger fills it)
        max_length=20, null=True, editable=False
    )

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        indexes = [
            # The requests waiting for a decision (the home figure and its list), without
            # reading the decided ones, which only grow; with the copies of the assignment's
            # state, the petitions they are about are read from the index alone.
            models.Index(
                fields=["assignment"],
                name="extension_pending_idx",
                condition=models.Q(status="pending"),
                include=["assignment_status", "assignment_petition_id"],
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} → {self.requested_deadline:%d/%m/%Y}"

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.PENDING


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"petitions/{instance.petition_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class AnswerTemplate(models.Model):
    """A ready wording departments start from, per topic."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="answer_templates"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["topic", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title


class PetitionEvent(Event):
    """One row per change of a petition: the audit trail and its visible timeline."""

    SUBJECT = "petition"

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        EDITED = "edited", _("Edited")
        CLASSIFIED = "classified", _("Classified")
        ASSIGNED = "assigned", _("Assigned")
        DECLINED = "declined", _("Returned as not our remit")
        ANSWERED = "answered", _("Answered")
        ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
        ANSWER_RETURNED = "answer_returned", _("Answer returned for rework")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REFUSED = "extension_refused", _("Extension refused")
        DEADLINE_RECOUNTED = "deadline_recounted", _("Deadline recounted")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        MERGED = "merged", _("Merged as a duplicate")
        DUPLICATE_ADDED = "duplicate_added", _("Duplicate merged in")
        ROUTED_OUT = "routed_out", _("Routed to the complaint procedure")
        ACKNOWLEDGED = "acknowledged", _("Acknowledgement sent")
        ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
        URGED = "urged", _("Urging letter sent")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta(Event.Meta):
        verbose_name = _("petition event")
        verbose_name_plural = _("petition events")

    def __str__(self) -> str:
        return f"{self.petition_id} {self.kind}"

    @property
    def detail(self) -> str:
        return self.department.name if self.department_id else ""


def _batch_token() -> str:
    return secrets.token_hex(16)


class ImportBatchQuerySet(models.QuerySet):
    def imported(self) -> "ImportBatchQuerySet":
        return self.filter(status=ImportBatch.Status.IMPORTED)

    def unconfirmed_before(self, moment: datetime) -> "ImportBatchQuerySet":
        """Uploads left waiting (or cancelled) since before `moment`."""
        return self.exclude(status=ImportBatch.Status.IMPORTED).filter(created_at__lt=moment)


class ImportBatch(models.Model):
    """One Excel list uploaded for import: it waits for its uploader's confirmation, then is
    imported exactly once or cancelled. Its petitions point to it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    class DuplicateAction(models.TextChoices):
        SKIP = "skip", _("Skip them")
        MERGE = "merge", _("Import each and merge it into the petition it repeats")
        NEW = "new", _("Import them as new petitions")

    token = models.CharField(max_length=64, unique=True, default=_batch_token, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # In the default storage until the batch is imported or cancelled.
    file_path = models.CharField(_("stored file"), max_length=300, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # The options chosen on the upload form.
    channel = models.CharField(_("received through"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Department,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    duplicate_action = models.CharField(
        _("rows repeating a petition"), max_length=20, choices=DuplicateAction.choices, blank=True
    )
    # Rows not imported: [{"row": 9, "code": "KN-2026-000123", "same_as_row": null,
    # "reason": "skipped" | "routed_out"}].
    skipped_rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["status", "created_at"], name="import_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class PetitionExport(models.Model):
    """The petition list's Excel file, built by a worker when it is too long to build in the
    request (petitions/exports.py), and kept for its requester a few days.

    `query` is the list's filters as the requester chose them; the rows are read when the
    file is built, with what the requester may see then.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be built")
        RUNNING = "running", _("Being built")
        READY = "ready", pgettext_lazy("document", "Ready")
        FAILED = "failed", pgettext_lazy("document", "Failed")
        EXPIRED = "expired", _("Removed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    query = models.TextField(_("filters"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=clock.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("petition list export")
        verbose_name_plural = _("petition list exports")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="petition_export_user_idx"),
            models.Index(fields=["status", "created_at"], name="petition_export_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.requested_by_id}: {self.query or '-'} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY and bool(self.file)

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

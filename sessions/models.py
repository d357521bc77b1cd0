"""Dialogue sessions (kỳ tiếp xúc, đối thoại với Nhân dân): the year's plan, each session's
preparation, its agenda of petitions, invitations and announcement, what was said at it, and its
minutes (plan section III.6).

Lifecycle: planned → announced → held → concluded → archived; postponed (with a new date) or
cancelled before it is held. Every change of state is a service in sessions/services.py that
writes a `SessionEvent`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doluong_dialogue import clock
from doluong_dialogue.events import Event
from petitions.models import Department, Petition, ResidentialUnit, Topic


class DialogueSessionQuerySet(models.QuerySet):
    def upcoming(self, *, on) -> "DialogueSessionQuerySet":
        """Still to be held, from `on` on (postponed ones at their new date)."""
        return self.filter(held_on__gte=on, status__in=DialogueSession.PLANNING_STATUSES)

    def of_year(self, year: int) -> "DialogueSessionQuerySet":
        return self.filter(held_on__year=year)

    def to_prepare(self) -> "DialogueSessionQuerySet":
        """Planned, announced or postponed: not yet held, not cancelled."""
        return self.filter(status__in=DialogueSession.PLANNING_STATUSES)

    def held(self) -> "DialogueSessionQuerySet":
        """Held, whether concluded and archived since or not."""
        return self.filter(status__in=DialogueSession.HELD_STATUSES)

    def of_organisations(self) -> "DialogueSessionQuerySet":
        """Held by the Front or a mass organisation with its own members (plan IV.2)."""
        return self.filter(organiser__isnull=False)

    def of_party_committee(self) -> "DialogueSessionQuerySet":
        return self.filter(organiser__isnull=True)

    def minutes_waiting(self) -> "DialogueSessionQuerySet":
        """Held, and its minutes not yet finalised."""
        return self.filter(status=DialogueSession.Status.HELD).exclude(
            minutes__status=Minutes.Status.FINAL
        )


class DialogueSession(models.Model):
    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic")
        THEMATIC = "thematic", _("Thematic")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class HalfYear(models.IntegerChoices):
        FIRST = 1, _("First half of the year")
        SECOND = 2, _("Second half of the year")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ANNOUNCED = "announced", _("Announced")
        HELD = "held", _("Held")
        CONCLUDED = "concluded", _("Concluded")
        ARCHIVED = "archived", _("Archived")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Chair(models.TextChoices):
        SECRETARY = "secretary", _("Party Secretary")
        COUNCIL = "council", _("Chair of the People's Council")
        COMMITTEE = "committee", _("Chair of the People's Committee")
        ORGANISATION = "organisation", _("Head of the organisation")

    # Before it is held: the session is still being prepared and may move.
    PLANNING_STATUSES = (Status.PLANNED, Status.ANNOUNCED, Status.POSTPONED)
    HELD_STATUSES = (Status.HELD, Status.CONCLUDED, Status.ARCHIVED)
    # What may be announced (again, after a postponement).
    ANNOUNCEABLE_STATUSES = (Status.PLANNED, Status.POSTPONED)

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half_year = models.PositiveSmallIntegerField(
        _("half of the year"), choices=HalfYear.choices, null=True, blank=True
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="dialogue_sessions"
    )
    pressing_issue = models.TextField(_("pressing issue"), blank=True)
    decided_by = models.CharField(
        _("decided by"),
        max_length=200,
        blank=True,
        help_text=_("For an ad-hoc session: who decided to hold it (Thường trực Đảng ủy)."),
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.CharField(
        _("chaired by"), max_length=20, choices=Chair.choices, default=Chair.SECRETARY
    )
    secretary_name = models.CharField(_("Party Secretary"), max_length=120, blank=True)
    council_chair_name = models.CharField(
        _("Chair of the People's Council"), max_length=120, blank=True
    )
    committee_chair_name = models.CharField(
        _("Chair of the People's Committee"), max_length=120, blank=True
    )
    organiser = models.ForeignKey(
        Department,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_organised",
        limit_choices_to={"kind": "front"},
        help_text=_(
            "Empty: the commune Party committee. Otherwise the Front or the mass organisation "
            "that holds the dialogue with its own members (plan section IV.2)."
        ),
    )
    organiser_head_name = models.CharField(
        _("head of the organisation"), max_length=120, blank=True
    )
    participating_units = models.ManyToManyField(
        Department,
        verbose_name=_("participating units"),
        blank=True,
        related_name="sessions_taking_part",
    )
    advisory_unit = models.ForeignKey(
        Department,
        verbose_name=_("advisory unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_advised",
        help_text=_("Đơn vị tham mưu: prepares the session with the units concerned."),
    )
    target_audience = models.TextField(
        _("who is invited to speak"),
        blank=True,
        help_text=_("Plan section II.2: Party cells, officials, members and residents…"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    short_notice_reason = models.TextField(_("reason for the short notice"), blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    attendance = models.PositiveIntegerField(_("people attending"), null=True, blank=True)
    attending_units = models.ManyToManyField(
        Department,
        verbose_name=_("units attending"),
        blank=True,
        related_name="sessions_attended",
    )
    petitions = models.ManyToManyField(
        Petition, through="AgendaItem", related_name="dialogue_sessions", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DialogueSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")
        indexes = [models.Index(fields=["status", "held_on"], name="session_status_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def is_being_prepared(self) -> bool:
        return self.status in self.PLANNING_STATUSES

    @property
    def can_be_announced(self) -> bool:
        return self.status in self.ANNOUNCEABLE_STATUSES

    @property
    def agenda_open(self) -> bool:
        """Petitions may still be put to it (also while it is held: raised on the spot)."""
        return self.status not in (
            self.Status.CANCELLED,
            self.Status.CONCLUDED,
            self.Status.ARCHIVED,
        )

    def can_be_held(self, *, on) -> bool:
        return self.status == self.Status.ANNOUNCED and on >= self.held_on

    @property
    def is_under_way(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def was_held(self) -> bool:
        return self.status in (self.Status.HELD, self.Status.CONCLUDED, self.Status.ARCHIVED)

    @property
    def chair_name(self) -> str:
        return {
            self.Chair.SECRETARY: self.secretary_name,
            self.Chair.COUNCIL: self.council_chair_name,
            self.Chair.COMMITTEE: self.committee_chair_name,
            self.Chair.ORGANISATION: self.organiser_head_name,
        }[self.chair]

    @property
    def chair_title(self) -> str:
        """The chair's title as the pages name it: an organisation's head by its own title
        ("Chủ tịch Ủy ban MTTQ Việt Nam xã"), not the generic choice's label."""
        if self.organiser_id:
            from sessions.organisers import style_of

            return style_of(self.organiser).head_label
        return str(self.get_chair_display())

    @property
    def is_organisations(self) -> bool:
        """Held by the Front or a mass organisation, not by the Party committee."""
        return self.organiser_id is not None

    @property
    def organiser_name(self) -> str:
        return self.organiser.name if self.organiser_id else ""

    @property
    def presiding(self) -> list[tuple[str, str]]:
        """The leaders who answer at the session (plan section II.1), (title, name); at an
        organisation's dialogue, its own head."""
        if self.organiser_id:
            from sessions.organisers import style_of

            head = style_of(self.organiser).head_label
            return [(head, self.organiser_head_name)] if self.organiser_head_name else []
        leaders = [
            (self.Chair.SECRETARY.label, self.secretary_name),
            (self.Chair.COUNCIL.label, self.council_chair_name),
            (self.Chair.COMMITTEE.label, self.committee_chair_name),
        ]
        return [(str(title), name) for title, name in leaders if name]


class SessionEvent(Event):
    """One row per change of a session: its timeline."""

    SUBJECT = "session"

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        EDITED = "edited", _("Edited")
        ANNOUNCED = "announced", _("Announced")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        CONCLUDED = "concluded", _("Concluded")
        ARCHIVED = "archived", _("Archived")
        AGENDA_CHANGED = "agenda_changed", _("Agenda changed")
        STEP_DONE = "step_done", _("Preparation step done")
        INVITATION_ISSUED = "invitation_issued", _("Invitation issued")
        ATTENDANCE = "attendance", _("Attendance recorded")
        MINUTES_FINALISED = "minutes_finalised", _("Minutes finalised")
        ATTACHMENT_ADDED = "attachment_added", _("Document attached")
        SURVEY = "survey", _("Survey set up")
        FORWARDED = "forwarded", _("Proposals forwarded to the commune")

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("session event")
        verbose_name_plural = _("session events")

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind}"


def session_file_path(instance: "SessionAttachment", filename: str) -> str:
    return f"sessions/{instance.session_id}/{uuid.uuid4().hex}/{filename}"


class SessionAttachment(models.Model):
    """A document kept with the session (its plan, a report, a photo of the hall)."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=session_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")

    def __str__(self) -> str:
        return self.original_name


class AgendaItem(models.Model):
    """A petition put to a session (prepared for it, or raised at it)."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="agenda_items"
    )
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="agenda_items")
    raised_at_session = models.BooleanField(_("raised at the session"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    dialogued = models.BooleanField(_("dialogued at the session"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "petition"], name="unique_agenda_item")
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.petition_id}"


class PreparationStep(models.Model):
    """A step of the plan's preparation (section III.6.1), done by someone on a day."""

    class Step(models.TextChoices):
        PLAN = "plan", _("Session plan drawn up")
        COLLECTION = "collection", _("Opinions and petitions collected")
        CLASSIFICATION = "classification", _("Petitions classified")
        ASSIGNMENT = "assignment", _("Units assigned to prepare the answers")
        ANNOUNCEMENT = "announcement", _("Residents told of the session")
        LOGISTICS = "logistics", _("Hall, documents and equipment ready")

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="preparation_steps"
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), default=clock.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "done_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "step"], name="unique_preparation_step")
        ]
        verbose_name = _("preparation step")
        verbose_name_plural = _("preparation steps")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.step}"


class Invitation(models.Model):
    """The Giấy mời of a session: one numbered letter for each invitee, or one with a list."""

    class Mode(models.TextChoices):
        EACH = "each", _("One invitation for each invitee")
        LIST = "list", _("One invitation with the list of invitees")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    session = models.OneToOneField(
        DialogueSession, on_delete=models.CASCADE, related_name="invitation"
    )
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.EACH)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # In list mode the letter's number; in "each" mode every invitee has its own.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    note = models.TextField(
        _("note to the invitees"),
        blank=True,
        help_text=_("E.g. “Đề nghị đại biểu đến đúng giờ, mang theo tài liệu được gửi kèm.”"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.session}: {self.get_status_display()}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Invitee(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit")
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        HAMLET = "hamlet", _("Hamlet representative")

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="invitees")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    residential_unit = models.ForeignKey(
        ResidentialUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["invitation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "name"], name="unique_invitee_name"
            )
        ]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")

    def __str__(self) -> str:
        return self.name


class Speech(models.Model):
    """What one person raised at the session, and the answer given on the spot.

    `client_id` is made by the capture page when the speech is typed: sending it again (a
    dropped connection, a double click) updates the same row.
    """

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="speeches")
    client_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    speaker = models.CharField(_("speaker"), max_length=200)
    speaker_from = models.CharField(
        _("hamlet or unit"),
        max_length=200,
        blank=True,
        help_text=_("Where the speaker lives or which unit they speak for."),
    )
    raised = models.TextField(_("what was raised"), max_length=10_000)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speeches",
    )
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speeches",
    )
    answer = models.TextField(_("answer given"), max_length=10_000, blank=True)
    answered_by = models.CharField(_("answered by"), max_length=200, blank=True)
    dialogued = models.BooleanField(_("dialogued"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "order", "id"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")

    def __str__(self) -> str:
        return f"{self.speaker}: {self.raised[:40]}"


class Minutes(models.Model):
    """The minutes (Biên bản) of a session: drawn up from what was recorded, edited until
    finalised, then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Finalised")

    session = models.OneToOneField(
        DialogueSession, on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField(_("text of the minutes"), max_length=50_000)
    recorder_name = models.CharField(_("recorded by"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    number = models.PositiveIntegerField(
        _("number"), null=True, blank=True, help_text=_("Given when the minutes are finalised.")
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.session}: {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


# The attendees' survey (phiếu lấy ý kiến, plan section III.6.2.3). The questions are asked on
# the five-point scale as printed on the paper form: 1 = very satisfied … 5 = very dissatisfied.
DEFAULT_SURVEY_QUESTIONS = [
    "Hội nghị được thông báo đủ sớm để Ông/Bà sắp xếp tham dự",
    "Ông/Bà được trình bày đầy đủ ý kiến, kiến nghị của mình",
    "Các ý kiến trả lời rõ ràng, đúng trọng tâm",
    "Mức độ hài lòng chung của Ông/Bà về hội nghị",
]
# Printed and typed as the number of the answer; the online form shows the same order.
SCALE = {
    1: "Rất hài lòng",
    2: "Hài lòng",
    3: "Bình thường",
    4: "Không hài lòng",
    5: "Rất không hài lòng",
}
# The same answers in the interface's language.
SCALE_LABELS = {
    1: _("Very satisfied"),
    2: _("Satisfied"),
    3: _("Neutral"),
    4: _("Dissatisfied"),
    5: _("Very dissatisfied"),
}
SATISFIED = (1, 2)


class Survey(models.Model):
    """A session's survey of its attendees: the questions (from the default template, edited
    while no answer has come), the short code of its public address /y-kien/<code>/, and the
    period when the online form is open. The last question is the overall satisfaction."""

    session = models.OneToOneField(DialogueSession, on_delete=models.CASCADE, related_name="survey")
    code = models.CharField(_("short code"), max_length=12, unique=True)
    questions = models.JSONField(_("questions"), default=list)
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("open until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return f"{self.session}: {self.code}"

    def state(self, *, at) -> str:
        """ "not_open", "open" or "closed" at the moment `at`."""
        if at < self.opens_at:
            return "not_open"
        if at >= self.closes_at:
            return "closed"
        return "open"


class SurveyResponse(models.Model):
    """One filled-in form, online or typed from paper. Nothing in it names the person: no
    name, telephone, ID number or address of a device is kept; `token` is a random number
    the online form was given, so that sending it twice records it once."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")

    class AgeGroup(models.TextChoices):
        UNDER_30 = "under_30", _("Under 30")
        FROM_30_TO_60 = "30_60", _("30 to 60")
        OVER_60 = "over_60", _("Over 60")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField(_("answers"), default=list)  # 1…5 or None, one per question
    suggestion = models.TextField(_("suggestions"), max_length=2000, blank=True)
    hamlet = models.ForeignKey(
        ResidentialUnit,
        verbose_name=_("hamlet or block"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    token = models.CharField(max_length=40, unique=True, null=True, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.pk}"


class ReceptionDayQuerySet(models.QuerySet):
    def of_month(self, year: int, month: int) -> "ReceptionDayQuerySet":
        return self.filter(held_on__year=year, held_on__month=month)

    def upcoming(self, *, on) -> "ReceptionDayQuerySet":
        return self.filter(held_on__gte=on, cancelled=False)

    def active(self) -> "ReceptionDayQuerySet":
        return self.filter(cancelled=False)

    def regular(self) -> "ReceptionDayQuerySet":
        """The days of the schedule, which the monthly minimum counts (not the ad-hoc ones)."""
        return self.filter(ad_hoc=False)

    def held(self, *, on) -> "ReceptionDayQuerySet":
        """Days that took place: not cancelled, on or before `on`, and with a visit recorded
        or marked held by the office (a day when no citizen came is still a day held)."""
        visited = ReceptionVisit.objects.filter(day=models.OuterRef("pk"))
        return self.filter(cancelled=False, held_on__lte=on).filter(
            models.Q(marked_held=True) | models.Exists(visited)
        )


class ReceptionDay(models.Model):
    """A day the Secretary receives citizens in person (Quy định 11-QĐi/TW, amended by
    Kết luận 215-KL/TW): scheduled, at least RECEPTION_DAYS_PER_MONTH a month, or ad hoc."""

    class Reason(models.TextChoices):
        PRESSING = "pressing", _("The case is pressing")
        COMPLEX = "complex", _("The case is complex")
        MANY_PEOPLE = "many_people", _("Many people are involved")
        SERIOUS = "serious", _("It could cause serious consequences")

    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=200)
    ad_hoc = models.BooleanField(_("ad hoc"), default=False)
    ad_hoc_reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    marked_held = models.BooleanField(_("marked held"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    objects = ReceptionDayQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "starts_at"]
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} {self.starts_at:%H:%M}"


class ReceptionVisit(models.Model):
    """One line of the reception register (Sổ tiếp công dân, Thông tư 04/2021/TT-TTCP,
    Mẫu 03)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        DENUNCIATION = "denunciation", _("Denunciation")
        # "Kiến nghị" in the register (Thông tư 04/2021/TT-TTCP, Mẫu 03).
        PROPOSAL = "proposal", pgettext_lazy("reception register", "Proposal")
        FEEDBACK = "feedback", _("Feedback")

    day = models.ForeignKey(ReceptionDay, on_delete=models.PROTECT, related_name="visits")
    number = models.PositiveIntegerField(_("number"))
    visitor_name = models.CharField(_("name"), max_length=200)
    visitor_address = models.CharField(_("address"), max_length=300, blank=True)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    content = models.TextField(_("summary of the content"), max_length=5000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    handled_before_by = models.CharField(
        _("body that has handled it before"), max_length=300, blank=True
    )
    within_remit = models.BooleanField(_("within the committee's remit"), default=True)
    guidance = models.TextField(_("guidance given or transfer made"), blank=True)
    follow_up = models.TextField(_("follow-up of the result"), blank=True)
    petition = models.OneToOneField(
        Petition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reception_visit",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["day__held_on", "number"]
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")

    def __str__(self) -> str:
        return f"{self.number}. {self.visitor_name}"

    @property
    def follow_up_shown(self) -> str:
        """The register's follow-up as typed by the office, else the outcome its petition was
        closed with (with the note that explains it); "" while neither is known."""
        if self.follow_up:
            return self.follow_up
        petition = self.petition
        if petition is None or not petition.has_outcome or not petition.outcome:
            return ""
        label = str(petition.get_outcome_display())
        return f"{label}: {petition.outcome_note}" if petition.outcome_note else label

"""Conclusions (kết luận) of dialogue sessions and their follow-up (plan section III.6.3).

Conclusion: draft → submitted (trình ký) → signed (numbered "Số 12-TB/ĐU", frozen, its
notice rendered, signed digitally and hashed) → issued (sent to the recipients); a submitted
draft returned with the Secretary's comment goes back to draft.

Directive ("5 rõ": who leads, who supports, what, by when, how it is reported): a working-day
deadline like an assignment (`DeadlineItem`); pending until the notice is issued, then open
until its lead unit's completion report is accepted.

A signed conclusion and its directives' words never change: the model refuses to save them
(`FrozenConclusion`), and on the database a trigger refuses the update (see the migration
`0002_frozen_when_signed`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineItem, DeadlineQuerySet
from doluong_dialogue.events import Event
from petitions.models import Department, Petition
from sessions.models import DialogueSession


class FrozenConclusion(Exception):
    """A change to a signed conclusion or to its directives' words."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "A signed conclusion cannot be changed.")


FROZEN_STATUSES = ("signed", "issued")

# What may still change once a conclusion is signed: its issue, and its timestamps.
CONCLUSION_OPEN_FIELDS = frozenset({"status", "issued_on", "issued_by", "updated_at"})
# What may still change on a directive of a signed conclusion: its follow-up. A deadline
# counted in working days is counted from the issue date, so it is set at issue (and
# recounted when the calendar changes); a deadline given as a date never moves.
DIRECTIVE_OPEN_FIELDS = frozenset(
    {"status", "done_at", "done_on_time", "progress", "counted_from_day", "deadline"}
)


class ConclusionQuerySet(models.QuerySet):
    def frozen(self) -> "ConclusionQuerySet":
        return self.filter(status__in=FROZEN_STATUSES)

    def to_sign(self) -> "ConclusionQuerySet":
        return self.filter(status=Conclusion.Status.SUBMITTED)

    def to_issue(self) -> "ConclusionQuerySet":
        return self.filter(status=Conclusion.Status.SIGNED)

    def issued(self) -> "ConclusionQuerySet":
        return self.filter(status=Conclusion.Status.ISSUED)

    def update(self, **fields):
        if set(fields) - CONCLUSION_OPEN_FIELDS and self.frozen().exists():
            raise FrozenConclusion()
        return super().update(**fields)

    def delete(self):
        if self.frozen().exists():
            raise FrozenConclusion()
        return super().delete()


class Conclusion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for signature")
        SIGNED = "signed", _("Signed")
        ISSUED = "issued", _("Issued")

    session = models.OneToOneField(
        DialogueSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="conclusion",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(_("summary line"), max_length=300)
    # The sections of plan section III.6.2.1, as formatted text (doluong_dialogue.formatted).
    opening = models.TextField(_("opening"), max_length=5_000, blank=True)
    dialogued = models.TextField(_("what was dialogued"), max_length=20_000, blank=True)
    not_dialogued = models.TextField(_("what was not dialogued"), max_length=20_000, blank=True)
    resolved = models.TextField(_("what is resolved"), max_length=20_000, blank=True)
    in_progress = models.TextField(
        _("what is being and will be resolved"), max_length=20_000, blank=True
    )
    closing = models.TextField(_("closing"), max_length=5_000, blank=True)
    recipient_units = models.ManyToManyField(
        Department, verbose_name=_("recipient units"), blank=True, related_name="+"
    )
    other_recipients = models.TextField(
        _("other recipients"),
        max_length=2_000,
        blank=True,
        help_text=_("One a line, as printed under “Nơi nhận”."),
    )
    review_comment = models.TextField(_("the Secretary's comment"), blank=True)
    version = models.PositiveIntegerField(default=1)

    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    # The series the number belongs to: "TB", the Party committee's notices, numbered from 1
    # in each term; or an organisation's ("TB-MTTQ"), numbered from 1 each year.
    series = models.CharField(max_length=12, default="TB", editable=False)
    # The term (or, for an organisation's series, the year) the number belongs to.
    term_start = models.PositiveSmallIntegerField(null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    signer_authority = models.CharField(max_length=80, blank=True)
    signer_title = models.CharField(max_length=80, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=120, blank=True)

    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), default=clock.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConclusionQuerySet.as_manager()

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["-session__held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "term_start", "number"],
                condition=models.Q(number__isnull=False),
                name="conclusion_number_once_a_series",
            )
        ]

    def __str__(self) -> str:
        if self.number and self.series != "TB":
            return f"{self.series} {self.number:02d}/{self.term_start}"
        if self.number:
            return f"Số {self.number:02d}-TB/ĐU ({self.session.held_on:%d/%m/%Y})"
        return f"{self.session}"

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = Conclusion.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] in FROZEN_STATUSES:
                if self.status not in FROZEN_STATUSES:
                    raise FrozenConclusion()
                changed = {name for name, value in stored.items() if getattr(self, name) != value}
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    changed &= set(update_fields)
                if changed - CONCLUSION_OPEN_FIELDS:
                    raise FrozenConclusion()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Conclusion.objects.filter(pk=self.pk).frozen().exists():
            raise FrozenConclusion()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def reference(self) -> str:
        """ "Số 12-TB/ĐU", or an organisation's "Số: 05/TB-MTTQ"; empty while unnumbered."""
        if self.number is None:
            return ""
        from doluong_dialogue.models import SiteConfiguration
        from sessions import organisers

        site = SiteConfiguration.load()
        if self.session.organiser_id:
            header = organisers.header_of(self.session.organiser, site)
            return header.number_format.format(
                number=f"{self.number:02d}", code="TB", suffix=header.code_suffix
            )
        return f"Số {self.number:02d}-TB/{site.code_suffix}"

    @property
    def of_organisation(self) -> bool:
        """Numbered in an organisation's own series, not the Party committee's."""
        return self.series != "TB"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class ConclusionEvent(Event):
    SUBJECT = "conclusion"

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("Drafted")
        EDITED = "edited", _("Edited")
        DIRECTIVE_ADDED = "directive_added", _("Directive added")
        DIRECTIVE_CHANGED = "directive_changed", _("Directive changed")
        DIRECTIVE_REMOVED = "directive_removed", _("Directive removed")
        SUBMITTED = "submitted", _("Submitted for signature")
        RETURNED = "returned", _("Returned with comments")
        SIGNED = "signed", _("Signed")
        ISSUED = "issued", _("Issued")

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("conclusion event")
        verbose_name_plural = _("conclusion events")

    def __str__(self) -> str:
        return f"{self.conclusion_id} {self.kind}"


class DirectiveQuerySet(DeadlineQuerySet):
    def of_frozen_conclusions(self) -> "DirectiveQuerySet":
        return self.filter(conclusion__status__in=FROZEN_STATUSES)

    def followed(self) -> "DirectiveQuerySet":
        """Issued: followed up until done."""
        return self.exclude(status=Directive.Status.PENDING)

    def for_units(self, units) -> "DirectiveQuerySet":
        return self.filter(models.Q(lead__in=units) | models.Q(supporting__in=units)).distinct()

    def update(self, **fields):
        if set(fields) - DIRECTIVE_OPEN_FIELDS and self.of_frozen_conclusions().exists():
            raise FrozenConclusion()
        if "deadline" in fields and (
            self.of_frozen_conclusions().filter(working_days__isnull=True).exists()
        ):
            raise FrozenConclusion()
        return super().update(**fields)

    def delete(self):
        if self.of_frozen_conclusions().exists():
            raise FrozenConclusion()
        return super().delete()


class Directive(DeadlineItem):
    """A task the conclusion gives a unit: "5 rõ" (who leads, who supports, what, by when,
    how the result is reported), with the petitions it answers."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not issued yet")
        OPEN = "open", _("Being carried out")
        REPORTED = "reported", _("Completion under review")
        DONE = "done", _("Completed")

    RUNNING_STATUSES = (Status.OPEN,)
    COUNTED_FROM = "counted_from_day"

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="directives")
    order = models.PositiveIntegerField(default=0)
    lead = models.ForeignKey(
        Department,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="directives_led",
    )
    supporting = models.ManyToManyField(
        Department,
        verbose_name=_("supporting units"),
        blank=True,
        related_name="directives_supported",
    )
    task = models.TextField(_("task"), max_length=5_000)
    report_how = models.CharField(
        _("how the result is reported"), max_length=300, default="báo cáo Thường trực Đảng ủy"
    )
    petitions = models.ManyToManyField(
        Petition, verbose_name=_("petitions"), blank=True, related_name="directives"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # The day a deadline in working days is counted from: the issue date (until then, the day
    # it was written, to show an expected date).
    counted_from_day = models.DateField(_("counted from"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["conclusion", "order", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="directive_running")]

    def __str__(self) -> str:
        return f"{self.lead}: {self.task[:60]}"

    @property
    def is_pending(self) -> bool:
        """Its conclusion is not issued yet: nothing to follow."""
        return self.status == self.Status.PENDING

    def save(self, *args, **kwargs) -> None:
        if self.pk:
            stored = Directive.objects.filter(pk=self.pk).values().first()
            frozen = Conclusion.objects.filter(pk=self.conclusion_id).frozen().exists()
            if stored and frozen:
                changed = {name for name, value in stored.items() if getattr(self, name) != value}
                update_fields = kwargs.get("update_fields")
                if update_fields is not None:
                    changed &= set(update_fields)
                if changed - DIRECTIVE_OPEN_FIELDS or (
                    "deadline" in changed and stored["working_days"] is None
                ):
                    raise FrozenConclusion()
        elif Conclusion.objects.filter(pk=self.conclusion_id).frozen().exists():
            raise FrozenConclusion()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Conclusion.objects.filter(pk=self.conclusion_id).frozen().exists():
            raise FrozenConclusion()
        return super().delete(*args, **kwargs)


class DirectiveEvent(Event):
    SUBJECT = "directive"

    class Kind(models.TextChoices):
        OPENED = "opened", _("Issued to the unit")
        PROGRESS = "progress", _("Progress reported")
        COMPLETION = "completion", _("Completion reported")
        ACCEPTED = "accepted", _("Completion accepted")
        RETURNED = "returned", _("Report returned")
        RECOUNTED = "recounted", _("Deadline recounted")
        URGED = "urged", _("Urging letter sent")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("directive event")
        verbose_name_plural = _("directive events")

    def __str__(self) -> str:
        return f"{self.directive_id} {self.kind}"


class ProgressReport(models.Model):
    """What the lead unit reports on a directive: progress along the way, or completion with
    its evidence; staff accept it or return it."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        COMPLETION = "completion", _("Completion")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("report"), max_length=10_000)
    stage = models.CharField(_("stage reached"), max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(_("done (%)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("reported at"), default=clock.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.directive_id} {self.kind} {self.created_at:%d/%m/%Y}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.SUBMITTED


def report_file_path(instance: "ReportAttachment", filename: str) -> str:
    import uuid

    return f"reports/{instance.report_id}/{uuid.uuid4().hex}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


def _refuse_links_of_frozen(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Adding or removing a recipient, a supporting unit or a petition of a signed
    conclusion's directive is a change of its words too."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if not reverse:  # conclusion.recipient_units.add(…), directive.petitions.remove(…)
        conclusion_id = instance.pk if isinstance(instance, Conclusion) else instance.conclusion_id
        frozen = Conclusion.objects.filter(pk=conclusion_id).frozen()
    else:  # unit.directives_supported.add(…), petition.directives.clear()
        if action == "pre_clear":
            mine = next(
                f for f in sender._meta.concrete_fields if f.related_model is type(instance)
            )
            theirs = next(f for f in sender._meta.concrete_fields if f.related_model is model)
            owners = sender.objects.filter(**{mine.attname: instance.pk}).values(theirs.attname)
        else:
            owners = list(pk_set or ())
        frozen = (
            Conclusion.objects.filter(pk__in=owners).frozen()
            if model is Conclusion
            else Directive.objects.filter(pk__in=owners).of_frozen_conclusions()
        )
    if frozen.exists():
        raise FrozenConclusion()


models.signals.m2m_changed.connect(
    _refuse_links_of_frozen, sender=Conclusion.recipient_units.through
)
models.signals.m2m_changed.connect(_refuse_links_of_frozen, sender=Directive.supporting.through)
models.signals.m2m_changed.connect(_refuse_links_of_frozen, sender=Directive.petitions.through)


class ReminderRun(models.Model):
    """A working day whose reminders were sent (conclusions/reminders.py)."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    units = models.PositiveIntegerField(_("units reminded"), default=0)

    class Meta:
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class SessionDossier(models.Model):
    """The session's dossier (hồ sơ) as one ZIP: its documents' PDFs and an index sheet,
    built by a worker (conclusions/dossier.py) and kept with the session.

    `fingerprint` names the documents it was built from (their keys and SHA-256): while the
    session is not archived, a document made again with other contents makes the dossier
    out of date and it is built again; once archived, it is kept as it is.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("document", "Queued")
        BUILDING = "building", _("Being built")
        READY = "ready", pgettext_lazy("document", "Ready")
        FAILED = "failed", pgettext_lazy("document", "Failed")

    session = models.OneToOneField(
        DialogueSession, on_delete=models.CASCADE, related_name="dossier"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    revision = models.PositiveIntegerField(default=1)
    fingerprint = models.CharField(max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to="dossiers/", max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    files_count = models.PositiveSmallIntegerField(_("documents"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=clock.now)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session dossier")
        verbose_name_plural = _("session dossiers")

    def __str__(self) -> str:
        return f"{self.session}: {self.get_status_display()}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.BUILDING}

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED


class ReviewFlag(models.Model):
    """The Inspection Committee proposes that a unit or a person be reviewed (đề nghị kiểm
    điểm) for work carried out late or evaded, with the items as evidence; the Secretary
    considers it and concludes."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Proposed")
        CONSIDERED = "considered", _("Being considered")
        CONCLUDED = "concluded", _("Concluded")

    unit = models.ForeignKey(
        Department,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_flags",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_flags",
    )
    reason = models.TextField(_("reason"), max_length=5_000)
    assignments = models.ManyToManyField(
        "petitions.Assignment", verbose_name=_("assignments"), blank=True, related_name="+"
    )
    directives = models.ManyToManyField(
        Directive, verbose_name=_("directives"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RAISED
    )
    outcome = models.TextField(_("conclusion"), max_length=5_000, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("proposed at"), default=clock.now)

    class Meta:
        verbose_name = _("review proposal")
        verbose_name_plural = _("review proposals")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(person__isnull=False),
                name="review_flag_names_someone",
            )
        ]

    def __str__(self) -> str:
        return str(self.unit or self.person)


class ReviewFlagEvent(Event):
    SUBJECT = "flag"

    class Kind(models.TextChoices):
        RAISED = "raised", _("Review proposed")
        CONSIDERED = "considered", _("Taken into consideration")
        CONCLUDED = "concluded", _("Concluded")

    flag = models.ForeignKey(ReviewFlag, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta(Event.Meta):
        verbose_name = _("review proposal event")
        verbose_name_plural = _("review proposal events")

    def __str__(self) -> str:
        return f"{self.flag_id} {self.kind}"


class UrgingLetter(models.Model):
    """A formal urging letter (công văn đôn đốc) from the Party Office to the unit that leads
    an overdue assignment or directive: a draft (with its Word copy), then issued with its
    number, its PDF and a line on the item's timeline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    assignment = models.ForeignKey(
        "petitions.Assignment",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="urging_letters",
    )
    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, null=True, blank=True, related_name="urging_letters"
    )
    unit = models.ForeignKey(
        Department, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    request = models.TextField(_("what the unit is asked to do"), max_length=3_000)
    reply_by = models.DateField(_("report by"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    term_start = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("drafted at"), default=clock.now)

    class Meta:
        verbose_name = _("urging letter")
        verbose_name_plural = _("urging letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assignment__isnull=False, directive__isnull=True)
                | models.Q(assignment__isnull=True, directive__isnull=False),
                name="urging_letter_about_one_item",
            )
        ]

    def __str__(self) -> str:
        if self.number:
            return f"Công văn số {self.number:02d}-CV/ĐU"
        return f"Dự thảo công văn đôn đốc ({self.unit})"

    @property
    def item(self):
        return self.assignment or self.directive

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

"""The deployment's identity and its working-day calendar, the side effects to deliver, the
users' notifications and the administration log.

The identity and the calendar are data, not literals, so another commune can run the same
software.
"""

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_RECIPIENTS = "\n".join(
    [
        "Ban Tuyên giáo và Dân vận Tỉnh ủy (b/c)",
        "Thường trực Đảng ủy",
        "UBND xã",
        "Ban XD Đảng, UBKT, VP Đảng ủy",
        "MTTQ, các đoàn thể chính trị - xã hội",
    ]
)


class SiteConfiguration(models.Model):
    """A single row holding who issues the documents and the defaults they follow."""

    superior_body = models.CharField(
        _("superior Party body"), max_length=200, default="ĐẢNG BỘ TỈNH NGHỆ AN"
    )
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, default="ĐẢNG ỦY XÃ ĐÔ LƯƠNG"
    )
    short_name = models.CharField(
        _("short name"),
        max_length=120,
        default="Đảng ủy xã Đô Lương",
        help_text=_("Shown in the navigation bar and in letters to residents."),
    )
    place_name = models.CharField(
        _("place name for dates"),
        max_length=80,
        default="Đô Lương",
        help_text=_("As in “Đô Lương, ngày 05 tháng 02 năm 2026”."),
    )
    code_suffix = models.CharField(
        _("document code suffix"),
        max_length=20,
        default="ĐU",
        help_text=_("As in “Số 12-TB/ĐU”."),
    )
    signing_authority = models.CharField(
        _("signing authority"), max_length=80, default="T/M BAN THƯỜNG VỤ"
    )
    signer_title = models.CharField(_("signer's title"), max_length=80, default="BÍ THƯ")
    secretary_name = models.CharField(_("Secretary's full name"), max_length=120, blank=True)
    deputy_may_sign = models.BooleanField(
        _("a Deputy Secretary may sign conclusions"),
        default=False,
        help_text=_("They sign “KT. BÍ THƯ / PHÓ BÍ THƯ” with their own name."),
    )
    recipients = models.TextField(
        _("standard recipients"),
        default=DEFAULT_RECIPIENTS,
        help_text=_(
            "One recipient per line. The line “Lưu Văn phòng Đảng ủy” is always added last."
        ),
    )
    term_start_year = models.PositiveSmallIntegerField(
        _("current term starts in"),
        default=2025,
        help_text=_(
            "The year the Party committee's current term began (2025 for 2025-2030). "
            "Documents are numbered from 1 for each type in each term."
        ),
    )
    answer_working_days = models.PositiveSmallIntegerField(
        _("default answer deadline (working days)"), default=10
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind units this many working days before a deadline"), default=3
    )
    escalate_to_inspection_after = models.PositiveSmallIntegerField(
        _("tell the Inspection Committee after this many working days overdue"), default=5
    )
    escalate_to_secretary_after = models.PositiveSmallIntegerField(
        _("tell the Secretary after this many working days overdue"), default=10
    )
    demo_data = models.BooleanField(
        _("contains demo data"),
        default=False,
        help_text=_("Shows a banner saying that names of people and hamlets are invented."),
    )

    class Meta:
        verbose_name = _("site configuration")
        verbose_name_plural = _("site configuration")

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "SiteConfiguration":
        config, _created = cls.objects.get_or_create(pk=1)
        return config

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip(" -") for line in self.recipients.splitlines() if line.strip(" -")]


class CalendarException(models.Model):
    """A day that differs from the usual calendar: an extra day off or a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.get_kind_display()}"


class SideEffect(models.Model):
    """Something that must happen once after a change is committed: an e-mail, a render.

    The service that makes the change records it in its own transaction, so it exists exactly
    when the change does; see doluong_dialogue/side_effects.py for how it is delivered.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("side effect", "Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=100)
    key = models.CharField(
        _("key"),
        max_length=200,
        unique=True,
        help_text=_("Recording an effect with a key that exists already does nothing."),
    )
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Who runs it (a Celery task id): a second delivery of the same task finds its own claim.
    claimed_by = models.CharField(_("claimed by"), max_length=255, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("side effect")
        verbose_name_plural = _("side effects")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.key


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A line in a user's bell: what needs their attention, linking to the item.

    `key` names what it is about ("assignment:12:overdue"): a user is told of it once, however
    often the sweep that made it runs (see doluong_dialogue/notifications.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class AdministrationLog(LogEntry):
    """Django's admin log (who changed what in the admin, when, and which fields), under the
    name the administrator reads it by. Written by the admin itself and by doluong_dialogue.audit;
    read-only in the admin (doluong_dialogue/admin.py)."""

    class Meta:
        proxy = True
        verbose_name = _("administration log entry")
        verbose_name_plural = _("administration log")
        ordering = ["-action_time", "-id"]


class Tally(models.Model):
    """One change of an exact counter that a home page reads (doluong_dialogue/tallies.py).

    Database triggers add a row of -1 for the key a row leaves and +1 for the key it takes,
    in the transaction that changes it: rows are only ever inserted, so writers never wait
    on one another for a counter. A figure is the sum of `count` over its keys; compaction
    folds the rows of a key into one, and a nightly recount checks every sum against the
    rows it counts.
    """

    name = models.CharField(max_length=40)
    # The key: what the tally's figures group or filter by (the lead unit, the status, the
    # deadline or the day a letter is due); None where the tally does not read it.
    unit_id = models.IntegerField(null=True)
    status = models.CharField(max_length=20, default="")
    day = models.DateField(null=True)
    count = models.IntegerField()

    class Meta:
        # Read by no page as such (not in the admin): no name to translate.
        indexes = [
            # With the unit and the count (PostgreSQL): a figure's sum, by unit or not, reads
            # the index alone. One index: every change of a tallied row inserts into it.
            models.Index(
                fields=["name", "status", "day"],
                name="tally_key_idx",
                include=["unit_id", "count"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.unit_id} {self.status} {self.day}: {self.count:+d}"

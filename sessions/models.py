"""Dialogue sessions (kỳ tiếp xúc, đối thoại) and the petitions put on their agenda.

The planning, invitations, minutes and attendance of a session come with their own
pages; this is the part petitions need: which session a petition was raised for.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition, Topic


class DialogueSessionQuerySet(models.QuerySet):
    def upcoming(self, on) -> "DialogueSessionQuerySet":
        return self.filter(held_on__gte=on, status__in=DialogueSession.PLANNING_STATUSES)


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

    PLANNING_STATUSES = (Status.PLANNED, Status.ANNOUNCED, Status.POSTPONED)

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    half_year = models.PositiveSmallIntegerField(
        _("half of the year"), choices=HalfYear.choices, null=True, blank=True
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True
    )
    pressing_issue = models.TextField(_("pressing issue"), blank=True)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    petitions = models.ManyToManyField(
        Petition, through="AgendaItem", related_name="dialogue_sessions", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DialogueSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class AgendaItem(models.Model):
    """A petition put to a session (prepared for it, or raised at it)."""

    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="agenda_items"
    )
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="agenda_items")
    raised_at_session = models.BooleanField(_("raised at the session"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "petition"], name="unique_agenda_item")
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.petition_id}"

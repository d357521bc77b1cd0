"""One shape for every object's timeline.

Each change of state writes one event row in the same transaction: who, when, what kind of
change, the status before and after, and a note. A concrete event model adds the foreign key
to its object (named by `SUBJECT`) and whatever else its timeline shows; every timeline is
rendered by templates/_timeline.html.
"""

from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doluong_dialogue import clock


class Event(models.Model):
    SUBJECT: ClassVar[str] = ""

    kind = models.CharField(_("kind"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=clock.now, db_index=False)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @classmethod
    def record(
        cls,
        subject,
        actor,
        kind: str,
        *,
        from_status: str = "",
        note: str = "",
        at: datetime | None = None,
        **extra,
    ) -> "Event":
        """Write the row for a change of `subject`, whose status after it is its current one."""
        return cls.objects.create(
            **{cls.SUBJECT: subject},
            actor=actor,
            kind=kind,
            from_status=from_status,
            to_status=getattr(subject, "status", ""),
            note=note,
            created_at=at or clock.now(),
            **extra,
        )

    @property
    def detail(self) -> str:
        """A line under the event's kind (the unit it concerns, say); "" when none."""
        return ""

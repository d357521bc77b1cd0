"""The documents module's rows: the number counters and the rendered PDFs."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentCounter(models.Model):
    """The last number given to a type of document ("GM") in a term (from its start year).

    Claimed with SELECT … FOR UPDATE in the transaction that uses the number, so numbers
    follow each other with no gap and no repeat (see numbers.next_number).
    """

    code = models.CharField(_("document code"), max_length=10)
    term_start = models.PositiveSmallIntegerField(_("term start year"))
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("document number counter")
        verbose_name_plural = _("document number counters")
        ordering = ["-term_start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "term_start"], name="one_counter_per_term")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.term_start}: {self.last_number}"


class RenderedDocument(models.Model):
    """A document's PDF, rendered by a worker (see renders.py).

    `key` names what it is a rendering of ("sessions.minutes:12"); `version` is the
    caller's word for the state it was asked for; `revision` counts the renders queued, so
    that a render queued for an earlier request can tell it was superseded.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("document", "Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", pgettext_lazy("document", "Ready")
        FAILED = "failed", pgettext_lazy("document", "Failed")

    key = models.CharField(_("key"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    builder = models.CharField(_("builder"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("object id"))
    version = models.CharField(_("version"), max_length=100, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to="documents/", max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    rendered_version = models.CharField(_("rendered from version"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    # Signed documents only (builders registered with signed=True): the code printed on the
    # PDF for the public verification page, and what the page shows besides the file.
    verification_code = models.CharField(
        _("verification code"), max_length=16, null=True, blank=True, unique=True
    )
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    dated = models.DateField(_("document date"), null=True, blank=True)
    signed_by = models.CharField(_("signed by"), max_length=300, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_signed(self) -> bool:
        return self.verification_code is not None

    @property
    def verification_code_display(self) -> str:
        """ "7KQ2-M9XD-4T": the stored code in groups of four, as printed."""
        code = self.verification_code or ""
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


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
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Receives the daily digest of deadlines.")
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
        return f"{self.get_kind_display()} {self.name}"

from django.contrib import admin, messages
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doluong_dialogue import side_effects
from doluong_dialogue.deadlines import deadlines_recompute
from doluong_dialogue.models import CalendarException, SideEffect, SiteConfiguration

admin.site.site_header = _("Dialogue system administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Reference data and configuration")


@admin.register(SiteConfiguration)
class SiteConfigurationAdmin(admin.ModelAdmin):
    fieldsets = [
        (
            _("Issuing body"),
            {
                "fields": [
                    "superior_body",
                    "issuing_body",
                    "short_name",
                    "place_name",
                    "code_suffix",
                ]
            },
        ),
        (
            _("Signer"),
            {"fields": ["signing_authority", "signer_title", "secretary_name", "deputy_may_sign"]},
        ),
        (_("Document numbers"), {"fields": ["term_start_year"]}),
        (_("Defaults"), {"fields": ["recipients", "answer_working_days", "demo_data"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return not SiteConfiguration.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    """Extra days off and make-up working days; open deadlines are recounted on change."""

    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]

    def _recount(self, request) -> None:
        changed = deadlines_recompute(actor=request.user)
        if changed:
            messages.info(
                request,
                gettext_now("%(count)s open deadlines were recounted.") % {"count": changed},
            )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self._recount(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._recount(request)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        self._recount(request)


# CalendarException is registered in petitions/admin.py: a change recounts open deadlines.


@admin.register(SideEffect)
class SideEffectAdmin(admin.ModelAdmin):
    """What the system had to do after a change (e-mails, renders), and what failed.

    Read-only: effects are recorded by the services and carried out by the workers.
    """

    list_display = ["created_at", "kind", "key", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["key"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "kind",
        "key",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "created_at",
        "started_at",
        "finished_at",
        "last_error",
    ]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description=_("Try the selected failed effects again"), permissions=["retry"])
    def retry(self, request, queryset) -> None:
        count = side_effects.retry_failed(effects=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed effect will be tried again.",
                "%(count)d failed effects will be tried again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

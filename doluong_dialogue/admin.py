from django.contrib import admin, messages
from django.contrib.admin.models import DELETION
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from doluong_dialogue import audit, side_effects
from doluong_dialogue.deadlines import deadlines_recompute
from doluong_dialogue.models import (
    AdministrationLog,
    CalendarException,
    SideEffect,
    SiteConfiguration,
)

admin.site.site_header = _("Dialogue system administration")
admin.site.site_title = _("Administration")
admin.site.index_title = _("Reference data and configuration")


def _logging_password_change(change_own_password):
    """The admin's "change password" page (a user's own password, in the admin) logged like
    the site's: Django's view writes no log entry, and the site offers no hook for one."""

    def password_change(request, extra_context=None):
        response = change_own_password(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.password_changed(user=request.user)
        return response

    return password_change


# Set before admin.site.urls is read (the admin modules load before the URLconf).
admin.site.password_change = _logging_password_change(admin.site.password_change)


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
    @audit.logged_action
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


@admin.register(AdministrationLog)
class AdministrationLogAdmin(admin.ModelAdmin):
    """Nhật ký quản trị: every change made in the admin (and the few made elsewhere that
    doluong_dialogue.audit logs), for superusers to read; nobody edits or deletes it."""

    list_display = ["action_time", "user", "action_flag", "target", "message"]
    list_filter = [
        ("user", admin.RelatedOnlyFieldListFilter),
        "action_flag",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "action_time",
    ]
    date_hierarchy = "action_time"
    search_fields = ["object_repr", "change_message", "user__username"]
    list_select_related = ["user", "content_type"]
    fields = [
        "action_time",
        "user",
        "action_flag",
        "content_type",
        "object_id",
        "object_repr",
        "message",
    ]
    readonly_fields = fields

    @admin.display(description=_("object"), ordering="object_repr")
    def target(self, entry):
        """ "Lĩnh vực: Giao thông nông thôn", linked to the object while it exists."""
        model = entry.content_type.model_class() if entry.content_type_id else None
        kind = capfirst(model._meta.verbose_name) if model else ""
        try:
            url = entry.get_admin_url()
        except NoReverseMatch:  # a model no longer in the admin
            url = None
        if url and entry.action_flag != DELETION:
            return format_html('{}: <a href="{}">{}</a>', kind, url, entry.object_repr)
        return f"{kind}: {entry.object_repr}" if kind else entry.object_repr

    @admin.display(description=_("what changed"))
    def message(self, entry) -> str:
        return audit.describe(entry)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from doluong_dialogue.models import CalendarException
from petitions import services
from petitions.models import AnswerTemplate, Department, Petition, ResidentialUnit, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "order", "is_active"]
    list_filter = ["group", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "aliases"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "channel", "email", "order", "is_active"]
    list_filter = ["kind", "channel", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "short_name", "aliases"]
    filter_horizontal = ["members"]


@admin.register(ResidentialUnit)
class ResidentialUnitAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "name", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "topic"]
    list_filter = ["topic"]
    search_fields = ["title", "body"]


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the application's pages and their services."""

    list_display = ["code", "summary", "status", "topic", "lead_department", "received_on"]
    list_filter = ["status", "topic", "urgency", "channel"]
    search_fields = ["code"]
    date_hierarchy = "received_on"
    list_select_related = ["topic", "lead_department"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

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
        changed = services.assignments_recompute_deadlines()
        if changed:
            messages.info(
                request, _("%(count)s open deadlines were recounted.") % {"count": changed}
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

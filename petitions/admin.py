from django.contrib import admin

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

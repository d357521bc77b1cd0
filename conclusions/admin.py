from django.contrib import admin

from conclusions.models import Conclusion, Directive


class DirectiveInline(admin.StackedInline):
    model = Directive
    extra = 0
    raw_id_fields = ["petitions"]
    fields = ["order", "lead", "supporting", "task", "deadline", "working_days", "report_how"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(Conclusion)
class ConclusionAdmin(admin.ModelAdmin):
    """For reading and correcting drafts; a signed conclusion is shown read-only (its words
    are frozen: the model and the database refuse any change)."""

    list_display = ["session", "status", "number", "signed_on", "issued_on"]
    list_filter = ["status"]
    search_fields = ["session__title", "summary"]
    readonly_fields = [
        "session",
        "status",
        "number",
        "term_start",
        "signed_on",
        "signed_at",
        "signed_by",
        "signer_name",
        "issued_on",
        "issued_by",
        "created_by",
    ]
    exclude = ["signer_authority", "signer_title", "version"]
    inlines = [DirectiveInline]

    def has_add_permission(self, request):
        return False  # drafted from a session, on its page

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)

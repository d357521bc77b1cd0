from django.contrib import admin

from doluong_dialogue.documents.models import DocumentCounter, RenderedDocument


@admin.register(DocumentCounter)
class DocumentCounterAdmin(admin.ModelAdmin):
    """The numbers given so far in each term. Read-only: numbers are given by the services
    (an edited counter would repeat or skip numbers)."""

    list_display = ["code", "term_start", "last_number"]
    list_filter = ["term_start"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    """The PDFs the workers rendered, and what failed. Read-only."""

    list_display = ["title", "key", "status", "revision", "rendered_at"]
    list_filter = ["status", "builder"]
    search_fields = ["title", "key", "verification_code", "sha256"]
    readonly_fields = [field.name for field in RenderedDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

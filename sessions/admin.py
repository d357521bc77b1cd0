from django.contrib import admin

from sessions.models import AgendaItem, DialogueSession


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    raw_id_fields = ["petition"]
    extra = 0


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "held_on", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title"]
    inlines = [AgendaItemInline]

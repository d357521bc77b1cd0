from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.models import SiteConfiguration

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
        (_("Signer"), {"fields": ["signing_authority", "signer_title", "secretary_name"]}),
        (_("Defaults"), {"fields": ["recipients", "answer_working_days", "demo_data"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return not SiteConfiguration.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# CalendarException is registered in petitions/admin.py: a change recounts open deadlines.

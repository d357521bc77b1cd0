from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoLuongDialogueConfig(AppConfig):
    name = "doluong_dialogue"
    verbose_name = _("General configuration")

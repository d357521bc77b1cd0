from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions and reference data")

    def ready(self) -> None:
        from doluong_dialogue import side_effects
        from petitions import effects

        side_effects.register(effects.ASSIGNMENT_EMAIL, effects.send_assignment_email)

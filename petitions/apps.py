from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions and reference data")

    def ready(self) -> None:
        from doluong_dialogue import deadlines, side_effects
        from petitions import effects, services

        # A change of the calendar of days off recounts these deadlines.
        deadlines.register_recompute("assignments", services.assignments_recount)
        deadlines.register_recompute("acknowledgements", services.acknowledgements_recount)
        # What the services record to happen after their transaction.
        side_effects.register(effects.ASSIGNMENT_EMAIL, effects.send_assignment_email)

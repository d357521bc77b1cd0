from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions and reference data")

    def ready(self) -> None:
        from django.conf import settings

        from doluong_dialogue import deadlines, side_effects, tallies
        from petitions import effects, exports, search_keys, services
        from petitions.tallies import COPIES, TALLIES

        # A change of the calendar of days off recounts these deadlines.
        deadlines.register_recompute("assignments", services.assignments_recount)
        deadlines.register_recompute("acknowledgements", services.acknowledgements_recount)
        # What the services record to happen after their transaction.
        side_effects.register(effects.ASSIGNMENT_EMAIL, effects.send_assignment_email)
        # A long list's Excel file, written by the workers that make documents.
        side_effects.register(
            exports.BUILD, exports.build_stored, queue=settings.DOCUMENTS_QUEUE, long=True
        )
        # The exact counters its triggers keep; the nightly check recounts them.
        for spec in TALLIES:
            tallies.register(spec)
        for copy in COPIES:
            tallies.register_copy(copy)
        # The search keys its triggers write (petitions.models.SearchKeys).
        tallies.register_repair("search_keys", search_keys.repair)

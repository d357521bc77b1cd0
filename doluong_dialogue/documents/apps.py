from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "doluong_dialogue.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from django.conf import settings

        from doluong_dialogue import side_effects
        from doluong_dialogue.documents import checks, renders  # noqa: F401 (checks registers)

        side_effects.register(renders.RENDER, renders.render_stored, queue=settings.DOCUMENTS_QUEUE)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueSessionsConfig(AppConfig):
    # The folder is sessions/, but "sessions" is django.contrib.sessions' label.
    name = "sessions"
    label = "dialogue_sessions"
    verbose_name = _("Dialogue sessions")

    def ready(self) -> None:
        from petitions.search import ExtraFilter, register_filter
        from sessions import selectors

        # The petition list filters by the session a petition was put to.
        register_filter(
            ExtraFilter(
                name="session",
                label=_("Dialogue session"),
                choices=selectors.session_choices,
                apply=selectors.petitions_of_session,
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueSessionsConfig(AppConfig):
    # The folder is sessions/, but "sessions" is django.contrib.sessions' label.
    name = "sessions"
    label = "dialogue_sessions"
    verbose_name = _("Dialogue sessions")

    def ready(self) -> None:
        from doluong_dialogue import side_effects
        from petitions.origins import register_origin
        from petitions.search import ExtraFilter, register_filter
        from sessions import documents, effects, figures, selectors

        # The petition list filters by the session a petition was put to.
        register_filter(
            ExtraFilter(
                name="session",
                label=_("Dialogue session"),
                choices=selectors.session_choices,
                apply=selectors.petitions_of_session,
            )
        )
        # The home page's "agenda answers still owed" opens this list.
        register_filter(
            ExtraFilter(
                name="agenda_owed",
                label=_("On an agenda, answer still owed"),
                choices=lambda _user: [(1, _("Yes"))],
                apply=lambda petitions, _value: figures.agenda_answers_owed(petitions),
            )
        )
        # The roll-up of the organisations' dialogues opens the petitions they forwarded.
        register_filter(
            ExtraFilter(
                name="forwarded",
                label=_("Forwarded from an organisation's dialogue"),
                choices=lambda _user: selectors.period_choices(),
                apply=selectors.forwarded_in_period,
            )
        )
        # A petition forwarded from an organisation's dialogue leads back to it.
        register_origin(selectors.forwarded_from)
        # A petition received at a citizen reception leads back to the day's register.
        register_origin(selectors.received_at_reception)
        side_effects.register(effects.INVITATION_EMAIL, effects.send_invitation_email)
        documents.register()

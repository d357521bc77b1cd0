from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _conclusion_tab_shown(user, session) -> bool:
    from conclusions.permissions import can_draft, visible_conclusions
    from petitions.permissions import can_read_everything

    if not session.was_held:
        return False
    if can_read_everything(user) or (session.organiser_id and can_draft(user, session)):
        return True
    return visible_conclusions(user).filter(session=session).exists()


def _dossier_tab_shown(user, session) -> bool:
    from petitions.permissions import can_read_everything

    return session.was_held and can_read_everything(user)


class ConclusionsConfig(AppConfig):
    name = "conclusions"
    verbose_name = _("Conclusions and follow-up")

    def ready(self) -> None:
        from django.conf import settings

        from conclusions import documents, dossier, effects, reminders, services, urging
        from doluong_dialogue import deadlines, side_effects
        from sessions.tabs import Tab, register_tab

        documents.register()
        urging.register()
        side_effects.register(effects.NOTICE_EMAIL, effects.send_notice_email)
        side_effects.register(reminders.DIGEST_EMAIL, effects.send_digest_email)
        side_effects.register(reminders.ESCALATION_EMAIL, effects.send_escalation_email)
        side_effects.register(dossier.BUILD, dossier.build_stored, queue=settings.DOCUMENTS_QUEUE)
        deadlines.register_recompute("directives", services.directives_recount)
        register_tab(
            Tab(
                label=_("Conclusion"),
                url_name="conclusions:for_session",
                shown=_conclusion_tab_shown,
                current=(
                    "conclusions:detail",
                    "conclusions:edit",
                    "conclusions:directive_add",
                    "conclusions:directive_edit",
                    "conclusions:issue",
                    "conclusions:return",
                ),
            )
        )
        register_tab(
            Tab(
                label=_("Dossier"),
                url_name="conclusions:dossier",
                shown=_dossier_tab_shown,
            )
        )

"""The administration log: what the admin does not record by itself.

Django's admin writes a LogEntry (who, when, which object, which fields) for every addition,
change and deletion made through its forms, its inlines, its list editing, its bulk "delete
selected" action and its password form. Two kinds of change escape it, and are logged here
in the same table, so the administrator reads one log ("Nhật ký quản trị"):

- an admin action of the project's own (`logged_action`): one row per object it was run on;
- a user changing their own password on the site (`password_changed`).
"""

from __future__ import annotations

import functools

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils.translation import gettext


def logged_action(action):
    """Decorate an admin action so that running it logs a change of each selected object,
    naming the action. Put it under @admin.action, which labels the wrapper."""

    @functools.wraps(action)
    def run(modeladmin, request, queryset):
        objects = list(queryset)
        result = action(modeladmin, request, queryset)
        description = getattr(run, "short_description", action.__name__)
        if objects:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=objects,
                action_flag=CHANGE,
                change_message=gettext("Ran the action “%(action)s”.") % {"action": description},
            )
        return result

    return run


def password_changed(*, user) -> None:
    """Log that `user` changed their own password (the site's form, not the admin's)."""
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["password"]}}],
        single_object=True,
    )

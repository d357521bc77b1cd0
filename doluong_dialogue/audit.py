"""The administration log: what the admin does not record by itself.

Django's admin writes a LogEntry (who, when, which object, which fields) for every addition,
change and deletion made through its forms, its inlines, its list editing, its bulk "delete
selected" action and its password form. Two kinds of change escape it, and are logged here
in the same table, so the administrator reads one log ("Nhật ký quản trị"):

- an admin action of the project's own (`logged_action`): one row per object it was run on;
- a user changing their own password on the site (`password_changed`).

`describe(entry)` says what an entry changed in the reader's language. Django stores the
changed fields by their English labels and translates each word alone when it shows them, so
a topic's "Name" would read as a person's name; here each label is found again on its model
and shown with the model's own Vietnamese verbose name.
"""

from __future__ import annotations

import functools
import json

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils.text import capfirst
from django.utils.translation import gettext, override


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

    run.logged = True  # tests/doluong_dialogue/test_admin_log.py checks every action has it
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


def _field_labels(model) -> dict[str, str]:
    """{the label Django stored (English) or the field's name: the label to show}."""
    fields = [field for field in model._meta.get_fields() if hasattr(field, "verbose_name")]
    with override(None):
        stored = [(field.name, capfirst(str(field.verbose_name))) for field in fields]
    labels = {}
    for field, (name, english) in zip(fields, stored, strict=True):
        shown = capfirst(str(field.verbose_name))
        labels.update({name: shown, english: shown, english.lower(): shown})
    return labels


def _model_named(name: str, parent):
    """The model whose (English) verbose name Django stored for an inline row: one related
    to the entry's model first, any other after."""
    related = (
        [relation.related_model for relation in parent._meta.related_objects] if parent else []
    )
    with override(None):
        for model in [*related, *apps.get_models()]:
            if str(model._meta.verbose_name) == name:
                return model
    return None


def describe(entry: LogEntry) -> str:
    """What the entry changed, as LogEntry.get_change_message() says it, with each field and
    each inline row named as its own model names it."""
    if not entry.change_message.startswith("["):
        return entry.get_change_message()
    try:
        parts = json.loads(entry.change_message)
    except ValueError:
        return entry.change_message
    model = entry.content_type.model_class() if entry.content_type_id else None
    for part in parts:
        for detail in part.values():
            if not isinstance(detail, dict):
                continue
            subject = model
            if "name" in detail:
                subject = _model_named(detail["name"], model)
                if subject is not None:
                    detail["name"] = str(subject._meta.verbose_name)
            if "fields" in detail and subject is not None:
                labels = _field_labels(subject)
                detail["fields"] = [labels.get(field, field) for field in detail["fields"]]
    return LogEntry(change_message=json.dumps(parts)).get_change_message()

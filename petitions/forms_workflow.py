"""Forms for what is done to a petition after intake. They only parse input; the rules
are in petitions.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateInput
from petitions.models import Department, Petition, Topic
from petitions.uploads import MultipleFileField

LONG_TEXT = 10_000


def _long_text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class _GroupedTopics(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for topic in self.queryset:
            groups.setdefault(topic.get_group_display(), []).append(self.choice(topic))
        yield from groups.items()


class TopicChoiceField(forms.ModelChoiceField):
    """Topics grouped as in section II.3 of the plan."""

    iterator = _GroupedTopics

    def __init__(self, **kwargs):
        super().__init__(queryset=Topic.objects.filter(is_active=True), **kwargs)


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (value, label)
            for value, label in Petition.Kind.choices
            if value not in Petition.LEGAL_PROCEDURE_KINDS
        ],
    )
    topic = TopicChoiceField(label=_("Topic"))
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Petition.Urgency.choices, widget=forms.RadioSelect
    )


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.active()
    )
    supporting = forms.ModelMultipleChoiceField(
        label=_("Supporting departments"),
        queryset=Department.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the default number of working days."),
    )
    instructions = _long_text(_("Instructions"), required=False, rows=3)

    def clean(self):
        data = super().clean()
        lead = data.get("department")
        if lead and lead in (data.get("supporting") or []):
            data["supporting"] = [d for d in data["supporting"] if d != lead]
        return data


class AnswerForm(forms.Form):
    text = _long_text(_("Answer"), rows=8)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Word or Excel; at most 5 files of 10 MB each."),
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = list(templates)


class DeclineForm(forms.Form):
    reason = _long_text(
        _("Why it is not your department's remit"),
        rows=3,
        help_text=_("Suggest the department that should answer, if you know it."),
    )


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = _long_text(_("Reason"), rows=3)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the answer")), ("return", _("Return it for rework"))],
        widget=forms.RadioSelect,
    )
    comment = _long_text(
        _("Comment"),
        required=False,
        rows=3,
        help_text=_("Required when the answer is returned: say what must be reworked."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what the department must rework."))
        return data


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the new deadline")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = _long_text(_("Comment"), required=False, rows=3)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the extension is refused."))
        return data


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label)
            for value, label in Petition.Outcome.choices
            if value != Petition.Outcome.DUPLICATE
        ],
        widget=forms.RadioSelect,
    )
    scheduled_for = forms.DateField(
        label=_("To be resolved by"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for “will be resolved”."),
    )
    note = _long_text(
        _("Note"),
        required=False,
        rows=3,
        help_text=_("The reason when rejected; the higher level when forwarded."),
    )

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Petition.Outcome.SCHEDULED and not data.get("scheduled_for"):
            self.add_error("scheduled_for", _("Give the date by which it will be resolved."))
        if outcome == Petition.Outcome.REJECTED and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason the petition is rejected."))
        if outcome == Petition.Outcome.FORWARDED and not (data.get("note") or "").strip():
            self.add_error("note", _("Say which higher level the petition is forwarded to."))
        return data


class ReasonForm(forms.Form):
    reason = _long_text(_("Reason"), rows=3)


class RouteOutForm(forms.Form):
    legal_channel_note = _long_text(
        _("Legal channel"),
        rows=3,
        help_text=_("E.g. “Chuyển UBND xã giải quyết theo Luật Khiếu nại 2011”."),
    )


class MergeForm(forms.Form):
    primary = forms.ModelChoiceField(queryset=Petition.objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=500)

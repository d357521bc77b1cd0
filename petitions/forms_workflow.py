"""Forms for what is done to a petition after intake. They only parse input; the rules are
in petitions.services, whose refusals the views put beside the field they name."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateField, ModelMultipleChoiceField
from petitions.forms import LimitedCharField
from petitions.models import Department, Petition, Topic
from petitions.uploads import MultipleFileField

LONG_TEXT = 10_000


def _long_text(label, *, noun=None, required=True, rows=4, help_text="", **kwargs):
    """A text box that shows how much room is left and refuses, never cuts, what is too long."""
    return LimitedCharField(
        label=label,
        noun=noun or label,
        limit=LONG_TEXT,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        **kwargs,
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
        kwargs.setdefault("empty_label", _("— Choose the topic —"))
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


class UnitSelect(forms.Select):
    """A unit without an active member cannot lead: its option is shown, marked and disabled."""

    def __init__(self, *args, without_members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.without_members = set(without_members)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(value, "value", value) in self.without_members:
            option["attrs"]["disabled"] = True
        return option


class _MarksUnitsWithoutMembers:
    """Names a unit "(no member yet)" when nobody would answer for it."""

    without_members: set[int] = set()

    def label_from_instance(self, unit):
        if unit.pk in self.without_members:
            return _("%(unit)s (no member yet)") % {"unit": unit.name}
        return unit.name


class UnitChoiceField(_MarksUnitsWithoutMembers, forms.ModelChoiceField):
    pass


class UnitMultipleChoiceField(_MarksUnitsWithoutMembers, ModelMultipleChoiceField):
    pass


class AssignForm(forms.Form):
    """`units_without_members` are offered but marked; the service refuses them as lead."""

    department = UnitChoiceField(
        label=_("Lead unit"),
        queryset=Department.objects.active(),
        empty_label=_("— Choose the lead unit —"),
        help_text=_("Its members answer from their inbox. A unit with no member cannot lead."),
        error_messages={"required": _("Choose the lead unit.")},
    )
    supporting = UnitMultipleChoiceField(
        label=_("Supporting units"),
        queryset=Department.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = DateField(
        label=_("Deadline"),
        required=False,
        help_text=_("Leave empty for the default number of working days."),
    )
    instructions = _long_text(_("Instructions"), required=False, rows=3)

    def __init__(self, *args, units_without_members=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("department", "supporting"):
            self.fields[name].without_members = set(units_without_members)
        self.fields["department"].widget = UnitSelect(without_members=units_without_members)
        self.fields["department"].widget.choices = self.fields["department"].choices
        self.fields["deadline"].widget.attrs["data-deadline-hint"] = "deadline-calendar"


# A place left to fill in an answer template: "năm ...", "tháng …".
_GAP = re.compile(r"\.{3,}|…")


class AnswerForm(forms.Form):
    text = _long_text(_("Answer"), rows=8)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images, Word or Excel; at most 5 files of 10 MB each."),
    )
    send_with_gaps = forms.BooleanField(
        label=_("Send it as it is: the dots are meant to be there"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = list(templates)

    def clean(self):
        data = super().clean()
        text = data.get("text") or ""
        gaps = [found for found in _GAP.finditer(text)]
        if gaps and not data.get("send_with_gaps"):
            # Each place with the three words before it: "sửa chữa năm ...".
            places = [
                " ".join([*text[: gap.start()].split()[-3:], gap.group()]) for gap in gaps[:3]
            ]
            self.fields["send_with_gaps"].widget = forms.CheckboxInput()
            self.add_error(
                "text",
                _(
                    "The answer still has places left to fill in (%(places)s). Fill them in, "
                    "or tick the box below if the dots are meant to be there."
                )
                % {"places": "; ".join(f"“{place}”" for place in places)},
            )
        return data


class DeclineForm(forms.Form):
    reason = _long_text(
        _("Why it is not your department's remit"),
        noun=_("Reason"),
        rows=3,
        help_text=_("Suggest the department that should answer, if you know it."),
    )


class ExtensionForm(forms.Form):
    new_deadline = DateField(label=_("New deadline"))
    reason = _long_text(_("Reason"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_deadline"].widget.attrs["data-deadline-hint"] = "deadline-calendar"


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


class ExtensionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the new deadline")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = _long_text(
        _("Comment"),
        required=False,
        rows=3,
        help_text=_("Required when the extension is refused."),
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (value, label)
            for value, label in Petition.Outcome.choices
            if value != Petition.Outcome.DUPLICATE
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose an outcome.")},
    )
    scheduled_for = DateField(
        label=_("To be resolved by"),
        required=False,
        help_text=_("Required for “will be resolved”."),
    )
    note = _long_text(
        _("Note"),
        required=False,
        rows=3,
        help_text=_("The reason when rejected; the higher level when forwarded."),
    )


class ReasonForm(forms.Form):
    reason = _long_text(_("Reason"), rows=3)


class RouteOutForm(forms.Form):
    legal_channel_note = _long_text(
        _("Legal channel"),
        rows=3,
        help_text=_("E.g. “Chuyển UBND xã giải quyết theo Luật Khiếu nại 2011”."),
    )


class MergeForm(forms.Form):
    """`candidates` are the petitions the user may merge into (permissions.merge_candidates)."""

    primary = forms.ModelChoiceField(queryset=Petition.objects.none(), widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary"].queryset = candidates

"""Intake forms: the full petition form (intake and edit) and the quick-entry form.

Lengths are checked here, not by `maxlength` in the browser: a pasted text that is too long
must come back whole with a message, never be cut silently.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateInput
from doluong_dialogue.rules import add_to_form
from petitions import permissions, services
from petitions.models import Channel, Department, Petition, ResidentialUnit, Topic
from petitions.services import EDITABLE_FIELDS, PetitionData
from petitions.uploads import MAX_FILES, MAX_UPLOAD_SIZE, MultipleFileField

LEGAL_NOTE_MAX = 2_000
MAX_PEOPLE = 100_000


def _model_limit(field: str) -> int:
    """A petition field's limit, as the model declares it."""
    return Petition._meta.get_field(field).max_length


def organisation_channel(organisation: Department | None) -> str:
    """The channel a Front user's petitions default to: their organisation's."""
    return (organisation.channel if organisation else "") or Channel.FRONT


class LimitedCharField(forms.CharField):
    """A text with a character limit and a message saying how long it is:
    "Nội dung tối đa 10.000 ký tự (hiện có 100.000)."."""

    def __init__(self, *, limit: int, noun, **kwargs):
        self.limit = limit
        self.noun = noun
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "data-limit": str(self.limit)}

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                _("%(field)s: at most %(limit)s characters (now %(count)s)."),
                code="max_length",
                params={
                    "field": self.noun,
                    "limit": number_format(self.limit, force_grouping=True),
                    "count": number_format(len(value), force_grouping=True),
                },
            )


phone_validator = RegexValidator(
    r"^[0-9+ ]*$", _("A phone number may contain only digits, spaces and “+”."), code="phone"
)


class PetitionForm(forms.Form):
    """What intake records. The view decides the submitting organisation, never the form.

    `user` decides the classification fields (only those who manage petitions classify at
    intake); with `petition` the form edits it and keeps to what `petition_update` changes.
    """

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=Petition.Kind.choices,
        initial=Petition.Kind.REQUEST,
        error_messages={"required": _("Choose the kind of petition.")},
    )
    legal_channel_note = LimitedCharField(
        label=_("Legal channel"),
        noun=_("Legal channel"),
        limit=LEGAL_NOTE_MAX,
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": _(
                    "e.g. Sent to the commune People's Committee under the 2011 Law on Complaints"
                ),
            }
        ),
    )
    summary = LimitedCharField(
        label=_("Summary"),
        noun=_("Summary"),
        limit=_model_limit("summary"),
        error_messages={"required": _("Enter a one-line summary of the petition.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    content = LimitedCharField(
        label=_("Full content"),
        noun=_("Content"),
        limit=_model_limit("content"),
        error_messages={"required": _("Enter the content of the petition.")},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("— not classified yet —"),
        help_text=_("Choosing a topic classifies the petition at intake."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Petition.Urgency.choices,
        initial=Petition.Urgency.NORMAL,
        required=False,
    )

    petitioner_name = LimitedCharField(
        label=_("Petitioner's name"),
        noun=_("Petitioner's name"),
        limit=_model_limit("petitioner_name"),
        error_messages={"required": _("Enter the petitioner's name (or the group's name).")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    petitioner_phone = LimitedCharField(
        label=_("Phone"),
        noun=_("Phone"),
        limit=_model_limit("petitioner_phone"),
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    petitioner_address = LimitedCharField(
        label=_("Address"),
        noun=_("Address"),
        limit=_model_limit("petitioner_address"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    residential_unit = forms.ModelChoiceField(
        label=_("Hamlet or block"),
        queryset=ResidentialUnit.objects.filter(is_active=True),
        required=False,
        empty_label="—",
    )
    is_group = forms.BooleanField(label=_("Raised by a group of people"), required=False)
    people_count = forms.IntegerField(
        label=_("Number of people"),
        required=False,
        max_value=MAX_PEOPLE,
        error_messages={
            "invalid": _("Enter the number of people as a whole number."),
            "max_value": _("At most %(limit_value)s people."),
        },
        widget=forms.NumberInput(attrs={"min": 2, "step": 1}),
    )
    hide_identity = forms.BooleanField(
        label=_("Hide the petitioner's identity from departments"),
        required=False,
        help_text=_(
            "Departments will not see the name, phone or address; the Party committee's staff "
            "and the submitter still do."
        ),
    )

    channel = forms.ChoiceField(
        label=_("Received through"),
        choices=[("", "—"), *Petition.Channel.intake_choices()],
        error_messages={"required": _("Choose how the petition was received.")},
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=DateInput(),
        error_messages={
            "required": _("Enter the date the petition was received."),
            "invalid": _("Enter the date as day/month/year, e.g. 05/03/2026."),
        },
    )

    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=format_lazy(
            _(
                "PDF, images (JPEG, PNG, GIF, WebP), Word or Excel; at most {count} files of "
                "{size} MB each."
            ),
            count=MAX_FILES,
            size=MAX_UPLOAD_SIZE // (1024 * 1024),
        ),
    )

    def __init__(
        self,
        *args,
        user,
        petition: Petition | None = None,
        default_channel: str = "",
        **kwargs,
    ):
        self.petition = petition
        if petition is not None:
            kwargs.setdefault("initial", self.initial_from(petition))
        super().__init__(*args, **kwargs)
        # Classification at intake is for those who manage petitions; editing never
        # classifies (that is its own step, with its own event).
        self.classifies = petition is None and permissions.can_manage_petitions(user)
        if not self.classifies:
            del self.fields["topic"]
            del self.fields["urgency"]
        if petition is not None and petition.channel == Petition.Channel.RECEPTION:
            # A visit's petition keeps its channel when corrected.
            self.fields["channel"].choices = [("", "—"), *Petition.Channel.choices]
        if default_channel and not self.initial.get("channel"):
            self.fields["channel"].initial = default_channel
        if petition is None:
            self.fields["received_on"].initial = timezone.localdate()
            self.fields["summary"].widget.attrs["autofocus"] = True

    @staticmethod
    def initial_from(petition: Petition) -> dict:
        initial = {field: getattr(petition, field) for field in EDITABLE_FIELDS}
        initial["residential_unit"] = petition.residential_unit_id
        initial["legal_channel_note"] = petition.legal_channel_note
        return initial

    # Fields intake cannot do without: once they parse, the service's rules are asked.
    _NEEDED = ("kind", "summary", "content", "petitioner_name", "channel", "received_on")

    def clean(self):
        data = super().clean()
        if not data.get("is_group"):
            data["people_count"] = 1
            self.errors.pop("people_count", None)
        elif data.get("people_count") is None and "people_count" not in self.errors:
            data["people_count"] = 0  # a group whose size was left empty: the rule says why
        if data.get("kind") not in Petition.LEGAL_PROCEDURE_KINDS:
            data["legal_channel_note"] = ""
            self.errors.pop("legal_channel_note", None)
        if all(name in data for name in self._NEEDED):
            # The rules live in the service; asking it here shows every refusal at once.
            for error in services.petition_data_errors(self.petition_data()):
                if error.field not in self.errors:
                    add_to_form(self, error)
        return data

    @property
    def routes_out(self) -> bool:
        return self.cleaned_data.get("kind") in Petition.LEGAL_PROCEDURE_KINDS

    def petition_data(self, *, submitted_by_department: Department | None = None) -> PetitionData:
        data = self.cleaned_data
        return PetitionData(
            kind=data["kind"],
            summary=data["summary"],
            content=data["content"],
            petitioner_name=data["petitioner_name"],
            petitioner_phone=data.get("petitioner_phone", ""),
            petitioner_address=data.get("petitioner_address", ""),
            residential_unit=data.get("residential_unit"),
            is_group=data.get("is_group", False),
            people_count=data.get("people_count") or 1,
            hide_identity=data.get("hide_identity", False),
            channel=data["channel"],
            received_on=data["received_on"],
            topic=data.get("topic"),
            urgency=data.get("urgency") or Petition.Urgency.NORMAL,
            submitted_by_department=submitted_by_department,
            legal_channel_note=data.get("legal_channel_note", ""),
        )

    def changes(self) -> dict:
        """The fields `petition_update` takes; the submitting organisation is not the form's."""
        return {
            field: self.cleaned_data[field]
            for field in EDITABLE_FIELDS
            if field in self.fields and field in self.cleaned_data
        }


class QuickEntryForm(PetitionForm):
    """One screen, many petitions in a row: no attachments, shorter boxes."""

    # Kept from one petition to the next within a sitting.
    STICKY_FIELDS = ("channel", "received_on", "residential_unit", "kind", "topic")

    field_order = [
        "channel",
        "received_on",
        "kind",
        "topic",
        "petitioner_name",
        "petitioner_phone",
        "residential_unit",
        "petitioner_address",
        "is_group",
        "people_count",
        "hide_identity",
        "summary",
        "urgency",
        "content",
        "legal_channel_note",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["attachments"]
        self.fields["content"].widget.attrs["rows"] = 3
        self.fields["legal_channel_note"].widget.attrs["rows"] = 1
        self.fields["summary"].widget.attrs.pop("autofocus", None)
        self.fields["petitioner_name"].widget.attrs["autofocus"] = True
        for field in self.fields.values():
            field.help_text = ""

    def sticky_values(self) -> dict:
        """What the next blank form starts with, in a form a session can store."""
        data = self.cleaned_data
        sticky = {}
        for name in self.STICKY_FIELDS:
            value = data.get(name)
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, date):
                value = value.isoformat()
            sticky[name] = value
        return sticky

    @staticmethod
    def initial_from_sticky(sticky: dict) -> dict:
        initial = dict(sticky)
        if initial.get("received_on"):
            try:
                initial["received_on"] = date.fromisoformat(initial["received_on"])
            except (TypeError, ValueError):
                del initial["received_on"]
        return {key: value for key, value in initial.items() if value not in (None, "")}

"""Forms of the sessions' pages. They parse input; the rules are in sessions/services.py."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateField, ModelMultipleChoiceField
from petitions.forms import LimitedCharField
from petitions.models import Department, Petition, ResidentialUnit, Topic
from petitions.uploads import MultipleFileField
from sessions.models import DialogueSession, Invitation, Invitee, PreparationStep
from sessions.services import SessionData

LONG = 10_000


def _long(label, *, required=True, rows=3, help_text="", limit=LONG):
    return LimitedCharField(
        label=label,
        noun=label,
        limit=limit,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=DialogueSession.Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    held_on = DateField(label=_("Date"))
    starts_at = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TimeInput,
        input_formats=["%H:%M", "%H.%M", "%Hh%M", "%Hh"],
        error_messages={"invalid": _("Enter the time as hh:mm, e.g. 07:30.")},
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    half_year = forms.TypedChoiceField(
        label=_("Half of the year"),
        choices=[("", _("— Choose the half of the year —")), *DialogueSession.HalfYear.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    topics = ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A thematic session's subject."),
    )
    pressing_issue = _long(_("Pressing issue"), required=False)
    decided_by = forms.CharField(
        label=_("Decided by"), max_length=200, required=False, initial="Thường trực Đảng ủy"
    )
    chair = forms.ChoiceField(
        label=_("Chaired by"), choices=DialogueSession.Chair.choices, widget=forms.RadioSelect
    )
    secretary_name = forms.CharField(label=_("Party Secretary"), max_length=120, required=False)
    council_chair_name = forms.CharField(
        label=_("Chair of the People's Council"), max_length=120, required=False
    )
    committee_chair_name = forms.CharField(
        label=_("Chair of the People's Committee"), max_length=120, required=False
    )
    participating_units = ModelMultipleChoiceField(
        label=_("Participating units"),
        queryset=Department.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    advisory_unit = forms.ModelChoiceField(
        label=_("Advisory unit"),
        queryset=Department.objects.active(),
        required=False,
        empty_label=_("— Choose the advisory unit —"),
    )
    target_audience = _long(_("Who is invited to speak"), required=False, rows=2)
    organiser = forms.ModelChoiceField(
        label=_("Organised by"), queryset=Department.objects.none(), empty_label=None
    )
    organiser_head_name = forms.CharField(
        label=_("Head of the organisation, who chairs the dialogue"), max_length=120
    )

    PARTY_ONLY = ("chair", "secretary_name", "council_chair_name", "committee_chair_name")

    def __init__(self, *args, organisations=None, **kwargs):
        """`organisations`: the Front units a planner may organise a dialogue for (plan
        section IV.2); their form names the organisation and its head instead of the
        commune's leaders."""
        super().__init__(*args, **kwargs)
        if organisations:
            self.fields["organiser"].queryset = Department.objects.filter(
                pk__in=[unit.pk for unit in organisations]
            )
            for name in self.PARTY_ONLY:
                del self.fields[name]
        else:
            del self.fields["organiser"]
            del self.fields["organiser_head_name"]

    @property
    def for_organisation(self) -> bool:
        return "organiser" in self.fields

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            title=data["title"],
            kind=data["kind"],
            held_on=data["held_on"],
            starts_at=data.get("starts_at"),
            location=data.get("location", ""),
            half_year=data.get("half_year"),
            topics=list(data.get("topics") or []),
            pressing_issue=data.get("pressing_issue", ""),
            decided_by=data.get("decided_by", ""),
            chair=data.get("chair") or DialogueSession.Chair.ORGANISATION,
            secretary_name=data.get("secretary_name", ""),
            council_chair_name=data.get("council_chair_name", ""),
            committee_chair_name=data.get("committee_chair_name", ""),
            participating_units=list(data.get("participating_units") or []),
            advisory_unit=data.get("advisory_unit"),
            target_audience=data.get("target_audience", ""),
            organiser=data.get("organiser"),
            organiser_head_name=data.get("organiser_head_name", ""),
        )

    @staticmethod
    def initial_from(session: DialogueSession) -> dict:
        data = SessionData.of(session)
        return {
            **data.__dict__,
            "advisory_unit": session.advisory_unit_id,
            "organiser": session.organiser_id,
        }


class AnnounceForm(forms.Form):
    short_notice_reason = _long(
        _("Reason for the short notice"),
        required=False,
        help_text=_("Needed only when the session is less than 7 days away."),
    )


class OrganisationAnnounceForm(forms.Form):
    """An organisation's dialogue with its own members: nothing to ask (no notice period)."""


class PostponeForm(forms.Form):
    new_date = DateField(label=_("New date"))
    reason = _long(_("Reason"))


class CancelForm(forms.Form):
    reason = _long(_("Reason"))


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=PreparationStep.Step.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AgendaFilterForm(forms.Form):
    """Which petitions to offer for the agenda; nothing here changes the agenda."""

    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )
    residential_unit = forms.ModelChoiceField(
        label=_("Hamlet or block"),
        queryset=ResidentialUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=[("", _("All")), *Petition.Urgency.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("open", _("All open")),
            ("unanswered", _("Not yet answered")),
            ("answered", _("Answered")),
            ("", _("All")),
        ],
        required=False,
        initial="open",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, petitions):
        if not self.is_valid():
            return petitions.open()
        data = self.cleaned_data
        if data.get("topic"):
            petitions = petitions.filter(topic=data["topic"])
        if data.get("residential_unit"):
            petitions = petitions.filter(residential_unit=data["residential_unit"])
        if data.get("urgency"):
            petitions = petitions.filter(urgency=data["urgency"])
        status = data.get("status")
        if status == "open" or status is None:
            petitions = petitions.open()
        elif status == "unanswered":
            petitions = petitions.filter(
                status__in=[
                    Petition.Status.RECEIVED,
                    Petition.Status.CLASSIFIED,
                    Petition.Status.ASSIGNED,
                    Petition.Status.RETURNED,
                ]
            )
        elif status == "answered":
            petitions = petitions.filter(status=Petition.Status.ANSWERED)
        return petitions


class IdsForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, required=True, choices=[])

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in choices]
        self.fields["ids"].error_messages["required"] = _("Tick at least one petition.")


class InvitationForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How"), choices=Invitation.Mode.choices, widget=forms.RadioSelect
    )
    note = _long(_("Note to the invitees"), required=False, rows=2)


class InviteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Invitee.Kind.choices)
    department = forms.ModelChoiceField(
        label=_("Unit or organisation"),
        queryset=Department.objects.active(),
        required=False,
        empty_label=_("— Choose a unit —"),
    )
    residential_unit = forms.ModelChoiceField(
        label=_("Hamlet or block"),
        queryset=ResidentialUnit.objects.filter(is_active=True),
        required=False,
        empty_label=_("— Choose a hamlet or block —"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(
        label=_("People attending"),
        min_value=0,
        max_value=100_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    units = ModelMultipleChoiceField(
        label=_("Units attending"),
        queryset=Department.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class SpeechForm(forms.Form):
    """One speaker at the session. `client_id` is made when the form is shown: sending the
    same form twice updates one speech."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    speaker = forms.CharField(label=_("Speaker"), max_length=200)
    speaker_from = forms.CharField(label=_("Hamlet or unit"), max_length=200, required=False)
    raised = _long(_("What was raised"), rows=3)
    agenda_item = forms.TypedChoiceField(
        label=_("About the agenda petition"), coerce=int, required=False, empty_value=None
    )
    new_petition = forms.BooleanField(
        label=_("Record it as a new petition raised at the session"), required=False
    )
    answer = _long(_("Answer given at the session"), required=False, rows=3)
    answered_by = forms.CharField(label=_("Answered by"), max_length=200, required=False)
    dialogued = forms.BooleanField(label=_("Dialogued"), required=False, initial=True)

    def __init__(self, *args, agenda=(), organisations=False, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations:
            # An organisation forwards its proposals after the session (sessions/forwarding.py).
            del self.fields["new_petition"]
        self.agenda = {item.pk: item for item in agenda}
        self.fields["agenda_item"].choices = [
            ("", _("— None: something else —")),
            *((item.pk, f"{item.petition.code} — {item.petition.summary}") for item in agenda),
        ]


class MinutesForm(forms.Form):
    recorder_name = forms.CharField(
        label=_("Recorded by"), max_length=120, required=False, help_text=_("Signs the minutes.")
    )
    text = _long(_("Text of the minutes"), rows=24, limit=50_000)


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Documents"),
        help_text=_("PDF, images, Word or Excel; at most 5 files of 10 MB each."),
    )

"""Forms of the conclusions' pages. They parse input; the rules are in conclusions/services.py."""

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conclusions.models import Directive, ProgressReport
from conclusions.services import ConclusionData, DirectiveData, ReportData
from doluong_dialogue.forms import DateField, ModelMultipleChoiceField
from doluong_dialogue.text import person_name
from petitions.forms import LimitedCharField
from petitions.models import Assignment, Department, Petition, ResidentialUnit, Topic
from petitions.uploads import MultipleFileField
from sessions.models import DialogueSession


def _formatted(label, *, limit, rows=6, required=False, help_text=""):
    """A formatted text (doluong_dialogue.formatted): the toolbar of static/js/formatted.js."""
    return LimitedCharField(
        label=label,
        noun=label,
        limit=limit,
        required=required,
        help_text=help_text
        or _("One paragraph a line. **Bold**, *italic*; a line starting with “- ” is a dash item."),
        widget=forms.Textarea(attrs={"rows": rows, "data-formatted": ""}),
    )


def _units():
    return Department.objects.filter(is_active=True).order_by("order", "name")


class ConclusionForm(forms.Form):
    summary = LimitedCharField(
        label=_("Summary line"),
        noun=_("Summary line"),
        limit=300,
        help_text=_("The bold line under “THÔNG BÁO”."),
    )
    opening = _formatted(_("Opening"), limit=5_000, rows=4)
    dialogued = _formatted(_("1. What was dialogued"), limit=20_000, rows=8)
    not_dialogued = _formatted(_("2. What was not dialogued"), limit=20_000, rows=4)
    resolved = _formatted(_("3. What is resolved"), limit=20_000, rows=4)
    in_progress = _formatted(_("4. What is being and will be resolved"), limit=20_000, rows=6)
    closing = _formatted(_("Closing"), limit=5_000, rows=3)
    recipient_units = ModelMultipleChoiceField(
        label=_("Recipient units"),
        queryset=_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Printed under “Nơi nhận” and e-mailed the signed notice when it is issued."),
    )
    other_recipients = LimitedCharField(
        label=_("Other recipients"),
        noun=_("Other recipients"),
        limit=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, e.g. “Các chi bộ trực thuộc”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_units"].queryset = _units()

    def data_for_service(self) -> ConclusionData:
        return ConclusionData(**self.cleaned_data)


class DirectiveForm(forms.Form):
    lead = forms.ModelChoiceField(
        label=_("Lead unit"),
        queryset=_units(),
        required=False,
        empty_label=_("— Choose the lead unit —"),
    )
    supporting = ModelMultipleChoiceField(
        label=_("Supporting units"),
        queryset=_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task = LimitedCharField(
        label=_("Task"),
        noun=_("Task"),
        limit=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the unit must do, as the notice will say it after “Chủ trì …”."),
    )
    deadline = DateField(label=_("Deadline (a date)"), required=False)
    working_days = forms.IntegerField(
        label=_("or working days from the issue"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    report_how = forms.CharField(
        label=_("How the result is reported"),
        max_length=300,
        required=False,
        initial="báo cáo Thường trực Đảng ủy",
    )
    petitions = ModelMultipleChoiceField(
        label=_("Petitions it answers"),
        queryset=Petition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _units()
        self.fields["supporting"].queryset = _units()
        self.fields["petitions"].queryset = Petition.objects.filter(
            agenda_items__session=session
        ).order_by("code")
        self.fields["petitions"].label_from_instance = lambda p: f"{p.code} — {p.summary}"

    def data_for_service(self) -> DirectiveData:
        data = dict(self.cleaned_data)
        data["supporting"] = list(data["supporting"])
        data["petitions"] = list(data["petitions"])
        return DirectiveData(**data)


class ReturnForm(forms.Form):
    comment = LimitedCharField(
        label=_("What should be changed"),
        noun=_("Comment"),
        limit=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report"),
        choices=ProgressReport.Kind.choices,
        widget=forms.RadioSelect,
        initial=ProgressReport.Kind.PROGRESS,
    )
    text = LimitedCharField(
        label=_("What was done"),
        noun=_("Report"),
        limit=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    stage = forms.CharField(label=_("Stage reached"), max_length=200, required=False)
    percent = forms.IntegerField(
        label=_("Done (%)"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    files = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Required for completion. PDF, images, Word or Excel; at most 5 files."),
    )

    def data_for_service(self) -> ReportData:
        return ReportData(**self.cleaned_data)


class ReviewNoteForm(forms.Form):
    note = LimitedCharField(
        label=_("What the unit must add or correct"),
        noun=_("Note"),
        limit=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Oversight ------------------------------------------------------------------------------


class OversightFilterForm(forms.Form):
    """The dashboard's filters (GET): the period of the on-time rate, and what every figure is
    narrowed to."""

    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=DialogueSession.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.order_by("order", "name"),
        required=False,
        empty_label=_("All"),
    )
    hamlet = forms.ModelChoiceField(
        label=_("Hamlet or block"),
        queryset=ResidentialUnit.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = DialogueSession.objects.filter(
            held_on__isnull=False
        ).order_by("-held_on")
        self.fields["session"].label_from_instance = lambda session: (
            f"{session.held_on:%d/%m/%Y} — {session.title}"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return data


def _evidence(what: str, deadline) -> str:
    return gettext("%(what)s (deadline %(day)s)") % {"what": what, "day": f"{deadline:%d/%m/%Y}"}


class FlagForm(forms.Form):
    """A proposal of review of a unit (or one of its members) with the overdue items as
    evidence; the unit comes from the register's row."""

    person = forms.ModelChoiceField(
        label=_("A member in particular (optional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— The unit as a whole —"),
    )
    reason = LimitedCharField(
        label=_("Reason"),
        noun=_("Reason"),
        limit=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    assignments = ModelMultipleChoiceField(
        label=_("Overdue assignments (evidence)"),
        queryset=Assignment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    directives = ModelMultipleChoiceField(
        label=_("Overdue directives (evidence)"),
        queryset=Directive.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, unit, assignments, directives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["person"].queryset = unit.members.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        self.fields["person"].label_from_instance = person_name
        self.fields["assignments"].queryset = assignments
        self.fields["assignments"].label_from_instance = lambda a: _evidence(
            f"{a.petition.code} — {a.petition.summary}", a.deadline
        )
        self.fields["directives"].queryset = directives
        self.fields["directives"].label_from_instance = lambda d: _evidence(
            d.task[:120], d.deadline
        )

    def data_for_service(self):
        from conclusions.review_flags import FlagData

        data = self.cleaned_data
        return FlagData(
            reason=data["reason"],
            unit=self.unit,
            person=data["person"],
            assignments=list(data["assignments"]),
            directives=list(data["directives"]),
        )


class FlagDecisionForm(forms.Form):
    note = LimitedCharField(
        label=_("Conclusion of the Standing Committee"),
        noun=_("Conclusion"),
        limit=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UrgingLetterForm(forms.Form):
    request = LimitedCharField(
        label=_("What the unit is asked to do"),
        noun=_("Request"),
        limit=3_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reply_by = DateField(label=_("Report by"), required=False)

    def data_for_service(self):
        from conclusions.urging import LetterData

        return LetterData(
            request=self.cleaned_data["request"], reply_by=self.cleaned_data["reply_by"]
        )


class ReportPeriodForm(forms.Form):
    """The period of the statistics and the report (GET)."""

    kind = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("month", _("Month")),
            ("quarter", _("Quarter")),
            ("half1", _("First half of the year")),
            ("nine_months", _("Nine months")),
            ("half2", _("Second half of the year")),
            ("year", _("Year")),
            ("custom", _("From a day to a day")),
        ],
        initial="year",
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(
        label=_("Month or quarter"), min_value=1, max_value=12, required=False
    )
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The period ends before it starts."))
        elif kind:
            if not data.get("year"):
                self.add_error("year", _("Give the year."))
            number = data.get("number")
            if kind in ("month", "quarter") and not number:
                self.add_error("number", _("Give the month or the quarter."))
            elif kind == "quarter" and number and number > 4:
                self.add_error("number", _("A quarter is numbered 1 to 4."))
        return data

    def period(self):
        from conclusions.reports import Period

        data = self.cleaned_data
        return Period.of(
            data["kind"],
            data.get("year") or 0,
            number=data.get("number") or 1,
            start=data.get("start"),
            end=data.get("end"),
        )

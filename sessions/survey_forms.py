"""Forms of the survey's pages: its settings, the online form and the paper entry. They parse
input; the rules are in sessions/surveys.py."""

from datetime import time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from doluong_dialogue.forms import DateField
from petitions.forms import LimitedCharField
from petitions.models import ResidentialUnit
from sessions import surveys
from sessions.models import SCALE, SCALE_LABELS, SurveyResponse


class SurveySettingsForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions"),
        help_text=_(
            "One question a line, each answered on the five-point scale; the last one is "
            "the overall satisfaction."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
    )
    opens_on = DateField(label=_("Online form open from"))
    closes_on = DateField(label=_("Online form open until (inclusive)"))

    @classmethod
    def initial_from(cls, survey) -> dict:
        return {
            "questions": "\n".join(survey.questions),
            "opens_on": surveys.local_day(survey.opens_at),
            "closes_on": surveys.last_day(survey),
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "questions": data["questions"].splitlines(),
            "opens_at": surveys.local_moment(data["opens_on"], time(0, 0)),
            "closes_at": surveys.local_moment(data["closes_on"] + timedelta(days=1), time(0, 0)),
        }


def _hamlets():
    return ResidentialUnit.objects.filter(is_active=True).order_by("order", "name")


class _AnswerForm(forms.Form):
    """The questions as fields q1, q2, … (1…5 or empty), the suggestions, hamlet and age."""

    suggestion_widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        for number, question in enumerate(survey.questions, start=1):
            self.fields[f"q{number}"] = self.question_field(number, question)
        self.fields["suggestion"] = LimitedCharField(
            label=_("Other opinions and suggestions"),
            noun=_("Suggestions"),
            limit=surveys.MAX_SUGGESTION,
            required=False,
            widget=self.suggestion_widget,
        )
        self.fields["hamlet"] = forms.ModelChoiceField(
            label=_("Your hamlet or block (optional)"),
            queryset=_hamlets(),
            required=False,
            empty_label=_("— Not given —"),
            widget=forms.Select(attrs={"class": "form-select"}),
            error_messages={"invalid_choice": _("Choose a hamlet from the list.")},
        )
        self.fields["age_group"] = forms.ChoiceField(
            label=_("Age group (optional)"),
            choices=[("", _("— Not given —")), *SurveyResponse.AgeGroup.choices],
            required=False,
            widget=forms.Select(attrs={"class": "form-select"}),
            error_messages={"invalid_choice": _("Choose an age group from the list.")},
        )

    def question_field(self, number, question):
        raise NotImplementedError

    @property
    def question_fields(self):
        return [self[f"q{n}"] for n in range(1, len(self.survey.questions) + 1)]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "answers": [data.get(f"q{n}") for n in range(1, len(self.survey.questions) + 1)],
            "suggestion": data.get("suggestion") or "",
            "hamlet": data.get("hamlet"),
            "age_group": data.get("age_group") or "",
        }


class OnlineAnswerForm(_AnswerForm):
    # Checked by the view: a missing or forged one gets its own page.
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def question_field(self, number, question):
        return forms.TypedChoiceField(
            label=f"{number}. {question}",
            choices=list(SCALE_LABELS.items()),
            coerce=int,
            required=False,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": _("Choose one of the answers.")},
        )


class PaperAnswerForm(_AnswerForm):
    """One key per answer: 1…5, or 0 when the question was left blank on paper."""

    suggestion_widget = forms.TextInput(attrs={"autocomplete": "off"})

    def question_field(self, number, question):
        return forms.TypedChoiceField(
            label=f"{number}. {question}",
            choices=[("0", "0"), *((str(v), str(v)) for v in SCALE)],
            coerce=lambda value: int(value) or None,
            required=True,
            empty_value=None,
            widget=forms.TextInput(
                attrs={
                    "maxlength": "1",
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "pattern": "[0-5]",
                    "class": "form-control paper-answer text-center",
                    "data-paper-answer": str(number),
                }
            ),
            error_messages={
                "invalid_choice": _("Type 1 to 5, or 0 for no answer."),
                "required": _("Type 1 to 5, or 0 for no answer."),
            },
        )

"""The Secretary's reception days, the reception register typed in on the day, and the
register of a month as Excel and PDF; the public schedule (no login, no visitor data)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doluong_dialogue import clock
from doluong_dialogue.forms import DateField
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions
from sessions import permissions, reception
from sessions.forms import TimeInput
from sessions.models import ReceptionDay, ReceptionVisit

TIME_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%Hh"]


class ReceptionDayForm(forms.Form):
    held_on = DateField(label=gettext_lazy("Date"))
    starts_at = forms.TimeField(
        label=gettext_lazy("Starts at"),
        widget=TimeInput,
        input_formats=TIME_FORMATS,
        error_messages={"invalid": gettext_lazy("Enter the time as hh:mm, e.g. 07:30.")},
    )
    ends_at = forms.TimeField(
        label=gettext_lazy("Ends at"),
        required=False,
        widget=TimeInput,
        input_formats=TIME_FORMATS,
        error_messages={"invalid": gettext_lazy("Enter the time as hh:mm, e.g. 07:30.")},
    )
    location = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    ad_hoc = forms.BooleanField(label=gettext_lazy("Ad hoc"), required=False)
    ad_hoc_reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        required=False,
        choices=[("", gettext_lazy("— For an ad hoc day —")), *ReceptionDay.Reason.choices],
    )


# The kind of a visit, typed as one key on the entry page (as the paper survey forms'
# answers are): the register's order, Mẫu 03.
KIND_KEYS = {
    "1": ReceptionVisit.Kind.COMPLAINT,
    "2": ReceptionVisit.Kind.DENUNCIATION,
    "3": ReceptionVisit.Kind.PROPOSAL,
    "4": ReceptionVisit.Kind.FEEDBACK,
}


class VisitForm(forms.Form):
    """One line of the register, typed from the keyboard: the name first, the kind as one key
    (1-4), Enter saves. Only the parsing is here; the rules are reception.visit_errors."""

    visitor_name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=200,
        error_messages={"required": gettext_lazy("Enter the visitor's name.")},
        widget=forms.TextInput({"autofocus": True, "autocomplete": "off"}),
    )
    visitor_address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=300,
        required=False,
        widget=forms.TextInput({"autocomplete": "off"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("9 or 12 digits"),
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.CharField(
        label=gettext_lazy("Kind: 1 complaint, 2 denunciation, 3 proposal, 4 feedback"),
        max_length=20,
        error_messages={
            "required": gettext_lazy(
                "Type the kind: 1 complaint, 2 denunciation, 3 proposal, 4 feedback."
            )
        },
        widget=forms.TextInput(
            {
                "data-kind-key": "",
                "inputmode": "numeric",
                "autocomplete": "off",
                "maxlength": "1",
                "size": "2",
            }
        ),
    )
    content = forms.CharField(
        label=gettext_lazy("Summary of the content"),
        max_length=5000,
        # Required, so that its label is starred like the name's: a visit without content
        # is refused (reception.visit_errors says so again for the other callers).
        error_messages={"required": gettext_lazy("Enter a summary of what was raised.")},
        help_text=gettext_lazy("Enter saves; Shift+Enter starts a new line."),
        widget=forms.Textarea({"rows": 2, "data-enter-submits": ""}),
    )
    people_count = forms.IntegerField(
        label=gettext_lazy("Number of people"),
        initial=1,
        min_value=1,
        error_messages={
            "required": gettext_lazy("At least one person came."),
            "invalid": gettext_lazy("Type the number of people as a number."),
            "min_value": gettext_lazy("At least one person came."),
        },
    )
    hide_identity = forms.BooleanField(
        label=gettext_lazy("Hide the visitor's identity from units"), required=False
    )
    handled_before_by = forms.CharField(
        label=gettext_lazy("Body that has handled it before"), max_length=300, required=False
    )
    # Blank: as the kind says (reception.remit_by_kind); the page's script shows the kind's
    # answer as soon as the kind is typed, and the clerk may change it.
    within_remit = forms.TypedChoiceField(
        label=gettext_lazy("Within the committee's remit"),
        choices=[
            ("", gettext_lazy("As the kind says")),
            ("yes", gettext_lazy("Yes")),
            ("no", gettext_lazy("No")),
        ],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.Select({"data-remit": ""}),
    )
    guidance = forms.CharField(
        label=gettext_lazy("Guidance given or transfer made"), max_length=2000, required=False
    )
    follow_up = forms.CharField(label=gettext_lazy("Follow-up of the result"), required=False)

    def clean_kind(self) -> str:
        typed = self.cleaned_data["kind"].strip()
        kind = KIND_KEYS.get(typed, typed)
        if kind not in ReceptionVisit.Kind.values:
            raise forms.ValidationError(
                _("Type the kind: 1 complaint, 2 denunciation, 3 proposal, 4 feedback.")
            )
        return kind


def _month(request) -> tuple[int, int]:
    today = clock.today()
    try:
        year, month = int(request.GET.get("year", "")), int(request.GET.get("month", ""))
    except ValueError:
        return today.year, today.month
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return year, month
    return today.year, today.month


SHOW = {
    "scheduled": gettext_lazy("scheduled days"),
    "held": gettext_lazy("days held"),
    "ad_hoc": gettext_lazy("ad-hoc days"),
    "cancelled": gettext_lazy("cancelled days"),
}


def _listing(request) -> tuple[int, int | None, str]:
    """The year, month (or None) and kind of days the schedule page is asked to list."""
    today = clock.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= 2100:
        year = today.year
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        month = None
    if month is not None and not 1 <= month <= 12:
        month = None
    show = request.GET.get("show", "")
    return year, month, show if show in SHOW else ""


@login_required
def schedule(request):
    """The reception days of a year month by month against the minimum, the days listed
    (of a month, of a kind), and scheduling one."""
    permissions.reception_access(request.user, manage=request.method == "POST")
    form = ReceptionDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            day = reception.reception_day_schedule(actor=request.user, **form.cleaned_data)
        except RuleError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Reception day scheduled: %(day)s.") % {"day": str(day)})
            return redirect("sessions:reception")
    today = clock.today()
    year, month, show = _listing(request)
    days = reception.days_listed(year, month, show, on=today).annotate(visit_count=Count("visits"))
    context = {
        "form": form,
        "days": days,
        "months": reception.months_of_year(year, on=today),
        "year": year,
        "month": month,
        "show": show,
        "show_label": SHOW.get(show, ""),
        "can_manage": permissions.can_keep_reception(request.user),
        "required": reception.RECEPTION_DAYS_PER_MONTH,
        "today": today,
        "export_year": year if month else today.year,
        "export_month": month or today.month,
    }
    return render(request, "sessions/reception/schedule.html", context)


class CancelDayForm(forms.Form):
    cancel_reason = forms.CharField(
        label=gettext_lazy("Reason for cancelling"),
        max_length=500,
        error_messages={"required": gettext_lazy("Say why the reception day is cancelled.")},
    )


@login_required
def day_register(request, pk: int):
    """The register of one reception day, with the fast form for the next visit."""
    day = permissions.reception_day_for_user(request.user, pk, manage=request.method == "POST")
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = reception.reception_visit_record(
                day=day, data=reception.VisitData(**form.cleaned_data), actor=request.user
            )
        except RuleError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("Visit %(number)s recorded (petition %(code)s).")
                % {"number": visit.number, "code": visit.petition.code},
            )
            return redirect("sessions:reception_day", pk=day.pk)
    return _day_page(request, day, form, CancelDayForm())


def _identity_reader(user):
    """Whether the user may know a visitor who asked to stay unnamed (by their petition)."""
    return lambda petition: petition_permissions.can_see_identity(user, petition)


def _day_page(request, day: ReceptionDay, form, cancel_form):
    visits = list(day.visits.select_related("petition"))
    show_id_numbers = permissions.can_see_id_numbers(request.user)
    show_identity = _identity_reader(request.user)
    for visit in visits:
        visit.shown_id_number = (
            visit.id_number if show_id_numbers else reception.mask_id_number(visit.id_number)
        )
        visit.withheld = reception.identity_withheld(visit, show_identity)
    context = {
        "day": day,
        "form": form,
        "cancel_form": cancel_form,
        "visits": visits,
        "can_manage": permissions.can_keep_reception(request.user),
        "today": clock.today(),
        "next_number": reception.next_number(day.held_on.year),
        "kind_labels": {
            key: str(ReceptionVisit.Kind(kind).label) for key, kind in KIND_KEYS.items()
        },
    }
    return render(request, "sessions/reception/day.html", context)


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(
        label=gettext_lazy("Follow-up of the result"),
        required=False,
        max_length=reception.FOLLOW_UP_MAX_LENGTH,
        widget=forms.Textarea({"rows": 2}),
    )


@login_required
@require_POST
def visit_follow_up(request, pk: int):
    """The office writes the follow-up of one line of the register, later."""
    visit = permissions.reception_visit_for_user(request.user, pk, manage=True)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            reception.reception_visit_follow_up(
                visit=visit, follow_up=form.cleaned_data["follow_up"], actor=request.user
            )
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Follow-up of visit %(number)s saved.") % {"number": visit.number}
            )
    else:
        messages.error(request, " ".join(form.errors["follow_up"]))
    return redirect(f"{reverse('sessions:reception_day', args=[visit.day_id])}#visit-{visit.pk}")


@login_required
@require_POST
def day_cancel(request, pk: int):
    day = permissions.reception_day_for_user(request.user, pk, manage=True)
    form = CancelDayForm(request.POST)
    if form.is_valid():
        try:
            reception.reception_day_cancel(
                day=day, reason=form.cleaned_data["cancel_reason"], actor=request.user
            )
        except RuleError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Reception day %(day)s cancelled.") % {"day": str(day)})
            return redirect("sessions:reception_day", pk=day.pk)
    return _day_page(request, day, VisitForm(), form)


@login_required
@require_POST
def day_mark_held(request, pk: int):
    day = permissions.reception_day_for_user(request.user, pk, manage=True)
    try:
        reception.reception_day_mark_held(day=day, actor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Reception day %(day)s marked held.") % {"day": str(day)})
    return redirect("sessions:reception_day", pk=day.pk)


@login_required
def register_xlsx(request):
    permissions.reception_access(request.user)
    year, month = _month(request)
    response = HttpResponse(
        reception.register_workbook(
            year,
            month,
            show_id_numbers=permissions.can_see_id_numbers(request.user),
            show_identity=_identity_reader(request.user),
        ),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-tiep-cong-dan-{year}-{month:02d}.xlsx"'
    )
    return response


@login_required
def register_pdf(request):
    permissions.reception_access(request.user)
    year, month = _month(request)
    content = reception.register_pdf(
        year,
        month,
        show_id_numbers=permissions.can_see_id_numbers(request.user),
        show_identity=_identity_reader(request.user),
    )
    response = HttpResponse(content, "application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-tiep-cong-dan-{year}-{month:02d}.pdf"'
    return response


def public_schedule(request):
    """The Secretary's reception days to come, as they must be posted: dates, times, places."""
    days = ReceptionDay.objects.upcoming(on=clock.today()).only(
        "held_on", "starts_at", "ends_at", "location"
    )
    return render(request, "sessions/reception/public.html", {"days": days})


urlpatterns = [
    path("tiep-dan/", schedule, name="reception"),
    path("tiep-dan/<int:pk>/", day_register, name="reception_day"),
    path("tiep-dan/<int:pk>/cancel/", day_cancel, name="reception_day_cancel"),
    path("tiep-dan/<int:pk>/held/", day_mark_held, name="reception_day_held"),
    path("tiep-dan/luot/<int:pk>/theo-doi/", visit_follow_up, name="reception_follow_up"),
    path("tiep-dan/so.xlsx", register_xlsx, name="reception_xlsx"),
    path("tiep-dan/so.pdf", register_pdf, name="reception_pdf"),
]

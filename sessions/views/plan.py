"""The year's plan: its sessions as a list and as a month calendar, and planning a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions
from sessions import figures, permissions, selectors, services
from sessions.forms import SessionForm
from sessions.models import DialogueSession

# The lists behind the home pages' figures (sessions/figures.py counts them the same way).
LIST_FILTERS = {
    "to_prepare": lambda sessions: sessions.to_prepare(),
    "upcoming": lambda sessions: figures.upcoming(sessions, on=clock.today()),
    "invitations_waiting": figures.invitations_waiting,
    "minutes_waiting": lambda sessions: sessions.minutes_waiting(),
}


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


@login_required
def year_plan(request):
    """The sessions of a year; `?show=to_prepare` or `?show=minutes_waiting` (every year);
    `?show=own_planned` or `?show=own_held` (the year's dialogues of the user's organisations)."""
    if not petition_permissions.roles_of(request.user):
        raise PermissionDenied
    year = _year(request)
    show = request.GET.get("show", "")
    sessions = (
        permissions.visible_sessions(request.user)
        .select_related("organiser")
        .prefetch_related("topics")
    )
    if show in LIST_FILTERS:
        sessions = LIST_FILTERS[show](sessions).order_by("held_on", "id")
    elif show in figures.ORGANISATION_LISTS:
        own = figures.own_dialogues(sessions, permissions.organisation_ids(request.user), year=year)
        sessions = figures.ORGANISATION_LISTS[show](own).order_by("held_on", "id")
    else:
        show = ""
        sessions = sessions.of_year(year).order_by("held_on", "id")
    sessions = list(sessions)
    context = {
        "year": year,
        "show": show,
        "sessions": sessions,
        "months": selectors.year_calendar(year, sessions) if not show else [],
        "can_plan": permissions.can_plan(request.user),
        "can_plan_party": permissions.can_plan_party(request.user),
        "can_read_reception": petition_permissions.can_read_everything(request.user),
        "missing_periodic": [
            half
            for half in (1, 2)
            if not any(
                s.kind == DialogueSession.Kind.PERIODIC and s.half_year == half for s in sessions
            )
        ]
        if not show
        else [],
        "today": clock.today(),
    }
    return render(request, "sessions/plan.html", context)


@login_required
@require_POST
def plan_periodic(request):
    if not permissions.can_plan_party(request.user):
        raise PermissionDenied
    year = _year(request)
    created, skipped = services.sessions_plan_periodic(year=year, actor=request.user)
    for session in created:
        messages.success(
            request,
            _("Planned: %(title)s, on %(date)s. Set its time, place and people.")
            % {"title": session.title, "date": f"{session.held_on:%d/%m/%Y}"},
        )
    for reason in skipped:
        messages.info(request, reason)
    return redirect(f"{reverse('sessions:plan')}?year={year}")


def _last_leaders() -> dict:
    """The leaders' names as the last session had them, to start a new one with."""
    last = (
        DialogueSession.objects.of_party_committee()
        .exclude(secretary_name="")
        .order_by("-held_on")
        .first()
    )
    if last is None:
        from doluong_dialogue.models import SiteConfiguration

        return {"secretary_name": SiteConfiguration.load().secretary_name}
    return {
        "secretary_name": last.secretary_name,
        "council_chair_name": last.council_chair_name,
        "committee_chair_name": last.committee_chair_name,
    }


@login_required
def session_new(request):
    """Ban Xây dựng Đảng plans the Party committee's sessions; an organisation's staff plan
    their organisation's own dialogues (plan section IV.2)."""
    if not permissions.can_plan(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind") or DialogueSession.Kind.THEMATIC
    if permissions.can_plan_party(request.user):
        organisations = None
        initial = {
            "kind": kind,
            "chair": DialogueSession.Chair.SECRETARY,
            "decided_by": "Thường trực Đảng ủy",
            **_last_leaders(),
        }
    else:
        organisations = permissions.user_organisations(request.user)
        initial = {"kind": kind, "organiser": organisations[0].pk}
    form = SessionForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(data=form.session_data(), actor=request.user)
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Session planned."))
            return redirect("sessions:detail", pk=session.pk)
    return render(request, "sessions/session_form.html", {"form": form})


urlpatterns = [
    path("", year_plan, name="plan"),
    path("plan-periodic/", plan_periodic, name="plan_periodic"),
    path("new/", session_new, name="new"),
]

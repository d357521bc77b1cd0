"""The home page: the public page for visitors, and for each role its own working page.

It gathers figures from every app, so it lives in the top app. Every figure links to the
list it counts (petitions.figures); only what works today is offered.
"""

from django.shortcuts import render
from django.urls import reverse

from conclusions import figures as conclusion_figures
from conclusions import oversight, public, reminders
from conclusions import permissions as conclusion_permissions
from conclusions.models import Conclusion, ReviewFlag
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.paging import capped_sums
from petitions import permissions
from petitions.figures import all_petition_figures, inbox_figures, overdue_by_lead_unit
from petitions.models import Petition
from sessions import figures as session_figures
from sessions import permissions as session_permissions
from sessions import reception, selectors
from sessions.models import DialogueSession


def home(request):
    if not request.user.is_authenticated:
        context = {
            "conclusions": public.latest_conclusions(),
            "within_days": public.PUBLISH_WITHIN_DAYS,
        }
        return render(request, "public/home.html", context)
    user = request.user
    access = permissions.Access(user)
    reader = DeadlineReader()
    today = reader.on
    context = {"today": today, "today_is_working_day": reader.calendar.is_working_day(today)}
    if access.read_all:
        # Every petition: exact figures from the tallies (petitions/tallies.py).
        context["counts"] = all_petition_figures(on=today)
        context["sessions"] = session_figures.session_figures(
            DialogueSession.objects.all(), on=today
        )
        context["agenda_owed"] = session_figures.agenda_answers_owed(Petition.objects.all()).count()
    if access.read_all:
        context["conclusions"] = conclusion_figures.conclusion_figures(Conclusion.objects.all())
    followed = conclusion_permissions.visible_directives(user).followed()
    if access.read_all or permissions.department_ids(user):
        context["tasks"] = conclusion_figures.task_figures(followed, on=today, soon=reader.soon)
    if access.inspection or access.secretary or access.deputy_secretary:
        context["overdue_by_unit"] = overdue_by_lead_unit(on=today)
        context["flags_open"] = (
            conclusion_permissions.visible_flags(user)
            .exclude(status=ReviewFlag.Status.CONCLUDED)
            .count()
        )
    if access.inspection:
        context["register"] = oversight.register(oversight.Filters(), reader)
    units = permissions.user_units(user)
    if units:
        context["my_units"] = units
        context["inbox_counts"] = inbox_figures(
            [unit.pk for unit in units], on=today, soon=reader.soon
        )
    if access.front:
        # Only what the Front's tiles show, each counted in parts that indexes serve.
        parts = permissions.visible_petition_parts(user)
        context["front_counts"] = capped_sums(
            {"open": [part.open() for part in parts], "closed": [part.closed() for part in parts]}
        )
    organisations = session_permissions.organisation_ids(user)
    if organisations:
        context["own_dialogues"] = _own_dialogues(user, organisations, year=today.year)
    if access.staff:
        # What the morning's reminders tell the staff, as of now.
        context["staff_reminders"] = reminders.staff_lines(on=today)
    if access.party_building:
        days = SiteConfiguration.load().answer_working_days
        context["answer_working_days"] = days
        context["default_deadline"] = reader.calendar.add(today, days)
    if access.secretary or access.party_office:
        # Quy định 11-QĐi/TW: at least RECEPTION_DAYS_PER_MONTH reception days a month;
        # this month by the days scheduled, the past months of the year by the days held.
        context["reception_shortfalls"] = reception.month_shortfalls(on=today)
        context["reception_required"] = reception.RECEPTION_DAYS_PER_MONTH
    return render(request, "home.html", context)


def _own_dialogues(user, organisations, *, year: int) -> dict:
    """The year's dialogues of the user's organisations with their own members (plan section
    IV.2), each figure counted as the list its link opens."""
    own = session_figures.own_dialogues(DialogueSession.objects.all(), organisations, year=year)
    code = selectors.period_code(year, None)
    plan = reverse("sessions:plan")
    return {
        "year": year,
        "urls": {
            "planned": f"{plan}?show=own_planned&year={year}",
            "held": f"{plan}?show=own_held&year={year}",
            "to_issue": f"{reverse('conclusions:list')}?show=to_issue",
            "forwarded": f"{reverse('petitions:list')}?forwarded={code}",
        },
        **session_figures.organisation_dialogue_figures(own),
        "to_issue": conclusion_permissions.visible_conclusions(user)
        .filter(conclusion_figures.CONCLUSION_CONDITIONS["to_issue"]())
        .count(),
        "forwarded": selectors.forwarded_in_period(
            permissions.visible_petitions(user), code
        ).count(),
    }

"""Building a session's agenda from petitions: carry-over first, then by topic, hamlet,
urgency and status; grouped by topic and ordered by hand."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from doluong_dialogue.rules import RuleError
from petitions import permissions as petition_permissions
from sessions import permissions, selectors, services
from sessions.forms import AgendaFilterForm, IdsForm

# Petitions offered at once; more ask for narrower filters.
OFFERED = 60


def grouped_agenda(items) -> list[tuple[str, list]]:
    """The agenda by topic, in the topics' order, each group in the order chosen by hand."""
    items = sorted(
        items,
        key=lambda item: (
            item.petition.topic.order if item.petition.topic_id else 10_000,
            item.petition.topic.name if item.petition.topic_id else "",
            item.order,
            item.pk,
        ),
    )
    return [
        (topic or _("Not classified yet"), list(group))
        for topic, group in groupby(
            items, key=lambda item: item.petition.topic.name if item.petition.topic_id else ""
        )
    ]


@login_required
def agenda(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    can_plan = permissions.can_plan(request.user, session) and session.agenda_open
    items = list(permissions.visible_agenda(request.user, session))
    context = {"session": session, "groups": grouped_agenda(items), "can_plan": can_plan}
    if can_plan:
        filters = AgendaFilterForm(request.GET or None, initial={"status": "open"})
        carry_over = selectors.carry_over(session, request.user)
        # Carried-over petitions are offered once, in their own list above.
        listed = [item.petition_id for item in items] + [row.petition.pk for row in carry_over]
        offered = (
            filters.filter(petition_permissions.visible_petitions(request.user))
            .primaries()
            .exclude(pk__in=listed)
            .exclude(status__in=services.NOT_FOR_AN_AGENDA)
            .select_related("topic", "residential_unit", "lead_department")
            .order_by("-urgency", "topic__order", "-received_on", "-id")
        )
        offered = list(offered[: OFFERED + 1])
        context.update(
            {
                "filters": filters,
                "carry_over": carry_over,
                "offered": offered[:OFFERED],
                "more_offered": len(offered) > OFFERED,
                "offered_limit": OFFERED,
            }
        )
    return render(request, "sessions/agenda.html", context)


@login_required
@require_POST
def agenda_add(request, pk: int):
    session = permissions.session_for_user(request.user, pk, plan=True)
    visible = petition_permissions.visible_petitions(request.user)
    form = IdsForm(request.POST, choices=request.POST.getlist("ids"))
    back = f"{reverse('sessions:agenda', args=[session.pk])}?{request.POST.get('query', '')}"
    if not form.is_valid():
        messages.error(request, _("Tick at least one petition."))
        return redirect(back)
    petitions = list(visible.filter(pk__in=form.cleaned_data["ids"]).order_by("code"))
    try:
        change = services.agenda_add(session=session, petitions=petitions, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    if change.added:
        messages.success(
            request,
            ngettext(
                "%(count)s petition put on the agenda.",
                "%(count)s petitions put on the agenda.",
                len(change.added),
            )
            % {"count": len(change.added)},
        )
    for petition, reason in change.skipped:
        messages.warning(
            request,
            _("%(code)s was not added: %(reason)s.") % {"code": petition.code, "reason": reason},
        )
    return redirect(back)


@login_required
@require_POST
def agenda_remove(request, pk: int):
    item = permissions.agenda_item_for_user(request.user, pk, plan=True)
    try:
        services.agenda_remove(item=item, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("%(code)s taken off the agenda.") % {"code": item.petition.code}
        )
    return redirect("sessions:agenda", pk=item.session_id)


@login_required
@require_POST
def agenda_move(request, pk: int):
    item = permissions.agenda_item_for_user(request.user, pk, plan=True)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.agenda_move(item=item, actor=request.user, step=step)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    return redirect(f"{reverse('sessions:agenda', args=[item.session_id])}#item-{item.pk}")


urlpatterns = [
    path("<int:pk>/agenda/", agenda, name="agenda"),
    path("<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/remove/", agenda_remove, name="agenda_remove"),
    path("agenda/<int:pk>/move/", agenda_move, name="agenda_move"),
]

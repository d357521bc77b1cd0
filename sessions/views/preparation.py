"""The preparation of a session: who still owes an answer to an agenda petition, and the
plan's checklist (section III.6.1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.rules import RuleError
from sessions import permissions, selectors, services
from sessions.forms import StepForm
from sessions.models import PreparationStep


@login_required
def preparation(request, pk: int):
    session = permissions.session_for_user(request.user, pk)
    reader = DeadlineReader()
    board = selectors.preparation_board(session, request.user, reader=reader)
    done = {step.step: step for step in session.preparation_steps.select_related("done_by")}
    context = {
        "session": session,
        "board": board,
        "prepared": sum(1 for row in board if row.prepared),
        "owed": [row for row in board if not row.prepared],
        "steps": [(value, label, done.get(value)) for value, label in PreparationStep.Step.choices],
        "can_plan": permissions.can_plan(request.user, session) and session.is_being_prepared,
    }
    return render(request, "sessions/preparation.html", context)


@login_required
@require_POST
def step(request, pk: int):
    session = permissions.session_for_user(request.user, pk, plan=True)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step of the preparation."))
        return redirect("sessions:preparation", pk=session.pk)
    try:
        if request.POST.get("undo"):
            services.step_undo(session=session, step=form.cleaned_data["step"], actor=request.user)
        else:
            services.step_done(
                session=session,
                step=form.cleaned_data["step"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
    except RuleError as refusal:
        messages.error(request, str(refusal))
    return redirect("sessions:preparation", pk=session.pk)


urlpatterns = [
    path("<int:pk>/preparation/", preparation, name="preparation"),
    path("<int:pk>/preparation/step/", step, name="step"),
]

"""The petition page and every action taken on it: classify, merge, assign, answer,
review, extend, close, reopen, route out.

Each action view reaches its object through `permissions`, parses its form, calls the
service, and puts a refusal beside the field it names; on any error the form comes back
with what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue import workdays
from doluong_dialogue.deadlines import DeadlineReader, deadline_calendar
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions, services
from petitions.forms_workflow import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    CloseForm,
    DeclineForm,
    ExtensionDecisionForm,
    ExtensionForm,
    MergeForm,
    ReasonForm,
    ReviewForm,
    RouteOutForm,
)
from petitions.models import (
    Answer,
    AnswerTemplate,
    Attachment,
    Department,
    ExtensionRequest,
    Petition,
)
from petitions.origins import origins_of
from petitions.similarity import similar_petitions
from petitions.timeline import petition_timeline


def _answers_prefetch():
    return Prefetch(
        "answers",
        queryset=Answer.objects.select_related("author", "reviewed_by").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        ),
    )


@login_required
def petition_detail(request, pk: int):
    user = request.user
    petition = permissions.petition_for_user(
        user,
        pk,
        queryset=Petition.objects.select_related(
            "topic",
            "residential_unit",
            "lead_department",
            "submitted_by_department",
            "duplicate_of",
            "created_by",
        ),
    )
    show_identity = permissions.can_see_identity(user, petition)
    assignments = petition.assignments.select_related("department", "assigned_by")
    if not permissions.can_read_everything(user) and not permissions.has_role(
        user, permissions.Role.FRONT
    ):
        # A unit's member sees the unit's own part of the handling.
        assignments = assignments.for_units(permissions.department_ids(user))
    assignments = assignments.prefetch_related(
        "supporting_departments",
        _answers_prefetch(),
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
        ),
    )
    intake_files = petition.attachments.filter(answer__isnull=True).select_related("uploaded_by")
    reader = DeadlineReader()
    context = {
        "petition": petition,
        "assignments": assignments,
        "events": petition_timeline(petition, show_identity=show_identity),
        "intake_files": intake_files if show_identity else [],
        "hidden_files": not show_identity and intake_files.exists(),
        "duplicates": petition.duplicates.only("pk", "code", "summary", "total_people"),
        "origins": origins_of(user, petition),
        "show_identity": show_identity,
        "actions": permissions.allowed_actions(user, petition),
        "today": reader.on,
        "deadline": reader.state(petition.deadline, petition.waits_for_unit),
    }
    return render(request, "petitions/detail.html", context)


def _managed(request, pk: int) -> Petition:
    return permissions.petition_for_user(request.user, pk, manage=True)


def _offered(request, petition: Petition, action: str) -> bool:
    """Whether the page offers `action` now; if not, say why and send the user back."""
    if getattr(permissions.allowed_actions(request.user, petition), action):
        return True
    messages.info(request, _("This step is not open for %(code)s now.") % {"code": petition.code})
    return False


@login_required
def petition_classify(request, pk: int):
    petition = _managed(request, pk)
    if not _offered(request, petition, "classify"):
        return redirect("petitions:detail", pk=petition.pk)
    initial = {"kind": petition.kind, "topic": petition.topic_id, "urgency": petition.urgency}
    form = ClassifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_classify(
                petition=petition,
                actor=request.user,
                topic=form.cleaned_data["topic"],
                urgency=form.cleaned_data["urgency"],
                kind=form.cleaned_data["kind"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Petition %(code)s classified.") % {"code": petition.code})
            if request.POST.get("then") == "assign":
                return redirect("petitions:assign", pk=petition.pk)
            return redirect("petitions:detail", pk=petition.pk)
    candidates = permissions.merge_candidates(request.user)
    context = {
        "petition": petition,
        "form": form,
        "similar": similar_petitions(petition, among=candidates),
        "actions": permissions.allowed_actions(request.user, petition),
    }
    return render(request, "petitions/classify.html", context)


@login_required
@require_POST
def petition_merge(request, pk: int):
    duplicate = _managed(request, pk)
    form = MergeForm(request.POST, candidates=permissions.merge_candidates(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the petition to merge into."))
        return redirect("petitions:classify", pk=duplicate.pk)
    try:
        primary = services.petition_merge(
            duplicate=duplicate,
            primary=form.cleaned_data["primary"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except RuleError as refusal:
        messages.error(request, str(refusal))
        return redirect("petitions:classify", pk=duplicate.pk)
    messages.success(
        request,
        _("%(duplicate)s merged into %(primary)s; it will follow its answer and outcome.")
        % {"duplicate": duplicate.code, "primary": primary.code},
    )
    return redirect("petitions:detail", pk=primary.pk)


@login_required
def petition_assign(request, pk: int):
    petition = _managed(request, pk)
    if not _offered(request, petition, "assign"):
        return redirect("petitions:detail", pk=petition.pk)
    units = Department.objects.active()
    without_members = {unit.pk for unit in units} - services.units_with_members(units)
    form = AssignForm(request.POST or None, units_without_members=without_members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.petition_assign(
                petition=petition,
                actor=request.user,
                department=data["department"],
                supporting=data["supporting"],
                deadline=data["deadline"],
                instructions=data["instructions"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _assigned_message(assignment))
            return redirect("petitions:detail", pk=petition.pk)
    context = {
        "petition": petition,
        "form": form,
        "default_deadline": services.default_deadline(),
        "calendar": deadline_calendar(),
    }
    return render(request, "petitions/assign.html", context)


def _assigned_message(assignment) -> str:
    message = _("Assigned to %(department)s, answer due %(deadline)s.") % {
        "department": assignment.department.name,
        "deadline": f"{assignment.deadline:%d/%m/%Y}",
    }
    day_off = workdays.WorkingCalendar(assignment.deadline, assignment.deadline).day_off_name(
        assignment.deadline
    )
    if day_off:
        message += " " + _("Note: the deadline falls on a day off (%(reason)s).") % {
            "reason": day_off
        }
    return message


@login_required
def petition_close(request, pk: int):
    petition = _managed(request, pk)
    if not _offered(request, petition, "close"):
        return redirect("petitions:detail", pk=petition.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.petition_close(
                petition=petition,
                actor=request.user,
                outcome=data["outcome"],
                note=data["note"],
                scheduled_for=data["scheduled_for"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("petitions:detail", pk=petition.pk)
    context = {"petition": petition, "form": form}
    return render(request, "petitions/close.html", context)


@login_required
def petition_reopen(request, pk: int):
    petition = _managed(request, pk)
    if not _offered(request, petition, "reopen"):
        return redirect("petitions:detail", pk=petition.pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_reopen(
                petition=petition, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Petition reopened."))
            return redirect("petitions:detail", pk=petition.pk)
    context = {
        "petition": petition,
        "form": form,
        "title": _("Reopen the petition"),
        "submit": _("Reopen"),
    }
    return render(request, "petitions/simple_action.html", context)


@login_required
def petition_route_out(request, pk: int):
    petition = _managed(request, pk)
    if not _offered(request, petition, "route_out"):
        return redirect("petitions:detail", pk=petition.pk)
    form = RouteOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_route_out(
                petition=petition,
                actor=request.user,
                legal_channel_note=form.cleaned_data["legal_channel_note"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Routed to its legal procedure."))
            return redirect("petitions:detail", pk=petition.pk)
    context = {
        "petition": petition,
        "form": form,
        "title": _("Route to the complaint or denunciation procedure"),
        "intro": _(
            "Complaints and denunciations are not answered here: they follow the Law on "
            "Complaints or the Law on Denunciations. Note where the petition is sent."
        ),
        "submit": _("Route out"),
    }
    return render(request, "petitions/simple_action.html", context)


# --- The unit's side -------------------------------------------------------------------------


def _assignment_context(request, assignment, **forms):
    petition = assignment.petition
    templates = AnswerTemplate.objects.filter(topic=petition.topic_id) if petition.topic_id else []
    can_answer = permissions.can_answer(request.user, assignment)
    reader = DeadlineReader()
    pending = [
        request for request in assignment.extension_requests.all() if request.awaits_decision
    ]
    context = {
        "assignment": assignment,
        "petition": petition,
        "show_identity": permissions.can_see_identity(request.user, petition),
        "can_answer": can_answer and assignment.is_running,
        "answers": assignment.answers.select_related("author").prefetch_related("attachments"),
        "extensions": assignment.extension_requests.select_related("requested_by"),
        "pending_extension": bool(pending),
        "answer_form": forms.get("answer_form") or AnswerForm(templates=templates),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "answer_templates": templates,
        "today": reader.on,
        "deadline": reader.of(assignment),
        "calendar": deadline_calendar(),
        "open_tab": forms.get("open_tab", "answer"),
    }
    return context


@login_required
def assignment_detail(request, pk: int):
    assignment = permissions.assignment_for_user(request.user, pk)
    return render(request, "petitions/assignment.html", _assignment_context(request, assignment))


@login_required
@require_POST
def assignment_answer(request, pk: int):
    assignment = permissions.assignment_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer_submit(
                assignment=assignment,
                actor=request.user,
                text=form.cleaned_data["text"],
                attachments=form.cleaned_data["attachments"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Answer sent to the Party Building Committee."))
            return redirect("petitions:assignment", pk=assignment.pk)
    context = _assignment_context(request, assignment, answer_form=form, open_tab="answer")
    return render(request, "petitions/assignment.html", context)


@login_required
@require_POST
def assignment_decline(request, pk: int):
    assignment = permissions.assignment_for_user(request.user, pk, write=True)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_decline(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request, _("Returned to the Party Building Committee for reassignment.")
            )
            return redirect("petitions:assignment", pk=assignment.pk)
    context = _assignment_context(request, assignment, decline_form=form, open_tab="decline")
    return render(request, "petitions/assignment.html", context)


@login_required
@require_POST
def assignment_extension(request, pk: int):
    assignment = permissions.assignment_for_user(request.user, pk, write=True)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                assignment=assignment,
                actor=request.user,
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Extension requested; you will see the decision here."))
            return redirect("petitions:assignment", pk=assignment.pk)
    context = _assignment_context(request, assignment, extension_form=form, open_tab="extension")
    return render(request, "petitions/assignment.html", context)


# --- Staff review ----------------------------------------------------------------------------


@login_required
def answer_review(request, pk: int):
    answer = permissions.answer_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.answer_review(
                answer=answer,
                actor=request.user,
                accept=accept,
                comment=form.cleaned_data["comment"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Answer accepted. Record the outcome when it is known.")
                if accept
                else _("Answer returned to the department for rework."),
            )
            return redirect("petitions:detail", pk=answer.assignment.petition_id)
    context = {"answer": answer, "petition": answer.assignment.petition, "form": form}
    return render(request, "petitions/review.html", context)


@login_required
def extension_decide(request, pk: int):
    extension = permissions.extension_request_for_user(request.user, pk, decide=True)
    form = ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.extension_decide(
                request=extension,
                actor=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request, _("Extension approved.") if approve else _("Extension refused.")
            )
            return redirect("petitions:detail", pk=extension.assignment.petition_id)
    context = {
        "extension": extension,
        "petition": extension.assignment.petition,
        "form": form,
    }
    return render(request, "petitions/extension_decide.html", context)


urlpatterns = [
    path("<int:pk>/", petition_detail, name="detail"),
    path("<int:pk>/classify/", petition_classify, name="classify"),
    path("<int:pk>/merge/", petition_merge, name="merge"),
    path("<int:pk>/assign/", petition_assign, name="assign"),
    path("<int:pk>/close/", petition_close, name="close"),
    path("<int:pk>/reopen/", petition_reopen, name="reopen"),
    path("<int:pk>/route-out/", petition_route_out, name="route_out"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment"),
    path("assignments/<int:pk>/answer/", assignment_answer, name="assignment_answer"),
    path("assignments/<int:pk>/decline/", assignment_decline, name="assignment_decline"),
    path("assignments/<int:pk>/extension/", assignment_extension, name="assignment_extension"),
    path("answers/<int:pk>/review/", answer_review, name="answer_review"),
    path("extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
]

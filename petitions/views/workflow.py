"""The petition page and every action taken on it: classify, merge, assign, answer,
review, extend, close, reopen, route out.

Each action view parses its form, calls the service and turns `InvalidTransition` into
a message; on a validation error the form comes back with what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from petitions import permissions, services
from petitions.deadlines import DeadlineState, due_soon_until
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
    Assignment,
    Attachment,
    ExtensionRequest,
    Petition,
)
from petitions.similarity import similar_petitions


def _answers_prefetch():
    return Prefetch(
        "answers",
        queryset=Answer.objects.select_related("author", "reviewed_by").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
        ),
    )


def _deadline_state(deadline, is_open: bool, today) -> DeadlineState:
    return DeadlineState.of(deadline, is_open, today, due_soon_until(today))


@login_required
def petition_detail(request, pk: int):
    petition = get_object_or_404(
        Petition.objects.visible_to(request.user).select_related(
            "topic",
            "residential_unit",
            "lead_department",
            "submitted_by_department",
            "duplicate_of",
            "created_by",
        ),
        pk=pk,
    )
    user = request.user
    today = timezone.localdate()
    show_identity = permissions.can_see_identity(user, petition)
    assignments = petition.assignments.select_related("department", "assigned_by")
    if not permissions.can_read_everything(user) and not permissions.has_role(
        user, permissions.Role.FRONT
    ):
        # A department sees its own part of the handling.
        assignments = assignments.for_departments(permissions.department_ids(user))
    assignments = assignments.prefetch_related(
        "supporting_departments",
        _answers_prefetch(),
        Prefetch(
            "extension_requests",
            queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by"),
        ),
    )
    intake_files = petition.attachments.filter(answer__isnull=True).select_related("uploaded_by")
    context = {
        "petition": petition,
        "assignments": assignments,
        "events": petition.events.select_related("actor", "department"),
        "intake_files": intake_files if show_identity else [],
        "hidden_files": not show_identity and intake_files.exists(),
        "duplicates": petition.duplicates.only("pk", "code", "summary", "total_people"),
        "show_identity": show_identity,
        "manage": permissions.can_manage_petitions(user),
        "today": today,
        "deadline": _deadline_state(
            petition.deadline,
            petition.status in (Petition.Status.ASSIGNED, Petition.Status.ANSWERED),
            today,
        ),
    }
    return render(request, "petitions/detail.html", context)


def _managed(request, pk: int) -> Petition:
    return permissions.petition_for_user(request.user, pk, manage=True)


def _refused(request, refusal: services.InvalidTransition) -> None:
    messages.error(request, str(refusal))


@login_required
def petition_classify(request, pk: int):
    petition = _managed(request, pk)
    initial = {
        "kind": petition.kind,
        "topic": petition.topic_id,
        "urgency": petition.urgency,
    }
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
        except services.InvalidTransition as refusal:
            _refused(request, refusal)
        else:
            messages.success(request, _("Petition %(code)s classified.") % {"code": petition.code})
            if request.POST.get("then") == "assign":
                return redirect("petitions:assign", pk=petition.pk)
            return redirect("petitions:detail", pk=petition.pk)
    context = {
        "petition": petition,
        "form": form,
        "similar": similar_petitions(petition) if petition.is_open else [],
    }
    return render(request, "petitions/classify.html", context)


@login_required
@require_POST
def petition_merge(request, pk: int):
    duplicate = _managed(request, pk)
    form = MergeForm(request.POST)
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
    except services.InvalidTransition as refusal:
        _refused(request, refusal)
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
    form = AssignForm(request.POST or None)
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Assigned to %(department)s, answer due %(deadline)s.")
                % {
                    "department": assignment.department.name,
                    "deadline": assignment.deadline.strftime("%d/%m/%Y"),
                },
            )
            return redirect("petitions:detail", pk=petition.pk)
    context = {
        "petition": petition,
        "form": form,
        "default_deadline": services.default_deadline(),
    }
    return render(request, "petitions/assign.html", context)


@login_required
def petition_close(request, pk: int):
    petition = _managed(request, pk)
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Outcome recorded."))
            return redirect("petitions:detail", pk=petition.pk)
    context = {"petition": petition, "form": form}
    return render(request, "petitions/close.html", context)


@login_required
def petition_reopen(request, pk: int):
    petition = _managed(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_reopen(
                petition=petition, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
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
    form = RouteOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petition_route_out(
                petition=petition,
                actor=request.user,
                legal_channel_note=form.cleaned_data["legal_channel_note"],
            )
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
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


# --- The department's side ------------------------------------------------------------


def _assignment_context(request, assignment, **forms):
    petition = assignment.petition
    templates = AnswerTemplate.objects.filter(topic=petition.topic_id) if petition.topic_id else []
    can_answer = permissions.can_answer(request.user, assignment)
    context = {
        "assignment": assignment,
        "petition": petition,
        "show_identity": permissions.can_see_identity(request.user, petition),
        "can_answer": can_answer and assignment.status == Assignment.Status.OPEN,
        "answers": assignment.answers.select_related("author").prefetch_related("attachments"),
        "extensions": assignment.extension_requests.select_related("requested_by"),
        "pending_extension": assignment.extension_requests.filter(
            status=ExtensionRequest.Status.PENDING
        ).exists(),
        "answer_form": forms.get("answer_form") or AnswerForm(templates=templates),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "extension_form": forms.get("extension_form") or ExtensionForm(),
        "answer_templates": templates,
        "today": timezone.localdate(),
        "deadline": _deadline_state(assignment.deadline, assignment.is_open, timezone.localdate()),
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Extension requested; you will see the decision here."))
            return redirect("petitions:assignment", pk=assignment.pk)
    context = _assignment_context(request, assignment, extension_form=form, open_tab="extension")
    return render(request, "petitions/assignment.html", context)


# --- Staff review ---------------------------------------------------------------------


@login_required
def answer_review(request, pk: int):
    if not permissions.can_manage_petitions(request.user):
        raise PermissionDenied
    answer = get_object_or_404(
        Answer.objects.select_related(
            "assignment", "assignment__petition", "assignment__department", "author"
        ).prefetch_related("attachments"),
        pk=pk,
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.answer_accept(answer=answer, actor=request.user, comment=data["comment"])
                messages.success(
                    request, _("Answer accepted. Record the outcome when it is known.")
                )
            else:
                services.answer_return(answer=answer, actor=request.user, comment=data["comment"])
                messages.success(request, _("Answer returned to the department for rework."))
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("petitions:detail", pk=answer.assignment.petition_id)
    context = {"answer": answer, "petition": answer.assignment.petition, "form": form}
    return render(request, "petitions/review.html", context)


@login_required
def extension_decide(request, pk: int):
    if not permissions.can_manage_petitions(request.user):
        raise PermissionDenied
    extension = get_object_or_404(
        ExtensionRequest.objects.select_related(
            "assignment", "assignment__petition", "assignment__department", "requested_by"
        ),
        pk=pk,
    )
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
        except services.InvalidTransition as refusal:
            form.add_error(None, str(refusal))
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

"""Following a directive to its result: the lead unit's progress and completion reports,
their review by staff, and each unit's list of the tasks the conclusions gave it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conclusions import documents, permissions, services
from conclusions.figures import TASK_CONDITIONS, tasks_shown
from conclusions.forms import ReportForm, ReviewNoteForm
from conclusions.models import Directive, ReportAttachment
from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.downloads import stored_file_response
from doluong_dialogue.paging import paginate
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions


def _reports(directive: Directive):
    return directive.reports.select_related("author", "reviewed_by").prefetch_related(
        Prefetch("attachments", queryset=ReportAttachment.objects.order_by("id"))
    )


def _page(request, directive, form):
    reader = DeadlineReader()
    context = {
        "directive": directive,
        "conclusion": directive.conclusion,
        "session": directive.conclusion.session,
        "deadline": reader.of(directive),
        "sentence": documents.directive_sentence(directive),
        "reports": list(_reports(directive)),
        "events": directive.events.select_related("actor"),
        "form": form,
        "may_report": permissions.may_report(request.user, directive)
        and directive.status == Directive.Status.OPEN,
        "may_review": permissions.can_review_reports(request.user),
        "may_urge": permissions.can_urge(request.user)
        and directive.is_running
        and directive.deadline < reader.on,
        "letters": permissions.visible_letters(request.user).filter(directive=directive),
        "review_form": ReviewNoteForm(),
    }
    return render(request, "conclusions/directive.html", context)


@login_required
def directive_detail(request, pk: int):
    directive = permissions.directive_for_user(request.user, pk)
    return _page(request, directive, ReportForm())


@login_required
@require_POST
def report_submit(request, pk: int):
    directive = permissions.directive_for_user(request.user, pk, report=True)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_submit(
                directive=directive, data=form.data_for_service(), actor=request.user
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Report sent: staff will review it."))
            return redirect("conclusions:directive", pk=directive.pk)
    return _page(request, directive, form)


@login_required
@require_POST
def report_accept(request, pk: int):
    report = permissions.report_for_user(request.user, pk, review=True)
    try:
        services.report_accept(report=report, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Report accepted."))
    return redirect("conclusions:directive", pk=report.directive_id)


@login_required
@require_POST
def report_return(request, pk: int):
    report = permissions.report_for_user(request.user, pk, review=True)
    form = ReviewNoteForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, actor=request.user, note=form.cleaned_data["note"]
            )
        except RuleError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Report returned to the unit."))
    return redirect("conclusions:directive", pk=report.directive_id)


@login_required
def report_file(request, pk: int):
    attachment = permissions.report_attachment_for_user(request.user, pk)
    return stored_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@login_required
def tasks(request):
    """The directives the user follows: a unit's members see their unit's; staff, the
    Secretary and the Inspection Committee see every issued one."""
    user = request.user
    if not petition_permissions.roles_of(user) and not petition_permissions.department_ids(user):
        raise PermissionDenied
    today = clock.today()
    directives = permissions.visible_directives(user).followed()
    show = request.GET.get("show", "")
    if show in TASK_CONDITIONS:
        directives = tasks_shown(directives, show, on=today)
    else:
        show = ""
    directives = directives.order_by("status", "deadline", "id")
    page = paginate(
        directives,
        request.GET.get("page"),
        rows=lambda ids: Directive.objects.filter(pk__in=ids).select_related(
            "lead", "conclusion__session"
        ),
    )
    reader = DeadlineReader(on=today)
    context = {
        "page": page,
        "rows": [(directive, reader.of(directive)) for directive in page.rows],
        "show": show,
    }
    return render(request, "conclusions/tasks.html", context)


urlpatterns = [
    path("directives/<int:pk>/", directive_detail, name="directive"),
    path("directives/<int:pk>/report/", report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", report_return, name="report_return"),
    path("report-files/<int:pk>/", report_file, name="report_file"),
    path("tasks/", tasks, name="tasks"),
]

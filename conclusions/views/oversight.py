"""The Inspection Committee's dashboard (read-only for everyone), the items behind each of
its figures, and the proposals of review it raises and the Secretary concludes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conclusions import oversight, permissions, reports, review_flags
from conclusions.forms import FlagDecisionForm, FlagForm, OversightFilterForm
from conclusions.models import Directive, ReviewFlag
from doluong_dialogue import charts, documents
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.paging import paginate
from doluong_dialogue.rules import RuleError, add_to_form
from petitions.models import Assignment


def _filters(request) -> tuple[OversightFilterForm, oversight.Filters]:
    form = OversightFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, oversight.Filters(
            start=data["start"],
            end=data["end"],
            session=data["session"],
            topic=data["topic"],
            hamlet=data["hamlet"],
        )
    return form, oversight.Filters()


def _oversee(request) -> None:
    if not permissions.can_oversee(request.user):
        raise PermissionDenied


@login_required
def dashboard(request):
    _oversee(request)
    form, filters = _filters(request)
    reader = DeadlineReader()
    rows = oversight.register(filters, reader)
    months = oversight.trend(filters, reader)
    chart = charts.stacked_columns(
        [(f"{m.first_day:%m/%y}", m.rate.done, m.rate.late) for m in months],
        whole=_("completed"),
        part=_("late"),
        title=_("Completed by month: on time and late"),
    )
    context = {
        "form": form,
        "filters": filters,
        "query": filters.query(),
        "rows": rows,
        "buckets": oversight.BUCKETS,
        "totals": {
            (kind, key): sum(row.counts.get(kind, {}).get(key, 0) for row in rows)
            for kind in oversight.KINDS
            for key, *_rest in oversight.BUCKETS
        },
        "rates": oversight.on_time_by_unit(filters),
        "chart": chart,
        "today": reader.on,
        "may_flag": permissions.can_raise_flags(request.user),
        "flags_waiting": permissions.visible_flags(request.user)
        .exclude(status=ReviewFlag.Status.CONCLUDED)
        .count(),
    }
    return render(request, "conclusions/oversight.html", context)


@login_required
def overdue_items(request):
    """The items behind a figure of the register: ?kind=&unit=&bucket= and the filters."""
    _oversee(request)
    kind = request.GET.get("kind", "assignment")
    if kind not in oversight.KINDS:
        raise Http404
    bucket = request.GET.get("bucket") or None
    if bucket and bucket not in dict((key, label) for key, label, *_r in oversight.BUCKETS):
        raise Http404
    unit = None
    if request.GET.get("unit"):
        unit = permissions.unit_for_oversight(request.user, _int(request.GET["unit"]))
    form, filters = _filters(request)
    reader = DeadlineReader()
    found = oversight.overdue_items(kind, filters, reader, unit=unit, bucket=bucket)
    model = Assignment if kind == "assignment" else Directive
    related = ("petition", "department") if kind == "assignment" else ("conclusion", "lead")
    page = paginate(
        found,
        request.GET.get("page"),
        rows=lambda ids: (
            model.objects.filter(pk__in=ids).select_related(*related).order_by("deadline", "pk")
        ),
    )
    context = {
        "kind": kind,
        "unit": unit,
        "bucket": dict((key, label) for key, label, *_r in oversight.BUCKETS).get(bucket),
        "page": page,
        "rows": [(item, reader.of(item)) for item in page.rows],
        "form": form,
        "query": filters.query(),
        "may_flag": unit is not None and permissions.can_raise_flags(request.user),
        "may_urge": permissions.can_urge(request.user),
    }
    return render(request, "conclusions/oversight_items.html", context)


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Proposals of review -------------------------------------------------------------------


@login_required
def flag_new(request, unit_pk: int):
    if not permissions.can_raise_flags(request.user):
        raise PermissionDenied
    unit = permissions.unit_for_oversight(request.user, unit_pk)
    reader = DeadlineReader()
    filters = oversight.Filters()
    evidence = {
        "assignments": oversight.overdue_items("assignment", filters, reader, unit=unit),
        "directives": oversight.overdue_items("directive", filters, reader, unit=unit),
    }
    form = FlagForm(request.POST or None, unit=unit, **evidence)
    if request.method == "POST" and form.is_valid():
        try:
            flag = review_flags.review_flag_raise(data=form.data_for_service(), actor=request.user)
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("The proposal of review was sent to the Secretary."))
            return redirect("conclusions:flag", pk=flag.pk)
    return render(request, "conclusions/flag_form.html", {"form": form, "unit": unit})


@login_required
def flag_list(request):
    flags = permissions.visible_flags(request.user)
    if not (
        permissions.can_raise_flags(request.user) or permissions.can_decide_flags(request.user)
    ):
        raise PermissionDenied
    show = request.GET.get("show", "")
    if show == "open":
        flags = flags.exclude(status=ReviewFlag.Status.CONCLUDED)
    else:
        show = ""
    page = paginate(
        flags.order_by("-raised_at", "-id"),
        request.GET.get("page"),
        rows=lambda ids: (
            ReviewFlag.objects.filter(pk__in=ids)
            .select_related("unit", "person", "raised_by")
            .order_by("-raised_at", "-id")
        ),
    )
    return render(request, "conclusions/flag_list.html", {"page": page, "show": show})


def _flag_page(request, flag, form=None):
    context = {
        "flag": flag,
        "assignments": flag.assignments.select_related("petition", "department"),
        "directives": flag.directives.select_related("conclusion", "lead"),
        "events": flag.events.select_related("actor"),
        "may_decide": permissions.can_decide_flags(request.user)
        and flag.status != ReviewFlag.Status.CONCLUDED,
        "may_consider": flag.status == ReviewFlag.Status.RAISED,
        "form": form or FlagDecisionForm(),
    }
    return render(request, "conclusions/flag_detail.html", context)


@login_required
def flag_detail(request, pk: int):
    return _flag_page(request, permissions.flag_for_user(request.user, pk))


@login_required
@require_POST
def flag_decide(request, pk: int):
    flag = permissions.flag_for_user(request.user, pk)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, flag, form)
    note = form.cleaned_data["note"]
    try:
        if request.POST.get("action") == "conclude":
            review_flags.review_flag_conclude(flag=flag, actor=request.user, outcome=note)
            messages.success(request, _("The proposal is concluded."))
        else:
            review_flags.review_flag_consider(flag=flag, actor=request.user, note=note)
            messages.success(request, _("The proposal is being considered."))
    except RuleError as refusal:
        if any(error.field for error in refusal.errors):
            form.add_error("note", str(refusal))
            return _flag_page(request, flag, form)
        messages.error(request, str(refusal))
    return redirect("conclusions:flag", pk=flag.pk)


def _export_filters(request):
    _oversee(request)
    form, filters = _filters(request)
    return form, filters, DeadlineReader()


@login_required
def dashboard_xlsx(request):
    _form, filters, reader = _export_filters(request)
    content = reports.workbook_of(
        oversight.tables(filters, reader), oversight.describe(filters, reader)
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="giam-sat-{reader.on:%Y%m%d}.xlsx"'
    return response


@login_required
def dashboard_pdf(request):
    _form, filters, reader = _export_filters(request)
    content = documents.render_pdf(oversight.report_document(filters, reader))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giam-sat-{reader.on:%Y%m%d}.pdf"'
    return response


@login_required
def dashboard_docx(request):
    _form, filters, reader = _export_filters(request)
    return documents.docx_response(
        oversight.report_document(filters, reader), f"giam-sat-{reader.on:%Y%m%d}.docx"
    )


urlpatterns = [
    path("oversight/", dashboard, name="oversight"),
    path("oversight/giam-sat.xlsx", dashboard_xlsx, name="oversight_xlsx"),
    path("oversight/giam-sat.pdf", dashboard_pdf, name="oversight_pdf"),
    path("oversight/giam-sat.docx", dashboard_docx, name="oversight_docx"),
    path("oversight/items/", overdue_items, name="oversight_items"),
    path("flags/", flag_list, name="flags"),
    path("flags/new/<int:unit_pk>/", flag_new, name="flag_new"),
    path("flags/<int:pk>/", flag_detail, name="flag"),
    path("flags/<int:pk>/decide/", flag_decide, name="flag_decide"),
]

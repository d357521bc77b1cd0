"""Statistics for a period and the periodic report to the upper level: a page, its Excel
workbook and the report as PDF and Word, all from one computation (conclusions/reports.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from conclusions import permissions, reports
from conclusions.forms import ReportPeriodForm
from doluong_dialogue import clock
from doluong_dialogue import documents as d


def _form(request) -> ReportPeriodForm:
    if not permissions.can_oversee(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    if not data:
        data.update({"kind": "year", "year": str(clock.today().year)})
    form = ReportPeriodForm(data)
    form.is_valid()
    return form


def _file_name(stats, extension: str) -> str:
    period = stats.period
    return f"bao-cao-tiep-xuc-doi-thoai-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{extension}"


@login_required
def report_page(request):
    form = _form(request)
    context = {"form": form}
    if not form.errors:
        stats = reports.statistics(form.period())
        context.update(
            {
                "stats": stats,
                "tables": reports.tables(stats),
                "reception_title": reports.RECEPTION_TITLE,
                "query": request.GET.urlencode(),
                "chart": reports.topic_chart(stats, whole=_("received"), part=_("resolved")),
            }
        )
    return render(request, "conclusions/reports.html", context)


def _stats_or_page(request):
    form = _form(request)
    if form.errors:
        return None, render(request, "conclusions/reports.html", {"form": form})
    return reports.statistics(form.period()), None


@login_required
def report_xlsx(request):
    stats, refused = _stats_or_page(request)
    if refused:
        return refused
    response = HttpResponse(
        reports.workbook(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(stats, "xlsx")}"'
    return response


@login_required
def report_pdf(request):
    stats, refused = _stats_or_page(request)
    if refused:
        return refused
    # A few pages, drawn when asked (about 0.1 s) from figures that change every day.
    content = d.render_pdf(reports.report_document(stats, day=clock.today()))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(stats, "pdf")}"'
    return response


@login_required
def report_docx(request):
    stats, refused = _stats_or_page(request)
    if refused:
        return refused
    return d.docx_response(
        reports.report_document(stats, day=clock.today()), _file_name(stats, "docx")
    )


urlpatterns = [
    path("reports/", report_page, name="reports"),
    path("reports/bao-cao.xlsx", report_xlsx, name="report_xlsx"),
    path("reports/bao-cao.pdf", report_pdf, name="report_pdf"),
    path("reports/bao-cao.docx", report_docx, name="report_docx"),
]

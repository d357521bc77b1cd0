"""Following a directive to its result: the lead unit reports, staff accept or return the
report; overdue is computed, on time is stored when the unit reports completion."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conclusions import services
from conclusions.models import Directive, DirectiveEvent, ProgressReport
from conclusions.services import ReportData
from doluong_dialogue.rules import RuleError
from tests.conclusions.helpers import submitted

pytestmark = pytest.mark.django_db

ISSUED_ON = date(2026, 12, 21)  # the directive is due on 12/01/2027


@pytest.fixture
def directive(staff, office, secretary, clock, department, django_capture_on_commit_callbacks):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    clock.set(ISSUED_ON)
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=conclusion, actor=office)
    return Directive.objects.get()


def evidence():
    return [SimpleUploadedFile("bien-ban-nghiem-thu.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")]


def test_only_the_lead_units_members_report(directive, other_dept_user, staff):
    for someone in (other_dept_user, staff):
        with pytest.raises(RuleError, match="đơn vị chủ trì"):
            services.report_submit(
                directive=directive, data=ReportData(kind="progress", text="Đã làm"), actor=someone
            )


def test_progress_is_reported_and_accepted(directive, dept_user, staff):
    report = services.report_submit(
        directive=directive,
        data=ReportData(
            kind="progress", text="Đã khảo sát, lập dự toán", stage="Lập dự toán", percent=40
        ),
        actor=dept_user,
    )
    assert Directive.objects.get().progress == 0  # counted once accepted
    services.report_accept(report=report, actor=staff)
    directive.refresh_from_db()
    assert (directive.progress, directive.status) == (40, Directive.Status.OPEN)


def test_completion_needs_its_evidence(directive, dept_user):
    with pytest.raises(RuleError) as refused:
        services.report_submit(
            directive=directive, data=ReportData(kind="completion", text="Đã xong"), actor=dept_user
        )
    assert refused.value.field == "files"


def test_completion_on_time_is_stored_when_reported(directive, dept_user, staff, clock):
    clock.set(date(2027, 1, 11))
    report = services.report_submit(
        directive=directive,
        data=ReportData(kind="completion", text="Đã sửa xong đường", files=evidence()),
        actor=dept_user,
    )
    directive.refresh_from_db()
    assert directive.status == Directive.Status.REPORTED and directive.done_on_time is True
    clock.set(date(2027, 1, 20))  # reviewed late: the unit was on time
    services.report_accept(report=report, actor=staff)
    directive.refresh_from_db()
    assert (directive.status, directive.progress, directive.done_on_time) == (
        Directive.Status.DONE,
        100,
        True,
    )
    assert report.attachments.get().original_name == "bien-ban-nghiem-thu.pdf"


def test_a_returned_completion_runs_again_and_becomes_overdue(directive, dept_user, staff, clock):
    clock.set(date(2027, 1, 8))
    report = services.report_submit(
        directive=directive,
        data=ReportData(kind="completion", text="Đã xong", files=evidence()),
        actor=dept_user,
    )
    with pytest.raises(RuleError) as refused:
        services.report_return(report=report, actor=staff, note="")
    assert refused.value.field == "note"
    services.report_return(report=report, actor=staff, note="Thiếu ảnh hiện trường")
    directive.refresh_from_db()
    assert directive.status == Directive.Status.OPEN and directive.done_on_time is None
    assert ProgressReport.objects.get().status == ProgressReport.Status.RETURNED
    assert not Directive.objects.overdue(on=date(2027, 1, 12)).exists()
    assert Directive.objects.overdue(on=date(2027, 1, 13)).get() == directive
    assert directive.events.filter(kind=DirectiveEvent.Kind.RETURNED).exists()


def test_a_report_is_reviewed_once(directive, dept_user, staff, office):
    report = services.report_submit(
        directive=directive,
        data=ReportData(kind="progress", text="Đang làm", percent=20),
        actor=dept_user,
    )
    services.report_accept(report=report, actor=staff)
    with pytest.raises(RuleError):
        services.report_accept(report=report, actor=office)

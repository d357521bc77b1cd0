"""Issuing the signed notice: once its PDF is ready, each recipient unit is e-mailed the
signed PDF once, and every directive is followed up from that day."""

from datetime import date

import pytest
from django.core import mail

from conclusions import effects, services
from conclusions.models import Directive
from doluong_dialogue.models import SideEffect
from doluong_dialogue.rules import RuleError
from tests.conclusions.helpers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def conclusion(staff, office, secretary, clock, department, django_capture_on_commit_callbacks):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        return services.conclusion_sign(conclusion=conclusion, actor=secretary)


def test_issuing_waits_for_the_signed_pdf(staff, office, secretary, clock, department):
    conclusion = submitted(staff, office, clock, department)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    # The render is recorded but has not run (no commit in this test).
    with pytest.raises(RuleError, match="PDF"):
        services.conclusion_issue(conclusion=conclusion, actor=office)


def test_issuing_mails_each_unit_once_and_opens_the_directives(
    conclusion, office, department, dept_user, clock, django_capture_on_commit_callbacks
):
    clock.set(date(2026, 12, 21))
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_issue(conclusion=conclusion, actor=office)
    assert conclusion.issued_on == date(2026, 12, 21)
    (message,) = mail.outbox
    assert dept_user.email in message.to
    assert "Số 01-TB/ĐU" in message.subject or "01-TB/ĐU" in message.subject
    (_name, content, kind) = message.attachments[0]
    assert kind == "application/pdf" and content[:4] == b"%PDF"
    assert content == effects.notice_record(conclusion).file.open("rb").read()
    directive = Directive.objects.get()
    assert directive.status == Directive.Status.OPEN
    assert directive.counted_from_day == date(2026, 12, 21)
    # 15 working days from Monday 21/12/2026, past the New Year's Day off.
    assert directive.deadline == date(2027, 1, 12)
    with pytest.raises(RuleError, match="21/12/2026"):
        services.conclusion_issue(conclusion=conclusion, actor=office)
    assert SideEffect.objects.filter(kind=effects.NOTICE_EMAIL).count() == 1

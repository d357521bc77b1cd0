"""The assignment e-mail is a side effect: a mail server that is down delays it, never loses it."""

import pytest
from django.core import mail
from django.utils import timezone

from doluong_dialogue import side_effects
from doluong_dialogue.models import SideEffect
from petitions.models import Assignment
from tests.broker import free_port
from tests.petitions.helpers import classified

pytestmark = pytest.mark.django_db


def test_the_assign_page_works_while_the_mail_server_is_down_and_the_email_follows(
    client, staff, department, dept_user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    petition = classified(staff)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/petitions/{petition.pk}/assign/", {"department": department.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get(petition=petition)
    effect = SideEffect.objects.get(key=f"assignment-email:{assignment.pk}")
    assert (effect.status, effect.attempts) == (SideEffect.Status.PENDING, 1)
    assert "ConnectionRefusedError" in effect.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back up
    SideEffect.objects.filter(pk=effect.pk).update(next_attempt_at=timezone.now())
    side_effects.sweep()
    side_effects.sweep()
    assert len(mail.outbox) == 1
    assert dept_user.email in mail.outbox[0].to
    assert petition.code in mail.outbox[0].subject

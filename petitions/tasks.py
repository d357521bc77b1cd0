from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from doluong_dialogue.models import SiteConfiguration


@shared_task(soft_time_limit=60, time_limit=90)
def notify_assignment(assignment_id: int) -> None:
    """Tell the lead department what was assigned to it and by when; safe to run twice."""
    from petitions.models import Assignment

    claimed = Assignment.objects.filter(pk=assignment_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return  # sent already, or another worker is sending it
    assignment = Assignment.objects.select_related("petition", "department").get(pk=assignment_id)
    department = assignment.department
    recipients = set(
        department.members.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if department.email:
        recipients.add(department.email)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "assignment": assignment,
            "petition": assignment.petition,
            "site_config": SiteConfiguration.load(),
            "base_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/assignment_subject.txt", context).strip()
        text = render_to_string("emails/assignment_body.txt", context)
        html = render_to_string("emails/assignment_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=sorted(recipients))
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        # Let a retry send it.
        Assignment.objects.filter(pk=assignment_id).update(notified_at=None)
        raise

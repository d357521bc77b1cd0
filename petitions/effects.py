"""The side effects petitions schedule (see doluong_dialogue/side_effects.py)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from doluong_dialogue.models import SiteConfiguration
from petitions.models import Assignment

ASSIGNMENT_EMAIL = "petitions.assignment_email"


def send_assignment_email(*, assignment_id: int) -> None:
    """Tell the lead department what was assigned to it and by when."""
    assignment = (
        Assignment.objects.select_related("petition", "department").filter(pk=assignment_id).first()
    )
    if assignment is None:
        return  # deleted since: there is nothing to announce
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
    message.send()

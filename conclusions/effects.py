"""What the conclusions app records to happen after its transactions: the signed notice's
PDF (rendered and signed by the documents worker) and its e-mail to each recipient unit
(doluong_dialogue/side_effects.py, doluong_dialogue/documents)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from doluong_dialogue import side_effects
from doluong_dialogue.models import SiteConfiguration

NOTICE = "conclusions.notice"
NOTICE_EMAIL = "conclusions.notice_email"


def notice_key(conclusion) -> str:
    return f"{NOTICE}:{conclusion.pk}"


def notice_title(conclusion) -> str:
    """ "Thông báo kết luận số 01-TB ngày …", an organisation's "số 01/TB-MTTQ" (its own
    series, which the verification page heads with this)."""
    number = f"{conclusion.number:02d}-TB"
    if conclusion.session.organiser_id:
        number = conclusion.reference.removeprefix("Số:").strip()
    return f"Thông báo kết luận số {number} ngày {conclusion.signed_on:%d/%m/%Y}"


def request_notice_pdf(conclusion):
    """The signed notice, made once: its words never change after signing."""
    from doluong_dialogue import documents

    return documents.request_pdf(
        notice_key(conclusion),
        builder=NOTICE,
        object_id=conclusion.pk,
        title=notice_title(conclusion),
        version=f"{conclusion.term_start}-{conclusion.number}",
    )


def notice_record(conclusion):
    from doluong_dialogue.documents import RenderedDocument

    return RenderedDocument.objects.filter(key=notice_key(conclusion)).first()


def unit_addresses(unit) -> set[str]:
    found = set(
        unit.members.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if unit.email:
        found.add(unit.email)
    return found


def schedule_notice_emails(conclusion) -> int:
    """One e-mail with the signed PDF to each recipient unit that has an address; how many."""
    count = 0
    for unit in conclusion.recipient_units.all():
        if not unit_addresses(unit):
            continue
        side_effects.schedule(
            NOTICE_EMAIL,
            key=f"{NOTICE_EMAIL}:{conclusion.pk}:{unit.pk}",
            conclusion_id=conclusion.pk,
            unit_id=unit.pk,
        )
        count += 1
    return count


class NoticeNotReady(Exception):
    """The signed PDF is not stored yet: the e-mail is tried again later."""


def send_notice_email(*, conclusion_id: int, unit_id: int) -> None:
    from conclusions.models import Conclusion
    from petitions.models import Department

    conclusion = Conclusion.objects.select_related("session").filter(pk=conclusion_id).first()
    unit = Department.objects.filter(pk=unit_id).first()
    if conclusion is None or unit is None:
        return
    recipients = unit_addresses(unit)
    if not recipients:
        return
    record = notice_record(conclusion)
    if record is None or not record.is_ready:
        raise NoticeNotReady(f"The notice of conclusion {conclusion_id} is not rendered yet.")
    with record.file.open("rb") as pdf:
        attachment = (
            f"thong-bao-ket-luan-so-{conclusion.number:02d}.pdf",
            pdf.read(),
            "application/pdf",
        )
    context = {
        "conclusion": conclusion,
        "session": conclusion.session,
        "unit": unit,
        "directives": conclusion.directives.filter(lead=unit),
    }
    send_mail("notice", context, sorted(recipients), attachments=[attachment])


# --- The daily reminders (conclusions/reminders.py) -------------------------------------------


def _lines(rows: list[dict]) -> list[dict]:
    from datetime import date

    return [{**row, "deadline": date.fromisoformat(row["deadline"])} for row in rows]


def send_mail(template: str, context: dict, to: list[str], *, attachments=()) -> None:
    """The e-mail `emails/<template>_subject.txt`, `_body.txt` and `_body.html`, in the
    interface's language, with (name, bytes, type) attachments."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **context,
            "site_config": SiteConfiguration.load(),
            "base_url": settings.SITE_URL,
        }
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=sorted(to))
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def send_digest_email(*, unit_id: int, day: str, overdue, due_today, due_soon) -> None:
    """A unit's reminders of one day, as the sweep found them."""
    from datetime import date

    from petitions.models import Department

    unit = Department.objects.filter(pk=unit_id).first()
    if unit is None:
        return
    recipients = unit_addresses(unit)
    if not recipients:
        return
    context = {
        "unit": unit,
        "day": date.fromisoformat(day),
        "overdue": _lines(overdue),
        "due_today": _lines(due_today),
        "due_soon": _lines(due_soon),
    }
    send_mail("digest", context, sorted(recipients))


def send_escalation_email(*, user_id: int, role: str, after: int, day: str, lines) -> None:
    """What has been overdue `after` working days or more, to the Inspection Committee or the
    Secretary."""
    from datetime import date

    from django.contrib.auth.models import User

    person = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if person is None:
        return
    context = {
        "person": person,
        "role": role,
        "after": after,
        "day": date.fromisoformat(day),
        "lines": _lines(lines),
    }
    send_mail("escalation", context, [person.email])

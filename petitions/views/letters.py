"""The written acknowledgement to the petitioner (thông báo tiếp nhận, xử lý kiến nghị).

Quy định 11-QĐi/TW: within 10 working days of receipt, the head of the Party committee tells
the petitioner in writing that the petition is being handled or where it was forwarded. Intake
sets `Petition.acknowledgement_due` when there is somewhere to send the letter (an address, a
hamlet, or a group's representative); these views print the letter, record when it was sent,
and list the letters still owed.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from doluong_dialogue import clock, pdf
from doluong_dialogue.deadlines import due_soon_until
from doluong_dialogue.forms import DateField
from doluong_dialogue.models import SiteConfiguration
from petitions import permissions, services
from petitions.models import Petition

PAGE_SIZE = 25

# The letter's own words for the kind of petition (the document is written in Vietnamese).
KIND_WORDS = {
    Petition.Kind.REQUEST: "kiến nghị",
    Petition.Kind.FEEDBACK: "phản ánh",
    Petition.Kind.PROPOSAL: "đề xuất",
}


def _may_read_letters(user) -> bool:
    # Letters carry the petitioner's name and address: only those who read everything (staff,
    # the Secretary, the Inspection Committee) see them, whatever else a user may see.
    return permissions.can_read_everything(user)


def _may_record_sending(user) -> bool:
    # Party Building and the Party Office send the letters; the Office keeps the register.
    return permissions.is_staff_member(user)


def _letter_petition(user, pk: int) -> Petition:
    petition = permissions.petition_for_user(user, pk)
    if not _may_read_letters(user):
        raise Http404
    return petition


def acknowledgement_context(petition: Petition, *, on: date | None = None) -> dict:
    """What documents/acknowledgement.html needs. The letter is dated the day it was sent,
    so a copy printed later is the same letter; an unsent letter is dated today."""
    site = SiteConfiguration.load()
    day = petition.acknowledged_on or on or clock.today()
    forwarded = (
        petition.status == Petition.Status.CLOSED and petition.outcome == Petition.Outcome.FORWARDED
    )
    return {
        "site": site,
        "petition": petition,
        "date_line": pdf.party_date_line(site.place_name, day),
        "document_code": "TB",
        "number": "",
        "subject_line": "V/v tiếp nhận, xử lý kiến nghị",
        "kind_word": KIND_WORDS.get(petition.kind, "kiến nghị"),
        "address": petition.address_line,
        "forward_note": petition.outcome_note.strip().rstrip(".;").strip() if forwarded else "",
        "primary_code": petition.duplicate_of.code if petition.duplicate_of_id else "",
    }


@login_required
def acknowledgement_pdf(request, pk: int):
    petition = _letter_petition(request.user, pk)
    if petition.acknowledgement_due is None:
        return render(
            request,
            "petitions/acknowledgement_not_owed.html",
            {"petition": petition},
            status=404,
        )
    # Rendered here rather than in a Celery task: one page takes about 0.05 s, the letter
    # is never stored (it is drawn again from the petition whenever it is printed), and the
    # person asking is waiting to print it; a queue would only add a status page to poll.
    content = pdf.render_pdf("documents/acknowledgement.html", acknowledgement_context(petition))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"thong-bao-tiep-nhan-{petition.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class AcknowledgementForm(forms.Form):
    sent_on = DateField(
        label=gettext_lazy("Sent on"),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )


def _next_url(request, petition: Petition) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("petitions:detail", args=[petition.pk])


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, pk: int):
    """Record the day the letter went out (default today)."""
    petition = _letter_petition(request.user, pk)
    if not _may_record_sending(request.user):
        raise PermissionDenied
    next_url = _next_url(request, petition)
    if request.method == "POST":
        form = AcknowledgementForm(request.POST)
        if form.is_valid():
            sent_on = form.cleaned_data["sent_on"] or clock.today()
            try:
                services.petition_acknowledge(
                    petition=petition, actor=request.user, sent_on=sent_on
                )
            except services.InvalidTransition as refusal:
                # Shown as a message above the form, the typed date kept in it.
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    _("The acknowledgement letter for %(code)s is recorded as sent on %(day)s.")
                    % {"code": petition.code, "day": f"{sent_on:%d/%m/%Y}"},
                )
                return redirect(next_url)
    else:
        form = AcknowledgementForm(initial={"sent_on": clock.today()})
    context = {"petition": petition, "form": form, "next_url": next_url}
    return render(request, "petitions/acknowledgement_form.html", context)


@login_required
def acknowledgement_list(request):
    """The letters still owed, the earliest due first; `?overdue=1`, only those overdue (the
    list behind the home page's figure)."""
    if not _may_read_letters(request.user):
        raise PermissionDenied
    today = clock.today()
    owed = Petition.objects.acknowledgement_pending()
    overdue_only = request.GET.get("overdue") == "1"
    letters = owed.acknowledgement_overdue(on=today) if overdue_only else owed
    page = Paginator(letters.order_by("acknowledgement_due", "received_on", "id"), PAGE_SIZE)
    context = {
        "page_obj": page.get_page(request.GET.get("page")),
        "today": today,
        "overdue_only": overdue_only,
        # Overdue and due soon are read from the stored due date and today, never stored.
        "due_soon_until": due_soon_until(today),
        "owed_count": owed.count(),
        "overdue_count": owed.acknowledgement_overdue(on=today).count(),
        "can_record": _may_record_sending(request.user),
    }
    return render(request, "petitions/acknowledgement_list.html", context)


urlpatterns = [
    path("acknowledgements/", acknowledgement_list, name="acknowledgements"),
    path("<int:pk>/acknowledgement.pdf", acknowledgement_pdf, name="acknowledgement_pdf"),
    path("<int:pk>/acknowledge/", acknowledge, name="acknowledge"),
]

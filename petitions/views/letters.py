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
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from doluong_dialogue import clock, documents, redirects
from doluong_dialogue.deadlines import due_soon_until
from doluong_dialogue.documents import (
    Addressee,
    Issuer,
    Paragraph,
    PartyDocument,
    Signature,
    standard_recipients,
)
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
    """The petition whose letter is asked for: 404 for whoever reads no letters; 403 for a
    hidden petitioner's letter to whoever may not know who it is (Ban Xây dựng Đảng handles
    that letter)."""
    petition = permissions.petition_for_user(user, pk)
    if not _may_read_letters(user):
        raise Http404
    if not permissions.can_see_identity(user, petition):
        raise PermissionDenied
    return petition


# How the petition reached the committee, in the letter's words; a unit that submitted it
# on its members' behalf is named instead.
CHANNEL_WORDS = {
    Petition.Channel.FRONT: "thông qua Ủy ban Mặt trận Tổ quốc Việt Nam xã",
    Petition.Channel.FARMERS: "thông qua Hội Nông dân xã",
    Petition.Channel.WOMEN: "thông qua Hội Liên hiệp Phụ nữ xã",
    Petition.Channel.YOUTH: "thông qua Đoàn Thanh niên xã",
    Petition.Channel.VETERANS: "thông qua Hội Cựu chiến binh xã",
    Petition.Channel.PARTY_CELL: "thông qua chi bộ",
    Petition.Channel.HAMLET: "thông qua cán bộ xóm, khối",
    Petition.Channel.SESSION: "tại hội nghị tiếp xúc, đối thoại với Nhân dân",
    Petition.Channel.RECEPTION: "trình bày trực tiếp tại buổi tiếp công dân của Bí thư Đảng ủy",
}


def acknowledgement_document(petition: Petition, *, on: date | None = None) -> PartyDocument:
    """The letter as a Party document (official wording, in Vietnamese). It is dated the day
    it was sent, so a copy printed later is the same letter; an unsent letter is dated today
    and is a draft (its Word copy is offered), a sent one is final."""
    site = SiteConfiguration.load()
    day = petition.acknowledged_on or on or clock.today()
    kind_word = KIND_WORDS.get(petition.kind, "kiến nghị")
    address = petition.address_line
    forwarded = (
        petition.status == Petition.Status.CLOSED and petition.outcome == Petition.Outcome.FORWARDED
    )
    forward_note = petition.outcome_note.strip().rstrip(".;").strip() if forwarded else ""
    primary_code = petition.duplicate_of.code if petition.duplicate_of_id else ""
    address_note = (f"Địa chỉ: {address}",) if address else ()

    if petition.is_group:
        count = f"{petition.people_count} " if petition.people_count > 1 else ""
        group_note = f"(Đại diện nhóm {count}công dân cùng kiến nghị)"
        addressee = Addressee((petition.petitioner_name,), notes=(group_note, *address_note))
        sender = f"nhóm công dân do {petition.petitioner_name} làm đại diện"
    else:
        addressee = Addressee((f"Ông/Bà {petition.petitioner_name}",), notes=address_note)
        sender = "Ông/Bà"
    if petition.submitted_by_department:
        through = f"thông qua {petition.submitted_by_department.name}"
    else:
        through = CHANNEL_WORDS.get(petition.channel, "gửi trực tiếp")

    body = [
        addressee,
        Paragraph(
            f"Ngày {petition.received_on:%d/%m/%Y}, Ban Thường vụ {site.short_name} nhận được "
            f"{kind_word} của {sender} {through} (số tiếp nhận {petition.code}) về việc: "
            f"“{petition.summary}”."
        ),
    ]
    if forward_note:
        body += [
            Paragraph(
                f"Nội dung {kind_word} nêu trên vượt thẩm quyền giải quyết của cấp xã. Ban Thường "
                f"vụ Đảng ủy đã chuyển {kind_word} của Ông/Bà đến cơ quan có thẩm quyền để xem "
                f"xét, giải quyết theo quy định: {forward_note}."
            ),
            Paragraph(
                "Kết quả giải quyết sẽ do cơ quan có thẩm quyền trả lời Ông/Bà theo quy định."
            ),
        ]
    else:
        if primary_code:
            handling = (
                f"Nội dung {kind_word} trùng với kiến nghị số tiếp nhận {primary_code} đã được "
                "tiếp nhận trước đó; Ban Thường vụ Đảng ủy tổng hợp chung để xem xét, giải quyết."
            )
        elif petition.lead_department:
            handling = (
                f"Ban Thường vụ Đảng ủy đã tiếp nhận và giao {petition.lead_department.name} "
                "chủ trì xem xét, giải quyết theo quy định."
            )
        else:
            handling = (
                "Ban Thường vụ Đảng ủy đã tiếp nhận và đang xem xét, giao cơ quan có thẩm quyền "
                "giải quyết theo quy định."
            )
        body += [
            Paragraph(handling),
            Paragraph("Kết quả xem xét, giải quyết sẽ được thông báo đến Ông/Bà."),
        ]
    body += [
        Paragraph(
            f"Mọi thông tin cần trao đổi, đề nghị Ông/Bà liên hệ Văn phòng {site.short_name} "
            f"(trong giờ hành chính), nêu số tiếp nhận {petition.code} để được hướng dẫn."
        ),
        Paragraph(
            f"Ban Thường vụ {site.short_name} thông báo để Ông/Bà được biết./.",
            keep_with_next=True,
        ),
    ]
    first_recipients = ["Như trên"]
    if petition.lead_department and not forward_note and not primary_code:
        first_recipients.append(f"{petition.lead_department.name} (thực hiện)")
    return PartyDocument(
        code="TB",
        title=f"Thông báo tiếp nhận kiến nghị {petition.code}",
        day=day,
        type_name="THÔNG BÁO",
        summary="tiếp nhận, xử lý kiến nghị, phản ánh của công dân",
        subject="V/v tiếp nhận, xử lý kiến nghị",
        body=body,
        signatures=[Signature.current(site)],
        recipients=standard_recipients(*first_recipients, site=site),
        # Once sent, the letter is what the petitioner holds: its PDF only.
        final=petition.acknowledged_on is not None,
        issuer=Issuer.current(site),
    )


def _owed_letter(request, pk: int):
    """The petition whose letter is owed, or the page saying none is (404)."""
    petition = _letter_petition(request.user, pk)
    if petition.acknowledgement_due is None:
        return petition, render(
            request,
            "petitions/acknowledgement_not_owed.html",
            {"petition": petition},
            status=404,
        )
    return petition, None


@login_required
def acknowledgement_pdf(request, pk: int):
    petition, not_owed = _owed_letter(request, pk)
    if not_owed:
        return not_owed
    # Rendered here rather than in a Celery task: one page takes about 0.05 s, the letter
    # is never stored (it is drawn again from the petition whenever it is printed), and the
    # person asking is waiting to print it; a queue would only add a status page to poll.
    content = documents.render_pdf(acknowledgement_document(petition))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"thong-bao-tiep-nhan-{petition.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def acknowledgement_docx(request, pk: int):
    """The letter's Word copy, to finish it in Word, while it has not been sent."""
    petition, not_owed = _owed_letter(request, pk)
    if not_owed:
        return not_owed
    try:
        return documents.docx_response(
            acknowledgement_document(petition), f"thong-bao-tiep-nhan-{petition.code}.docx"
        )
    except documents.WordCopyRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("petitions:detail", petition.pk)


class AcknowledgementForm(forms.Form):
    sent_on = DateField(
        label=gettext_lazy("Sent on"),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )


def _next_url(request, petition: Petition) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return redirects.local_path(request, candidate) or reverse(
        "petitions:detail", args=[petition.pk]
    )


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
                return HttpResponseRedirect(next_url)
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
    page_obj = page.get_page(request.GET.get("page"))
    # A hidden petitioner's letter stays listed (and counted), masked: Ban Xây dựng Đảng
    # sends it.
    for petition in page_obj.object_list:
        petition.show_identity = permissions.can_see_identity(request.user, petition)
    context = {
        "page_obj": page_obj,
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
    path("<int:pk>/acknowledgement.docx", acknowledgement_docx, name="acknowledgement_docx"),
    path("<int:pk>/acknowledge/", acknowledge, name="acknowledge"),
]

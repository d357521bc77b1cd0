"""The Party Office's urging letters: drafted from an overdue item, edited, downloaded as
Word while a draft, issued with a number and a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conclusions import permissions, urging
from conclusions.forms import UrgingLetterForm
from doluong_dialogue import documents, redirects
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions


def _item(user, kind: str, pk: int):
    if kind == "assignment":
        return petition_permissions.assignment_for_user(user, pk)
    if kind == "directive":
        return permissions.directive_for_user(user, pk)
    raise Http404


@login_required
@require_POST
def letter_new(request, kind: str, pk: int):
    if not permissions.can_urge(request.user):
        raise PermissionDenied
    item = _item(request.user, kind, pk)
    try:
        letter = urging.urging_draft(item=item, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
        return redirects.back_to(
            request, request.POST.get("next"), reverse("conclusions:oversight")
        )
    return redirect("conclusions:letter", pk=letter.pk)


def _page(request, letter, form=None):
    may_edit = permissions.can_urge(request.user) and letter.is_draft
    context = {
        "letter": letter,
        "item": letter.item,
        "form": form
        or (
            UrgingLetterForm(initial={"request": letter.request, "reply_by": letter.reply_by})
            if may_edit
            else None
        ),
        "may_edit": may_edit,
        "record": None if letter.is_draft else urging.pdf_record(letter),
    }
    return render(request, "conclusions/letter.html", context)


@login_required
def letter_detail(request, pk: int):
    letter = permissions.letter_for_user(request.user, pk)
    if request.method == "POST":
        form = UrgingLetterForm(request.POST)
        if form.is_valid():
            try:
                urging.urging_update(
                    letter=letter, data=form.data_for_service(), actor=request.user
                )
            except RuleError as refusal:
                add_to_form(form, refusal)
            else:
                messages.success(request, _("The draft letter is saved."))
                return redirect("conclusions:letter", pk=letter.pk)
        return _page(request, letter, form)
    return _page(request, letter)


@login_required
@require_POST
def letter_issue(request, pk: int):
    letter = permissions.letter_for_user(request.user, pk)
    try:
        letter = urging.urging_issue(letter=letter, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "Issued: letter no. %(number)s. Its PDF is being made and will be e-mailed "
                "to the unit."
            )
            % {"number": f"{letter.number:02d}-CV/ĐU"},
        )
    return redirect("conclusions:letter", pk=letter.pk)


@login_required
def letter_docx(request, pk: int):
    letter = permissions.letter_for_user(request.user, pk)
    if not letter.is_draft:
        raise Http404
    return documents.docx_response(
        urging.letter_document(letter), f"du-thao-cong-van-don-doc-{letter.pk}.docx"
    )


@login_required
def letter_pdf(request, pk: int):
    letter = permissions.letter_for_user(request.user, pk)
    record = urging.pdf_record(letter)
    if record is None:
        raise Http404
    return documents.file_response(record, f"cong-van-don-doc-so-{letter.number:02d}.pdf")


urlpatterns = [
    path("urging/new/<str:kind>/<int:pk>/", letter_new, name="letter_new"),
    path("urging/<int:pk>/", letter_detail, name="letter"),
    path("urging/<int:pk>/issue/", letter_issue, name="letter_issue"),
    path("urging/<int:pk>/du-thao.docx", letter_docx, name="letter_docx"),
    path("urging/<int:pk>/cong-van.pdf", letter_pdf, name="letter_pdf"),
]

"""A conclusion: drafted from its session, edited, submitted, returned or signed by the
Secretary, issued by the Party Office; its directives; its notice as PDF and Word."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from conclusions import documents, effects, permissions, selectors, services
from conclusions.figures import CONCLUSION_CONDITIONS, conclusions_shown
from conclusions.forms import ConclusionForm, DirectiveForm, ReturnForm
from conclusions.models import Conclusion
from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.documents import file_response, stored_check
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions
from sessions import permissions as session_permissions


def conclusion_actions(user, conclusion: Conclusion) -> dict[str, bool]:
    """What the user may do to the conclusion now; its page offers exactly these."""
    session = conclusion.session
    draft = permissions.can_draft(user, session)
    status = conclusion.status
    return {
        "edit": draft and status == Conclusion.Status.DRAFT,
        "submit": draft and status == Conclusion.Status.DRAFT,
        "review": permissions.can_sign(user, session) and status == Conclusion.Status.SUBMITTED,
        "issue": permissions.can_issue(user, session) and status == Conclusion.Status.SIGNED,
        "word": draft and not conclusion.is_frozen,
    }


@login_required
def conclusion_list(request):
    if not petition_permissions.roles_of(request.user):
        raise PermissionDenied
    show = request.GET.get("show", "")
    conclusions = permissions.visible_conclusions(request.user).select_related("session__organiser")
    if show in CONCLUSION_CONDITIONS:
        conclusions = conclusions_shown(conclusions, show)
    else:
        show = ""
    conclusions = list(conclusions.order_by("-session__held_on", "-id"))
    return render(
        request,
        "conclusions/list.html",
        {
            "conclusions": conclusions,
            "show": show,
            "can_draft": permissions.can_draft(request.user),
            "to_draft": selectors.sessions_to_conclude(request.user)
            if permissions.can_draft(request.user) and not show
            else [],
        },
    )


@login_required
def for_session(request, pk: int):
    """The session's conclusion, or the page that drafts it."""
    session = session_permissions.session_for_user(request.user, pk)
    conclusion = permissions.visible_conclusions(request.user).filter(session=session).first()
    if conclusion is not None:
        return redirect("conclusions:detail", pk=conclusion.pk)
    context = {
        "session": session,
        "can_draft": permissions.can_draft(request.user, session) and session.was_held,
        "exists": Conclusion.objects.filter(session=session).exists(),
    }
    return render(request, "conclusions/for_session.html", context)


@login_required
@require_POST
def draft(request, pk: int):
    session = session_permissions.session_for_user(request.user, pk)
    if not permissions.can_draft(request.user, session):
        raise PermissionDenied
    try:
        conclusion = services.conclusion_draft(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
        return redirect("conclusions:for_session", pk=session.pk)
    messages.success(
        request,
        _("The draft is written from the session: read it, correct it, then submit it."),
    )
    return redirect("conclusions:detail", pk=conclusion.pk)


def _directives(conclusion: Conclusion, reader: DeadlineReader) -> list[dict]:
    rows = []
    for directive in conclusion.directives.select_related("lead").prefetch_related(
        "supporting", Prefetch("petitions", queryset=selectors.petitions_in_order())
    ):
        rows.append(
            {
                "directive": directive,
                "deadline": reader.of(directive),
                "sentence": documents.directive_sentence(directive),
            }
        )
    return rows


@login_required
def detail(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk)
    reader = DeadlineReader()
    directives = _directives(conclusion, reader)
    notice = effects.notice_record(conclusion) if conclusion.is_frozen else None
    context = {
        "conclusion": conclusion,
        "session": conclusion.session,
        "directives": directives,
        "progress": selectors.overall_progress(
            [row["directive"] for row in directives], reader=reader
        ),
        "actions": conclusion_actions(request.user, conclusion),
        "notice": notice,
        "notice_check": stored_check(notice)
        if notice and notice.is_ready and notice.is_signed
        else None,
        "events": conclusion.events.select_related("actor"),
        "recipients": list(conclusion.recipient_units.all()),
        "return_form": ReturnForm(),
    }
    return render(request, "conclusions/detail.html", context)


@login_required
def edit(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk, draft=True)
    if not conclusion.is_editable:
        messages.info(request, _("Only a draft can be changed."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    data = services.ConclusionData.of(conclusion)
    form = ConclusionForm(request.POST or None, initial=vars(data))
    if request.method == "POST" and form.is_valid():
        try:
            services.conclusion_update(
                conclusion=conclusion, data=form.data_for_service(), actor=request.user
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("conclusions:detail", pk=conclusion.pk)
    context = {"conclusion": conclusion, "session": conclusion.session, "form": form}
    return render(request, "conclusions/edit.html", context)


def _directive_form_page(request, conclusion, form, directive=None):
    context = {
        "conclusion": conclusion,
        "session": conclusion.session,
        "form": form,
        "directive": directive,
    }
    return render(request, "conclusions/directive_form.html", context)


@login_required
def directive_add(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk, draft=True)
    if not conclusion.is_editable:
        messages.info(request, _("Only a draft can be changed."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    if conclusion.session.organiser_id:
        messages.info(
            request,
            _(
                "An organisation's notice gives no directives to the commune's units: forward "
                "what needs them to the commune from the session's page."
            ),
        )
        return redirect("conclusions:detail", pk=conclusion.pk)
    form = DirectiveForm(request.POST or None, session=conclusion.session)
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_add(
                conclusion=conclusion, data=form.data_for_service(), actor=request.user
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Directive added."))
            return redirect(f"{reverse('conclusions:detail', args=[conclusion.pk])}#directives")
    return _directive_form_page(request, conclusion, form)


@login_required
def directive_edit(request, pk: int):
    directive = permissions.directive_for_user(request.user, pk, draft=True)
    conclusion = directive.conclusion
    if not conclusion.is_editable:
        messages.info(request, _("Only a draft can be changed."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    data = services.DirectiveData.of(directive)
    form = DirectiveForm(request.POST or None, session=conclusion.session, initial=vars(data))
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_update(
                directive=directive, data=form.data_for_service(), actor=request.user
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Directive saved."))
            return redirect(f"{reverse('conclusions:detail', args=[conclusion.pk])}#directives")
    return _directive_form_page(request, conclusion, form, directive)


@login_required
@require_POST
def directive_remove(request, pk: int):
    directive = permissions.directive_for_user(request.user, pk, draft=True)
    conclusion = directive.conclusion
    try:
        services.directive_remove(directive=directive, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Directive removed."))
    return redirect(f"{reverse('conclusions:detail', args=[conclusion.pk])}#directives")


def _transition(request, pk, *, service, success, **lookup):
    """`success` is a message, or a function of the conclusion the service returned."""
    conclusion = permissions.conclusion_for_user(request.user, pk, **lookup)
    try:
        done = service(conclusion=conclusion, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, success(done) if callable(success) else success)
    return redirect("conclusions:detail", pk=conclusion.pk)


@login_required
@require_POST
def submit(request, pk: int):
    return _transition(
        request,
        pk,
        service=services.conclusion_submit,
        success=lambda conclusion: (
            _("Submitted to the head of the organisation for signature.")
            if conclusion.session.is_organisations
            else _("Submitted to the Secretary for signature.")
        ),
        draft=True,
    )


def _signed_message(conclusion: Conclusion) -> str:
    if conclusion.of_organisation:
        return _("Signed: notice %(reference)s. Its PDF is being made and signed digitally.") % {
            "reference": conclusion.reference
        }
    suffix = SiteConfiguration.load().code_suffix
    return _("Signed: notice no. %(number)s. Its PDF is being made and signed digitally.") % {
        "number": f"{conclusion.number:02d}-TB/{suffix}"
    }


@login_required
@require_POST
def sign(request, pk: int):
    return _transition(
        request,
        pk,
        service=services.conclusion_sign,
        success=_signed_message,
        sign=True,
    )


@login_required
@require_POST
def return_draft(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk, sign=True)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.conclusion_return(
                conclusion=conclusion, actor=request.user, comment=form.cleaned_data["comment"]
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Returned to the drafter with your comment.")
                if conclusion.session.is_organisations
                else _("Returned to Ban Xây dựng Đảng with your comment."),
            )
            return redirect("conclusions:detail", pk=conclusion.pk)
    reader = DeadlineReader()
    directives = _directives(conclusion, reader)
    context = {
        "conclusion": conclusion,
        "session": conclusion.session,
        "directives": directives,
        "progress": selectors.overall_progress(
            [row["directive"] for row in directives], reader=reader
        ),
        "actions": conclusion_actions(request.user, conclusion),
        "notice": None,
        "events": conclusion.events.select_related("actor"),
        "recipients": list(conclusion.recipient_units.all()),
        "return_form": form,
    }
    return render(request, "conclusions/detail.html", context)


@login_required
def issue(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk)
    if not permissions.can_issue(request.user, conclusion.session):
        raise PermissionDenied
    if conclusion.status != Conclusion.Status.SIGNED:
        messages.info(request, _("Only a signed notice is issued."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    if request.method == "POST":
        try:
            services.conclusion_issue(conclusion=conclusion, actor=request.user)
        except RuleError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                # An organisation's notice has no directives and no recipient units.
                _("Notice issued.")
                if conclusion.session.is_organisations
                else _(
                    "Issued. The recipient units are e-mailed the signed notice; the "
                    "directives are followed up from today."
                ),
            )
            return redirect("conclusions:detail", pk=conclusion.pk)
    context = {
        "conclusion": conclusion,
        "session": conclusion.session,
        "notice": effects.notice_record(conclusion),
        "recipients": selectors.recipients_with_addresses(conclusion),
        "today": clock.today(),
    }
    return render(request, "conclusions/issue.html", context)


@login_required
def notice_word(request, pk: int):
    """The draft notice as Word, to finish in the office; never the signed one."""
    conclusion = permissions.conclusion_for_user(request.user, pk, draft=True)
    if conclusion.is_frozen:
        messages.info(request, _("A signed notice is offered as its signed PDF only."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    return documents.notice_docx_response(conclusion)


@login_required
def notice_pdf(request, pk: int):
    conclusion = permissions.conclusion_for_user(request.user, pk)
    record = effects.notice_record(conclusion) if conclusion.is_frozen else None
    if record is None or not record.is_ready:
        messages.info(request, _("The signed notice is not ready yet."))
        return redirect("conclusions:detail", pk=conclusion.pk)
    return file_response(record, f"Thong-bao-ket-luan-so-{conclusion.number:02d}.pdf")


urlpatterns = [
    path("", conclusion_list, name="list"),
    path("session/<int:pk>/", for_session, name="for_session"),
    path("session/<int:pk>/draft/", draft, name="draft"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/directives/new/", directive_add, name="directive_add"),
    path("directives/<int:pk>/edit/", directive_edit, name="directive_edit"),
    path("directives/<int:pk>/remove/", directive_remove, name="directive_remove"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/sign/", sign, name="sign"),
    path("<int:pk>/return/", return_draft, name="return"),
    path("<int:pk>/issue/", issue, name="issue"),
    path("<int:pk>/du-thao-thong-bao.docx", notice_word, name="notice_docx"),
    path("<int:pk>/thong-bao.pdf", notice_pdf, name="notice_pdf"),
]

"""Taking petitions in: the full form, editing, quick entry, and attachment downloads."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from doluong_dialogue.downloads import stored_file_response
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions, services
from petitions.forms import PetitionForm, QuickEntryForm, organisation_channel
from petitions.models import Department, Petition

QUICK_STICKY_SESSION_KEY = "petitions_quick_entry_sticky"
QUICK_LIST_LIMIT = 25


def _organisation(user) -> Department | None:
    """A Front user submits for their (first) organisation; others for none."""
    ids = permissions.submitting_department_ids(user)
    if not ids:
        return None
    return Department.objects.filter(pk__in=ids).order_by("order", "name").first()


def _default_channel(user, organisation: Department | None) -> str:
    if permissions.has_role(user, permissions.Role.FRONT):
        return organisation_channel(organisation)
    return ""


def _bound(request) -> tuple:
    """A POST binds the form even when it arrives empty, so that it is answered with errors."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _require_intake(user) -> None:
    if not permissions.can_take_in(user):
        raise PermissionDenied


def _received_message(petition: Petition) -> str:
    if petition.is_routed_out:
        return _("Petition %(code)s received and routed to its legal procedure: %(channel)s") % {
            "code": petition.code,
            "channel": petition.legal_channel_note,
        }
    return _("Petition %(code)s received") % {"code": petition.code}


def _receive(request, form: PetitionForm, organisation, attachments=()) -> Petition | None:
    """Call the service; a refusal becomes a form error and nothing typed is lost."""
    try:
        petition = services.petition_receive(
            data=form.petition_data(submitted_by_department=organisation),
            actor=request.user,
            attachments=attachments,
        )
    except RuleError as refusal:
        add_to_form(form, refusal)
        return None
    messages.success(request, _received_message(petition))
    return petition


@login_required
def petition_new(request):
    _require_intake(request.user)
    organisation = _organisation(request.user)
    form = PetitionForm(
        *_bound(request),
        user=request.user,
        default_channel=_default_channel(request.user, organisation),
    )
    if request.method == "POST" and form.is_valid():
        petition = _receive(request, form, organisation, form.cleaned_data["attachments"])
        if petition is not None:
            return redirect("petitions:detail", petition.pk)
    context = {
        "form": form,
        "organisation": organisation,
        "files_dropped": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "petitions/petition_form.html", context)


@login_required
def petition_edit(request, pk: int):
    petition = permissions.petition_for_user(request.user, pk)
    if petition.is_routed_out:
        messages.error(
            request,
            _("This petition was routed to its legal procedure and can no longer be edited."),
        )
        return redirect("petitions:detail", petition.pk)
    if not petition.is_open:
        messages.error(request, _("A closed petition cannot be edited; reopen it first."))
        return redirect("petitions:detail", petition.pk)
    if not permissions.can_edit_petition(request.user, petition):
        raise PermissionDenied
    form = PetitionForm(*_bound(request), user=request.user, petition=petition)
    if request.method == "POST" and form.is_valid():
        try:
            petition, changed = services.petition_edit(
                petition=petition,
                actor=request.user,
                changes=form.changes(),
                legal_channel_note=form.cleaned_data.get("legal_channel_note", ""),
                attachments=form.cleaned_data["attachments"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            if petition.is_routed_out:
                messages.success(request, _received_message(petition))
            elif changed:
                messages.success(request, _("Petition %(code)s updated") % {"code": petition.code})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("petitions:detail", petition.pk)
    context = {
        "form": form,
        "petition": petition,
        "attachments": petition.attachments.filter(answer__isnull=True),
        "files_dropped": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "petitions/petition_form.html", context)


def _entered_today(user):
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return (
        Petition.objects.filter(created_by=user, created_at__gte=start)
        .select_related("residential_unit", "topic")
        .order_by("-created_at", "-id")
    )


@login_required
def quick_entry(request):
    """Many petitions in a row: after each save the same page comes back blank, with what
    stays the same for a sitting (channel, date, hamlet, kind, topic) kept."""
    _require_intake(request.user)
    organisation = _organisation(request.user)
    options = {
        "user": request.user,
        "default_channel": _default_channel(request.user, organisation),
    }
    if request.method == "POST":
        form = QuickEntryForm(request.POST, **options)
        if form.is_valid() and _receive(request, form, organisation):
            request.session[QUICK_STICKY_SESSION_KEY] = form.sticky_values()
            return redirect("petitions:quick")
    else:
        sticky = request.session.get(QUICK_STICKY_SESSION_KEY) or {}
        form = QuickEntryForm(initial=QuickEntryForm.initial_from_sticky(sticky), **options)
    entered = _entered_today(request.user)
    context = {
        "form": form,
        "organisation": organisation,
        "entered": entered[:QUICK_LIST_LIMIT],
        "entered_count": entered.count(),
        "list_limit": QUICK_LIST_LIMIT,
    }
    return render(request, "petitions/quick_entry.html", context)


@login_required
def attachment_download(request, pk: int):
    attachment = permissions.attachment_for_user(request.user, pk)
    return stored_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


urlpatterns = [
    path("new/", petition_new, name="new"),
    path("quick/", quick_entry, name="quick"),
    path("<int:pk>/edit/", petition_edit, name="edit"),
    path("attachments/<int:pk>/", attachment_download, name="attachment"),
]

"""Importing the petition lists the Front and mass organisations hand over as Excel files.

Upload → preview (every row as it will be created, or every error) → confirm. The uploaded
file is kept in the default storage between preview and confirm, under a random name whose
token lives only in the uploader's session; confirming reads and checks it again, then
creates everything in one transaction.
"""

import uuid
from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from doluong_dialogue.forms import DateInput
from doluong_dialogue.models import SiteConfiguration
from petitions import permissions
from petitions.forms import organisation_channel
from petitions.importing import planning, reader
from petitions.importing.template import build_template
from petitions.models import Department, Petition
from petitions.services import InvalidTransition

SESSION_KEY = "petition_imports"
RESULTS_KEY = "petition_import_results"
UPLOAD_DIR = "imports"
# An upload nobody confirmed is deleted after this long.
STALE_AFTER = timedelta(days=1)
# Pending uploads kept per session; the oldest goes first.
MAX_PENDING = 5


def _front_departments(user) -> list[Department]:
    """The user's organisations, first by the reference order."""
    ids = permissions.submitting_department_ids(user)
    return list(Department.objects.filter(pk__in=ids)) if ids else []


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("At most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    channel = forms.ChoiceField(label=_("Received through"), choices=Petition.Channel.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Used when the list carries no date line (“…, ngày … tháng … năm …”); "
            "a date written on the list takes precedence."
        ),
    )
    submitted_by = forms.ModelChoiceField(
        label=_("Submitted by"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("The organisation whose members see these petitions and their status."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A Front user submits for their own organisation; staff say whose list it is.
        self.for_own_organisation = not permissions.is_staff_member(user)
        self.front_departments = _front_departments(user)
        if self.for_own_organisation:
            del self.fields["submitted_by"]
            self.fields["channel"].initial = organisation_channel(
                self.front_departments[0] if self.front_departments else None
            )
        else:
            organisations = Department.objects.active().filter(kind=Department.Kind.FRONT)
            self.fields["submitted_by"].queryset = organisations
            if not self.is_bound:
                self.fields["submitted_by"].initial = organisations.first()
            self.fields["channel"].initial = Petition.Channel.FRONT

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > reader.MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is %(size)s MB; at most 5 MB can be imported. Split the list.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Only Excel workbooks (.xlsx) can be imported. Save the list in Excel as .xlsx.")
            )
        return upload

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("The received date cannot be in the future."))
        return received_on

    @property
    def submitting_department(self) -> Department | None:
        if self.for_own_organisation:
            return self.front_departments[0] if self.front_departments else None
        return self.cleaned_data.get("submitted_by")


def _require_intake(user) -> None:
    if not permissions.can_take_in(user):
        raise PermissionDenied


def _purge_stale_uploads() -> None:
    """Uploads previewed and never confirmed or cancelled."""
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
        cutoff = timezone.now() - STALE_AFTER
        for name in files:
            stored = f"{UPLOAD_DIR}/{name}"
            if default_storage.get_modified_time(stored) < cutoff:
                default_storage.delete(stored)
    except (FileNotFoundError, NotImplementedError, OSError):
        pass


def _store_upload(request, data: bytes, *, name: str, form: ImportForm) -> str:
    _purge_stale_uploads()
    token = uuid.uuid4().hex
    stored = default_storage.save(f"{UPLOAD_DIR}/{token}.xlsx", ContentFile(data))
    pending = request.session.get(SESSION_KEY, {})
    while len(pending) >= MAX_PENDING:
        oldest = next(iter(pending))
        default_storage.delete(pending.pop(oldest)["path"])
    received_on = form.cleaned_data.get("received_on")
    submitted_by = form.submitting_department
    pending[token] = {
        "path": stored,
        "name": name,
        "channel": form.cleaned_data["channel"],
        "received_on": received_on.isoformat() if received_on else "",
        "submitted_by": submitted_by.pk if submitted_by else None,
    }
    request.session[SESSION_KEY] = pending
    return token


def _forget_upload(request, token: str) -> None:
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        default_storage.delete(entry["path"])


def _preview(request, *, plan, file_name: str, token: str = "", channel: str, submitted_by):
    can_assign = permissions.can_manage_petitions(request.user)
    context = {
        "plan": plan,
        "file_name": file_name,
        "token": token,
        "channel_label": Petition.Channel(channel).label,
        "submitted_by": submitted_by,
        "can_assign": can_assign,
        "assignable": sum(1 for p in plan.petitions if p.can_be_assigned),
        "deadline_days": SiteConfiguration.load().answer_working_days if can_assign else None,
    }
    return render(request, "petitions/import_preview.html", context)


@login_required
def import_upload(request):
    _require_intake(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan = planning.prepare(
                data,
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data.get("received_on"),
                submitted_by=form.submitting_department,
            )
        except reader.MissingDate as missing:
            form.add_error("received_on", str(missing))
        except reader.ImportFileError as unusable:
            form.add_error("file", str(unusable))
        else:
            token = ""
            if plan.ok:
                token = _store_upload(request, data, name=upload.name, form=form)
            return _preview(
                request,
                plan=plan,
                file_name=upload.name,
                token=token,
                channel=form.cleaned_data["channel"],
                submitted_by=form.submitting_department,
            )
    return render(
        request,
        "petitions/import_upload.html",
        {
            "form": form,
            "max_petitions": reader.MAX_PETITIONS,
            "organisation": form.front_departments[0]
            if form.for_own_organisation and form.front_departments
            else None,
        },
    )


@login_required
@require_POST
def import_confirm(request):
    _require_intake(request.user)
    token = request.POST.get("token", "")
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or not default_storage.exists(entry["path"]):
        messages.error(
            request,
            _(
                "This import is no longer waiting for confirmation (it was already imported, "
                "cancelled, expired or started by someone else). Upload the file again."
            ),
        )
        return redirect("petitions:import")
    if "cancel" in request.POST:
        _forget_upload(request, token)
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return redirect("petitions:import")

    with default_storage.open(entry["path"], "rb") as stored:
        data = stored.read()
    submitted_by = (
        Department.objects.filter(pk=entry["submitted_by"]).first()
        if entry["submitted_by"]
        else None
    )
    received_on = parse_date(entry["received_on"]) if entry["received_on"] else None
    try:
        plan = planning.prepare(
            data, channel=entry["channel"], received_on=received_on, submitted_by=submitted_by
        )
    except reader.ImportFileError as unusable:
        _forget_upload(request, token)
        messages.error(request, str(unusable))
        return redirect("petitions:import")
    if not plan.ok:
        # The reference data changed since the preview: show why, import nothing.
        _forget_upload(request, token)
        return _preview(
            request,
            plan=plan,
            file_name=entry["name"],
            channel=entry["channel"],
            submitted_by=submitted_by,
        )
    assign = permissions.can_manage_petitions(request.user) and bool(request.POST.get("assign"))
    try:
        created = planning.commit(plan, actor=request.user, assign=assign, file_name=entry["name"])
    except InvalidTransition as refusal:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": refusal})
        return redirect("petitions:import")
    _forget_upload(request, token)
    results = request.session.get(RESULTS_KEY, {})
    results = dict(list(results.items())[-(MAX_PENDING - 1) :])
    results[token] = {"ids": [p.pk for p in created], "name": entry["name"]}
    request.session[RESULTS_KEY] = results
    messages.success(
        request,
        ngettext(
            "%(count)s petition was imported from “%(name)s”.",
            "%(count)s petitions were imported from “%(name)s”.",
            len(created),
        )
        % {"count": len(created), "name": entry["name"]},
    )
    return redirect("petitions:import_result", token=token)


@login_required
def import_result(request, token: str):
    _require_intake(request.user)
    result = request.session.get(RESULTS_KEY, {}).get(token)
    if result is None:
        messages.info(request, _("That import result is no longer available."))
        return redirect("petitions:import")
    petitions = (
        Petition.objects.visible_to(request.user)
        .filter(pk__in=result["ids"])
        .select_related("topic", "lead_department", "residential_unit")
        .order_by("pk")
    )
    return render(
        request,
        "petitions/import_result.html",
        {"petitions": petitions, "file_name": result["name"]},
    )


@login_required
def import_template(request):
    _require_intake(request.user)
    content = build_template(place_name=SiteConfiguration.load().place_name)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-kien-nghi.xlsx"'
    return response


urlpatterns = [
    path("import/", import_upload, name="import"),
    path("import/confirm/", import_confirm, name="import_confirm"),
    path("import/done/<str:token>/", import_result, name="import_result"),
    path("import/template.xlsx", import_template, name="import_template"),
]

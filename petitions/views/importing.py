"""Importing the petition lists the Front and mass organisations hand over as Excel files.

Upload → preview (every row as it will be created, or every error) → confirm. An upload
whose preview has no errors is kept as an `ImportBatch` (the row and the file) that only
its uploader reaches, by its random token; confirming reads and checks the file again,
then claims the batch and creates everything in one transaction, exactly once. The result
page reads the batch's petitions from the database.
"""

import contextlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from doluong_dialogue.forms import DateInput
from doluong_dialogue.models import SiteConfiguration
from petitions import permissions
from petitions.forms import organisation_channel
from petitions.importing import batches, planning, reader
from petitions.importing.batches import BatchNotPending
from petitions.importing.template import build_template
from petitions.models import Department, ImportBatch, Petition
from petitions.services import InvalidTransition

# The codes of repeated petitions named in the preview's summary line, at most.
SHOWN_CODES = 10


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
    channel = forms.ChoiceField(
        label=_("Received through"), choices=Petition.Channel.intake_choices()
    )
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
        empty_label=_("— No organisation —"),
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


def _visible(user, pks: set[int]) -> set[int]:
    """Those of these petitions the user may open: only they are linked."""
    if not pks:
        return set()
    visible = permissions.visible_petitions(user).filter(pk__in=pks)
    return set(visible.values_list("pk", flat=True))


class ConfirmForm(forms.Form):
    """What the uploader decides on the preview: whether to assign at once, and, when the
    list repeats petitions, what to do with those rows (there is no default)."""

    assign = forms.BooleanField(required=False)
    duplicates = forms.ChoiceField(
        label=_("Rows that repeat a petition"),
        choices=ImportBatch.DuplicateAction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what to do with the rows that repeat a petition."),
            "invalid_choice": _("Choose what to do with the rows that repeat a petition."),
        },
    )

    def __init__(self, *args, can_assign: bool, has_repeats: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_assign:
            del self.fields["assign"]
        if not has_repeats:
            del self.fields["duplicates"]


def _preview(
    request,
    *,
    plan,
    batch: ImportBatch | None,
    file_name: str,
    channel,
    submitted_by,
    form: ConfirmForm | None = None,
):
    can_assign = permissions.can_manage_petitions(request.user)
    repeated = {p.repeats.pk for p in plan.rows_repeating_petitions}
    codes = plan.repeated_codes
    repeated_codes = format_html_join(
        ", ", '<span class="text-nowrap">{}</span>', ((code,) for code in codes[:SHOWN_CODES])
    )
    if len(codes) > SHOWN_CODES:
        repeated_codes = format_html("{}, …", repeated_codes)
    context = {
        "plan": plan,
        "batch": batch,
        "file_name": file_name,
        "channel_label": Petition.Channel(channel).label,
        "submitted_by": submitted_by,
        "repeated_codes": repeated_codes,
        "can_assign": can_assign,
        "form": form or ConfirmForm(can_assign=can_assign, has_repeats=plan.has_repeats),
        "visible_repeats": _visible(request.user, repeated),
        "assignable": sum(1 for p in plan.petitions if p.can_be_assigned),
        "deadline_days": SiteConfiguration.load().answer_working_days if can_assign else None,
    }
    return render(request, "petitions/import_preview.html", context)


def _batch_preview(request, batch: ImportBatch, plan, form: ConfirmForm | None = None):
    return _preview(
        request,
        plan=plan,
        batch=batch if batch.status == ImportBatch.Status.PENDING else None,
        file_name=batch.original_name,
        channel=batch.channel,
        submitted_by=batch.submitted_by,
        form=form,
    )


def _no_longer_pending(request, batch: ImportBatch):
    """A confirmation or a cancellation that came too late: say what happened to the list."""
    messages.info(request, str(BatchNotPending(batch)))
    if batch.status == ImportBatch.Status.IMPORTED:
        return redirect("petitions:import_result", token=batch.token)
    return redirect("petitions:import")


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
            batch = None
            if plan.ok:
                batch = batches.import_batch_create(
                    data=data,
                    file_name=upload.name,
                    uploaded_by=request.user,
                    channel=form.cleaned_data["channel"],
                    received_on=form.cleaned_data.get("received_on"),
                    submitted_by=form.submitting_department,
                )
            return _preview(
                request,
                plan=plan,
                batch=batch,
                file_name=upload.name,
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
def import_confirm(request, token: str):
    _require_intake(request.user)
    batch = permissions.import_batch_for_user(request.user, token)
    if batch.status != ImportBatch.Status.PENDING:
        return _no_longer_pending(request, batch)
    if "cancel" in request.POST:
        try:
            batches.import_batch_cancel(batch=batch)
        except BatchNotPending as late:
            return _no_longer_pending(request, late.batch)
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return redirect("petitions:import")

    try:
        plan = planning.prepare(
            batches.import_batch_file(batch),
            channel=batch.channel,
            received_on=batch.received_on,
            submitted_by=batch.submitted_by,
            batch=batch,
        )
    except reader.ImportFileError as unusable:
        with contextlib.suppress(BatchNotPending):
            batches.import_batch_cancel(batch=batch)
        messages.error(request, str(unusable))
        return redirect("petitions:import")
    if not plan.ok:
        # The reference data changed since the preview: show why, import nothing.
        try:
            batches.import_batch_cancel(batch=batch)
        except BatchNotPending as late:
            return _no_longer_pending(request, late.batch)
        return _batch_preview(request, batch, plan)
    can_assign = permissions.can_manage_petitions(request.user)
    form = ConfirmForm(request.POST, can_assign=can_assign, has_repeats=plan.has_repeats)
    if not form.is_valid():
        # Without a choice for the repeated rows (or with repeats the preview did not have
        # yet, imported by someone meanwhile): the preview again, saying what is missing.
        return _batch_preview(request, batch, plan, form)
    try:
        result = planning.commit(
            plan,
            batch=batch,
            actor=request.user,
            assign=form.cleaned_data.get("assign", False),
            duplicates=form.cleaned_data.get("duplicates", ""),
        )
    except BatchNotPending as late:
        return _no_longer_pending(request, late.batch)
    except InvalidTransition as refusal:
        messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": refusal})
        return redirect("petitions:import")
    _report(request, batch, result)
    return redirect("petitions:import_result", token=batch.token)


def _report(request, batch: ImportBatch, result: planning.ImportResult) -> None:
    count = len(result.petitions)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s petition was imported from “%(name)s”.",
                "%(count)s petitions were imported from “%(name)s”.",
                count,
            )
            % {"count": count, "name": batch.original_name},
        )
    else:
        messages.info(
            request,
            _("No petition was created from “%(name)s”: every row was skipped.")
            % {"name": batch.original_name},
        )
    if result.merged:
        messages.info(
            request,
            ngettext(
                "%(count)s of them was merged into the petition it repeats.",
                "%(count)s of them were merged into the petitions they repeat.",
                result.merged,
            )
            % {"count": result.merged},
        )
    if result.skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s row was not imported; see below.",
                "%(count)s rows were not imported; see below.",
                len(result.skipped),
            )
            % {"count": len(result.skipped)},
        )


@login_required
def import_result(request, token: str):
    _require_intake(request.user)
    batch = permissions.import_batch_for_user(request.user, token)
    if batch.status != ImportBatch.Status.IMPORTED:
        messages.info(request, _("Nothing has been imported from this upload."))
        return redirect("petitions:import")
    petitions = list(
        permissions.visible_petitions(request.user)
        .filter(import_batch=batch)
        .select_related("topic", "lead_department", "residential_unit", "duplicate_of")
        .order_by("pk")
    )
    primaries = {p.duplicate_of_id for p in petitions if p.duplicate_of_id}
    created_any = bool(petitions) or Petition.objects.filter(import_batch=batch).exists()
    return render(
        request,
        "petitions/import_result.html",
        {
            "batch": batch,
            "petitions": petitions,
            "file_name": batch.original_name,
            "created_any": created_any,
            "visible_primaries": _visible(request.user, primaries),
        },
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
    path("import/template.xlsx", import_template, name="import_template"),
    path("import/<slug:token>/confirm/", import_confirm, name="import_confirm"),
    path("import/<slug:token>/", import_result, name="import_result"),
]

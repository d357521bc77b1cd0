"""The plan: a whole list read, validated and mapped (`prepare`), then created (`commit`).

`prepare` writes nothing and returns an `ImportPlan`: the petitions to create, or the
errors, each with its Excel row and the column's title. `commit` creates the plan's
petitions through the services, all or nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions import services
from petitions.importing import batches
from petitions.importing.mapping import Mapper, PlannedPetition
from petitions.importing.reader import ImportFileError, MissingDate, read_sheet
from petitions.importing.validation import RowError, validate_row
from petitions.models import Department, ImportBatch, Petition


@dataclass
class ImportPlan:
    sheet_title: str
    received_on: date
    date_from_file: bool
    petitions: list[PlannedPetition]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.petitions)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.petitions if p.warnings)


def prepare(
    data: bytes,
    *,
    channel: str,
    received_on: date | None = None,
    submitted_by: Department | None = None,
) -> ImportPlan:
    """Read, validate and map a list; raise `ImportFileError` when the file as a whole is
    unusable. Nothing is written."""
    sheet = read_sheet(data)
    errors: list[RowError] = []
    if sheet.date_error:
        errors.append(
            RowError(
                sheet.date_row,
                "",
                _("the date “%(text)s” does not exist") % {"text": sheet.date_error},
            )
        )
    elif sheet.dated and sheet.dated > timezone.localdate():
        errors.append(
            RowError(
                sheet.date_row,
                "",
                _("the list is dated %(date)s, which is after today")
                % {"date": f"{sheet.dated:%d/%m/%Y}"},
            )
        )
    dated = sheet.dated or received_on
    if dated is None and not sheet.date_error:
        raise MissingDate(
            _(
                "The list carries no date line (“…, ngày … tháng … năm …”): "
                "enter the date the list was received."
            )
        )
    if not sheet.rows:
        raise ImportFileError(_("The table has a header row but no petitions below it."))
    mapper = Mapper()
    base = {
        "channel": channel,
        "received_on": dated or timezone.localdate(),
        "submitted_by_department": submitted_by,
    }
    petitions = []
    for row in sheet.rows:
        row_errors = validate_row(row, sheet.titles)
        if row_errors:
            errors.extend(row_errors)
            continue
        planned, mapping_errors = mapper.map(row, sheet.titles, base)
        errors.extend(mapping_errors)
        if planned:
            petitions.append(planned)
    return ImportPlan(
        sheet_title=sheet.title,
        received_on=base["received_on"],
        date_from_file=sheet.dated is not None,
        petitions=petitions,
        errors=errors,
    )


@transaction.atomic
def commit(plan: ImportPlan, *, batch: ImportBatch, actor: User, assign: bool) -> list[Petition]:
    """Create every petition of a plan without errors, and with `assign` give each to the
    proposed departments under the default deadline. One transaction: all or nothing.

    The batch is claimed first, in the same transaction: a second confirmation (a double
    click, a retry) waits for the first and then gets `BatchNotPending`, never a second
    copy of the list.
    """
    batch = batches.lock(batch)
    if not plan.ok:
        raise services.InvalidTransition(_("The list has errors; nothing was imported."))
    created = []
    for planned in plan.petitions:
        names = {"file": batch.original_name, "row": planned.row, "note": planned.note}
        if planned.note:
            note = _("Imported from “%(file)s”, row %(row)s. Note: %(note)s") % names
        else:
            note = _("Imported from “%(file)s”, row %(row)s.") % names
        petition = services.petition_receive(data=planned.data, actor=actor, note=note)
        if assign and planned.can_be_assigned and petition.status == Petition.Status.CLASSIFIED:
            services.petition_assign(
                petition=petition,
                actor=actor,
                department=planned.lead,
                supporting=planned.supporting,
            )
        created.append(petition)
    Petition.objects.filter(pk__in=[p.pk for p in created]).update(import_batch=batch)
    batch.status = ImportBatch.Status.IMPORTED
    batch.imported_at = timezone.now()
    batches.delete_file_on_commit(batch)
    batch.save(update_fields=["status", "imported_at", "file_path"])
    return created

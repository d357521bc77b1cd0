"""The plan: a whole list read, validated and mapped (`prepare`), then created (`commit`).

`prepare` writes nothing and returns an `ImportPlan`: the petitions to create, or the
errors, each with its Excel row and the column's title. It also finds what the list
repeats: the same file imported before (by its SHA-256), and rows whose petitioner and
content (folded) equal a petition already recorded or an earlier row of the list. `commit`
creates the plan's petitions through the services, all or nothing, doing with the repeated
rows what the uploader chose: skip them, merge each into the petition it repeats, or import
them as new petitions.
"""

import contextlib
import hashlib
from dataclasses import dataclass, field
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
    # The latest import of this very file, and how many petitions it created.
    same_file: ImportBatch | None = None
    same_file_petitions: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.petitions)

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.petitions if p.warnings)

    @property
    def has_repeats(self) -> bool:
        return any(p.is_repeat for p in self.petitions)

    @property
    def rows_repeating_petitions(self) -> list[PlannedPetition]:
        return [p for p in self.petitions if p.repeats is not None]

    @property
    def rows_repeating_rows(self) -> list[PlannedPetition]:
        return [p for p in self.petitions if p.repeats is None and p.repeats_row is not None]

    @property
    def repeated_codes(self) -> list[str]:
        """The codes of the petitions the list repeats, each once, in the list's order."""
        return list(dict.fromkeys(p.repeats.code for p in self.rows_repeating_petitions))


@dataclass
class ImportResult:
    petitions: list[Petition]  # every petition created, those merged included
    merged: int = 0
    skipped: list[dict] = field(default_factory=list)  # as ImportBatch.skipped_rows


def _existing_first(petition: Petition) -> tuple:
    """Of several petitions a row repeats, the one it is said to repeat: one that can take a
    duplicate, a primary rather than a merged duplicate, the oldest."""
    primary = petition.duplicate_of or petition
    return (
        primary.status == Petition.Status.ROUTED_OUT,
        petition.duplicate_of_id is not None,
        petition.pk,
    )


def find_repeats(plan: ImportPlan, *, data: bytes, batch: ImportBatch | None = None) -> None:
    """Mark the rows that repeat a petition already recorded or an earlier row, and find an
    earlier import of the same file. The petitions `batch` itself created are not repeats of
    it (a confirmation that lost the race reads the list again after the winner's commit)."""
    sha256 = hashlib.sha256(data).hexdigest()
    same_file = ImportBatch.objects.imported().filter(sha256=sha256).order_by("-imported_at")
    existing = Petition.objects.filter(
        intake_fingerprint__in={p.fingerprint for p in plan.petitions}
    ).select_related("duplicate_of")
    if batch is not None:
        same_file = same_file.exclude(pk=batch.pk)
        existing = existing.exclude(import_batch=batch)
    plan.same_file = same_file.first()
    if plan.same_file:
        plan.same_file_petitions = Petition.objects.filter(import_batch=plan.same_file).count()
    recorded: dict[str, Petition] = {}
    for petition in sorted(existing, key=_existing_first):
        recorded.setdefault(petition.intake_fingerprint, petition)
    first_rows: dict[str, int] = {}
    for planned in plan.petitions:
        fingerprint = planned.fingerprint
        planned.repeats = recorded.get(fingerprint)
        planned.repeats_row = first_rows.get(fingerprint)
        first_rows.setdefault(fingerprint, planned.row)


def prepare(
    data: bytes,
    *,
    channel: str,
    received_on: date | None = None,
    submitted_by: Department | None = None,
    batch: ImportBatch | None = None,
) -> ImportPlan:
    """Read, validate and map a list, and find what it repeats (`batch`: the upload being
    confirmed); raise `ImportFileError` when the file as a whole is unusable. Nothing is
    written."""
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
    plan = ImportPlan(
        sheet_title=sheet.title,
        received_on=base["received_on"],
        date_from_file=sheet.dated is not None,
        petitions=petitions,
        errors=errors,
    )
    if plan.ok:
        find_repeats(plan, data=data, batch=batch)
    return plan


@transaction.atomic
def commit(
    plan: ImportPlan,
    *,
    batch: ImportBatch,
    actor: User,
    assign: bool,
    duplicates: str = "",
) -> ImportResult:
    """Create every petition of a plan without errors, and with `assign` give each to the
    proposed departments under the default deadline. One transaction: all or nothing.

    The batch is claimed first, in the same transaction: a second confirmation (a double
    click, a retry) waits for the first and then gets `BatchNotPending`, never a second
    copy of the list.

    Rows that repeat a petition follow `duplicates` (an `ImportBatch.DuplicateAction`,
    required when there are any): skipped; imported and merged into the petition they
    repeat (its primary when it is itself a merged duplicate), and then not assigned; or
    imported as new petitions. A routed-out complaint cannot be a primary: a row repeating
    one is skipped under "merge", and the batch records why.
    """
    batch = batches.lock(batch)
    if not plan.ok:
        raise services.InvalidTransition(_("The list has errors; nothing was imported."))
    Action = ImportBatch.DuplicateAction
    if not plan.has_repeats:
        duplicates = ""
    elif duplicates not in Action.values:
        raise services.InvalidTransition(
            _("Choose what to do with the rows that repeat a petition."), field="duplicates"
        )
    result = ImportResult(petitions=[])
    # Each row's petition as the list now stands: the primary it was merged into, if it was.
    by_row: dict[int, Petition] = {}
    for planned in plan.petitions:
        primary = None
        if planned.is_repeat and duplicates == Action.SKIP:
            result.skipped.append(_skipped(planned, "skipped"))
            continue
        if planned.is_repeat and duplicates == Action.MERGE:
            primary = _primary_for(planned, by_row)
            if primary is not None and primary.status == Petition.Status.ROUTED_OUT:
                result.skipped.append(_skipped(planned, "routed_out", primary))
                continue
        names = {"file": batch.original_name, "row": planned.row, "note": planned.note}
        if planned.note:
            note = _("Imported from “%(file)s”, row %(row)s. Note: %(note)s") % names
        else:
            note = _("Imported from “%(file)s”, row %(row)s.") % names
        petition = services.petition_receive(data=planned.data, actor=actor, note=note)
        result.petitions.append(petition)
        if primary is not None and petition.is_open:
            services.petition_merge(
                duplicate=petition,
                primary=primary,
                actor=actor,
                note=_("Imported again from “%(file)s”, row %(row)s.") % names,
            )
            result.merged += 1
            by_row[planned.row] = primary
            continue
        by_row[planned.row] = petition
        if assign and planned.can_be_assigned and petition.status == Petition.Status.CLASSIFIED:
            # A lead unit with no member to answer: the petition waits, classified, to be
            # assigned by hand (only the assignment's savepoint is rolled back).
            with contextlib.suppress(services.InvalidTransition):
                services.petition_assign(
                    petition=petition,
                    actor=actor,
                    department=planned.lead,
                    supporting=planned.supporting,
                )
    Petition.objects.filter(pk__in=[p.pk for p in result.petitions]).update(import_batch=batch)
    batch.status = ImportBatch.Status.IMPORTED
    batch.imported_at = timezone.now()
    batch.duplicate_action = duplicates
    batch.skipped_rows = result.skipped
    batches.delete_file_on_commit(batch)
    batch.save(
        update_fields=["status", "imported_at", "duplicate_action", "skipped_rows", "file_path"]
    )
    return result


def _primary_for(planned: PlannedPetition, by_row: dict[int, Petition]) -> Petition | None:
    """The petition a repeated row is merged into, as it stands now."""
    if planned.repeats is not None:
        repeated = Petition.objects.select_related("duplicate_of").get(pk=planned.repeats.pk)
        return repeated.duplicate_of or repeated
    return by_row.get(planned.repeats_row)


def _skipped(planned: PlannedPetition, reason: str, primary: Petition | None = None) -> dict:
    repeated = primary or planned.repeats
    return {
        "row": planned.row,
        "code": repeated.code if repeated else "",
        "same_as_row": None if planned.repeats else planned.repeats_row,
        "reason": reason,
    }

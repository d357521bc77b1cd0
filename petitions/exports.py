"""The petition list as an Excel workbook.

A list of up to DIRECT_LIMIT rows is written while the user waits (petitions/views/listing.py).
A longer one takes seconds (openpyxl writes some 13 µs a cell), so the request only records an
export (`export_request`) with the list's filters and a side effect on the documents queue;
the worker writes the same workbook (`write_workbook`), with the rows the requester may see
when it runs, stores it and tells the requester, whose page (petitions/views/exports.py)
offers the file once it is ready. The files are removed after KEEP_FOR (`exports_expire`,
every night).
"""

import logging
import secrets
import tempfile
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from doluong_dialogue import clock, notifications, side_effects, spreadsheets
from doluong_dialogue.deadlines import DeadlineReader
from petitions import permissions
from petitions.models import Petition, PetitionExport
from petitions.search import PetitionFilterForm
from petitions.templatetags.petitions import petition_status_label

logger = logging.getLogger(__name__)

BUILD = "petitions.export"
Status = PetitionExport.Status

# More rows than this are refused: the filters must narrow the list down.
EXPORT_LIMIT = 100_000
# More rows than this are written by a worker, not while the user waits.
DIRECT_LIMIT = 5_000
# The same list asked for again within this time (a double click, the back button) is
# answered with the file already built; one waiting or being built is always reused.
REUSE_READY_FOR = timedelta(minutes=5)
# A build not finished after this long has lost its worker: a new request starts another.
STALE_AFTER = timedelta(hours=1)
# The files are removed this long after they were asked for.
KEEP_FOR = timedelta(days=7)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Labels by value: get_FOO_display() rebuilds its whole choices mapping on every call.
URGENCY_LABELS = dict(Petition.Urgency.choices)
CHANNEL_LABELS = dict(Petition.Channel.choices)

EXPORT_COLUMNS = [  # (header, width in characters)
    (gettext_lazy("Receipt code"), 17),
    (gettext_lazy("Received on"), 12),
    (gettext_lazy("Petitioner"), 26),
    (gettext_lazy("Hamlet or block"), 18),
    (gettext_lazy("Summary"), 60),
    (gettext_lazy("Topic"), 34),
    (gettext_lazy("Urgency"), 14),
    (gettext_lazy("Received through"), 18),
    (gettext_lazy("Lead department"), 24),
    (gettext_lazy("Deadline"), 12),
    (gettext_lazy("Status"), 20),
    (gettext_lazy("Working days overdue"), 12),
]


def export_query(form: PetitionFilterForm) -> str:
    """The list's filters as one query string: only the form's fields, without the empty
    ones, in a fixed order, so that the same list asked for twice is recognised."""
    pairs = sorted(
        (name, value)
        for name, values in form.data.lists()
        if name in form.fields
        for value in values
        if value != ""
    )
    return urlencode(pairs)


def filtered(user, params: QueryDict, reader: DeadlineReader):
    """The filter form read from `params`, and the petitions of the list: those the user may
    see, filtered and sorted as the list shows them."""
    form = PetitionFilterForm(params, user=user, today=reader.on)
    return form, form.filter(permissions.visible_petitions(user))


def write_workbook(target, *, user, form, petitions: QuerySet, reader: DeadlineReader) -> int:
    """Write the petitions as a workbook to `target` (a binary file); the number of rows.

    Every text is written as text, never as a formula (doluong_dialogue.spreadsheets); the
    petitioner is masked where `user` may not know them. The rows are read in chunks and the
    workbook written as it goes: the memory does not grow with the rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Petitions"))
    for index, (_title, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([spreadsheets.text_cell(sheet, title, bold=True) for title, _w in EXPORT_COLUMNS])

    # Names from the reference lists the filter form already read: no joins, no lookups.
    units = {u.pk: str(u) for u in form.units}
    topics = {t.pk: t.name for t in form.topics}
    departments = {d.pk: d.name for d in form.departments}
    hidden = _("Identity withheld")
    count = 0
    rows = petitions.defer("content", "search_text", "search_person", "legal_channel_note")
    for petition in rows.iterator(chunk_size=2000):
        state = reader.state(petition.deadline, petition.waits_for_unit)
        sheet.append(
            spreadsheets.row(
                sheet,
                [
                    petition.code,
                    petition.received_on,
                    petition.petitioner_name
                    if permissions.can_see_identity(user, petition)
                    else hidden,
                    units.get(petition.residential_unit_id, ""),
                    petition.summary,
                    topics.get(petition.topic_id, ""),
                    URGENCY_LABELS.get(petition.urgency, ""),
                    CHANNEL_LABELS.get(petition.channel, ""),
                    departments.get(petition.lead_department_id, ""),
                    petition.deadline,
                    petition_status_label(petition),
                    state.overdue_days or None,
                ],
            )
        )
        count += 1
    workbook.save(target)
    return count


def file_name(export: PetitionExport) -> str:
    """The name the browser saves the file under."""
    return f"kien-nghi-{clock.localtime(export.created_at):%Y%m%d}.xlsx"


# --------------------------------------------------------------------------- the request


@transaction.atomic
def export_request(*, user, query: str) -> PetitionExport:
    """Ask for the list filtered by `query` to be built by a worker; the export to follow.

    The same user asking for the same list again gets the export already asked for: while it
    waits or is being built, or within REUSE_READY_FOR of its file being ready. The user's
    row is locked so that two requests at once (a double click) make one export.
    """
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    now = clock.now()
    existing = (
        PetitionExport.objects.filter(requested_by=user, query=query)
        .filter(
            Q(status__in=[Status.PENDING, Status.RUNNING], created_at__gte=now - STALE_AFTER)
            | Q(status=Status.READY, finished_at__gte=now - REUSE_READY_FOR)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if existing is not None:
        return existing
    export = PetitionExport.objects.create(requested_by=user, query=query, created_at=now)
    side_effects.schedule(BUILD, key=f"{BUILD}:{export.pk}", export_id=export.pk)
    return export


# --------------------------------------------------------------------------- the build


def build_stored(*, export_id: int) -> None:
    """The side effect: write the workbook, store it, mark the export ready and tell the
    requester. Safe to run twice: a ready or removed export is left as it is."""
    export = PetitionExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or export.status in {Status.READY, Status.EXPIRED}:
        return
    mine = PetitionExport.objects.filter(pk=export_id, status=Status.RUNNING)
    claimed = PetitionExport.objects.filter(
        pk=export_id, status__in=[Status.PENDING, Status.RUNNING, Status.FAILED]
    ).update(status=Status.RUNNING, error="")
    if not claimed:
        return
    user = export.requested_by
    stored = ""
    try:
        with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as spool:
            reader = DeadlineReader()
            form, petitions = filtered(user, QueryDict(export.query), reader)
            rows = write_workbook(spool, user=user, form=form, petitions=petitions, reader=reader)
            size = spool.tell()
            spool.seek(0)
            name = f"exports/kien-nghi-{export.pk}-{secrets.token_hex(8)}.xlsx"
            stored = default_storage.save(name, File(spool, name=name))
        done = mine.update(
            status=Status.READY, file=stored, rows=rows, size=size, finished_at=clock.now()
        )
    except Exception as exc:
        if stored:
            default_storage.delete(stored)
        mine.update(
            status=Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=None
        )
        raise  # the side effect is tried again later
    if not done:  # removed meanwhile
        default_storage.delete(stored)
        return
    with translation.override(settings.LANGUAGE_CODE):
        notifications.notify(
            [user],
            key=f"petition-export:{export.pk}",
            title=_("The Excel file of the petition list is ready"),
            note=ngettext("%(count)s row", "%(count)s rows", rows) % {"count": intcomma(rows)},
            url=reverse("petitions:export_job", args=[export.pk]),
        )


# --------------------------------------------------------------------------- old files


def exports_expire(*, now: datetime | None = None) -> int:
    """Remove the files of the exports asked for more than KEEP_FOR ago (every night); the
    export stays, marked removed, so that its page says so. How many were removed."""
    before = (now or clock.now()) - KEEP_FOR
    old = PetitionExport.objects.filter(created_at__lt=before).exclude(status=Status.EXPIRED)
    removed = 0
    for export in old.only("pk", "file"):
        if export.file:
            try:
                default_storage.delete(export.file.name)
            except OSError:
                logger.warning("Could not delete the export %s", export.file.name, exc_info=True)
                continue
        removed += PetitionExport.objects.filter(pk=export.pk).update(
            status=Status.EXPIRED, file="", size=None
        )
    return removed

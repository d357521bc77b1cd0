"""The petition list (filters, search, paging, bulk assignment), its Excel export, and the
department inbox."""

from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from doluong_dialogue.forms import DateInput
from doluong_dialogue.paging import DEFAULT_CAP, capped_count, paginate
from petitions import permissions, services
from petitions.deadlines import DeadlineState, due_soon_until
from petitions.models import Assignment, Department, ExtensionRequest, Petition
from petitions.search import PetitionFilterForm

PER_PAGE = 25
INBOX_PER_PAGE = 50
EXPORT_LIMIT = 50_000
# The inbox's second tab: what the department answered in this many days.
RECENTLY_ANSWERED_DAYS = 30

# Labels by value: get_FOO_display() rebuilds its whole choices mapping on every call.
STATUS_LABELS = dict(Petition.Status.choices)
URGENCY_LABELS = dict(Petition.Urgency.choices)
CHANNEL_LABELS = dict(Petition.Channel.choices)
OUTCOME_LABELS = dict(Petition.Outcome.choices)

STATUS_BADGES = {
    Petition.Status.RECEIVED: "text-bg-light border",
    Petition.Status.CLASSIFIED: "text-bg-info",
    Petition.Status.ASSIGNED: "text-bg-primary",
    Petition.Status.RETURNED: "text-bg-warning",
    Petition.Status.ANSWERED: "text-bg-success",
    Petition.Status.CLOSED: "text-bg-secondary",
    Petition.Status.ROUTED_OUT: "text-bg-dark",
}


@dataclass
class PetitionRow:
    petition: Petition
    show_identity: bool
    deadline: DeadlineState
    unit: str  # "Xóm Yên Thịnh", from the units the filter bar already read

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.petition.status, self.petition.status)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.petition.status, "text-bg-secondary")


def _rows(user, petitions, today: date, unit_names: dict[int, str]) -> list[PetitionRow]:
    soon = due_soon_until(today)
    return [
        PetitionRow(
            petition=petition,
            show_identity=permissions.can_see_identity(user, petition),
            deadline=DeadlineState.of(
                petition.deadline,
                petition.status in (Petition.Status.ASSIGNED, Petition.Status.ANSWERED),
                today,
                soon,
            ),
            unit=unit_names.get(petition.residential_unit_id, ""),
        )
        for petition in petitions
    ]


def _fetch_petitions(ids):
    return (
        Petition.objects.filter(pk__in=ids)
        .select_related("topic", "lead_department")
        .defer("content", "search_text", "search_person", "outcome_note", "legal_channel_note")
    )


def _without_page(params: QueryDict) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def petition_list(request):
    today = timezone.localdate()
    form = PetitionFilterForm(request.GET, user=request.user, today=today)
    visible = Petition.objects.visible_to(request.user)
    petitions = form.filter(visible)
    page = paginate(
        petitions,
        request.GET.get("page"),
        per_page=PER_PAGE,
        rows=_fetch_petitions,
        count=form.count,
    )
    if page.out_of_range:
        messages.info(
            request,
            _("Page %(number)s does not exist; showing page %(shown)s.")
            % {"number": page.requested, "shown": page.number}
            if page.rows
            else _("Page %(number)s does not exist.") % {"number": page.requested},
        )
    manage = permissions.can_manage_petitions(request.user)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(request.user, page.rows, today, {u.pk: str(u) for u in form.units}),
        # Only an empty page asks whether there is anything at all behind the filters.
        "nothing_visible": not page.rows and not visible.exists(),
        "query": request.GET.urlencode(),
        "export_query": _without_page(request.GET),
        "can_manage": manage,
        "bulk_departments": [d for d in form.departments if d.is_active] if manage else [],
        "today": today,
    }
    return render(request, "petitions/list.html", context)


class IdListField(forms.Field):
    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("The selection is not valid.")) from None


class BulkAssignForm(forms.Form):
    ids = IdListField(
        error_messages={"required": gettext_lazy("Select at least one petition to assign.")}
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.active(),
        error_messages={"required": gettext_lazy("Choose the lead department.")},
    )
    deadline = forms.DateField(required=False, widget=DateInput)

    MAX_SELECTED = 200

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > self.MAX_SELECTED:
            raise forms.ValidationError(
                _("Select at most %(limit)s petitions at a time.") % {"limit": self.MAX_SELECTED}
            )
        return ids

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline and deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be before today."))
        return deadline


@login_required
@require_POST
def bulk_assign(request):
    if not permissions.can_manage_petitions(request.user):
        raise PermissionDenied
    back = reverse("petitions:list")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if query:
        back = f"{back}?{query}"
    form = BulkAssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    department = form.cleaned_data["department"]
    petitions = list(
        Petition.objects.visible_to(request.user)
        .filter(pk__in=form.cleaned_data["ids"])
        .order_by("code")
    )
    assigned, skipped = services.petitions_assign_bulk(
        petitions=petitions,
        actor=request.user,
        department=department,
        deadline=form.cleaned_data["deadline"],
    )
    if assigned:
        messages.success(
            request,
            ngettext(
                "%(count)s petition assigned to %(department)s.",
                "%(count)s petitions assigned to %(department)s.",
                len(assigned),
            )
            % {"count": len(assigned), "department": department.name},
        )
    for petition, reason in skipped:
        messages.warning(
            request,
            _("%(code)s was not assigned: %(reason)s") % {"code": petition.code, "reason": reason},
        )
    return redirect(back)


# --- Excel export ---------------------------------------------------------------------

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
    (gettext_lazy("Days overdue"), 10),
    (gettext_lazy("Outcome"), 22),
]


def _date_cell(sheet, value: date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "dd/mm/yyyy"
    return cell


@login_required
def petition_export(request):
    today = timezone.localdate()
    form = PetitionFilterForm(request.GET, user=request.user, today=today)
    petitions = form.filter(Petition.objects.visible_to(request.user))
    if capped_count(petitions, EXPORT_LIMIT) is None:
        messages.error(
            request,
            _(
                "More than %(limit)s petitions match these filters: narrow them down and "
                "export again."
            )
            % {"limit": intcomma(EXPORT_LIMIT)},
        )
        return redirect(f"{reverse('petitions:list')}?{_without_page(request.GET)}")

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Petitions"))
    for index, (_title, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = [str(title) for title, _width in EXPORT_COLUMNS]
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    # Names from the reference lists the filter form already read: no joins, no lookups.
    units = {u.pk: str(u) for u in form.units}
    topics = {t.pk: t.name for t in form.topics}
    departments = {d.pk: d.name for d in form.departments}
    hidden = _("Identity withheld")
    soon = due_soon_until(today)
    rows = petitions.defer("content", "search_text", "search_person", "outcome_note")
    for petition in rows.iterator(chunk_size=2000):
        state = DeadlineState.of(
            petition.deadline,
            petition.status in (Petition.Status.ASSIGNED, Petition.Status.ANSWERED),
            today,
            soon,
        )
        sheet.append(
            [
                petition.code,
                _date_cell(sheet, petition.received_on),
                petition.petitioner_name
                if permissions.can_see_identity(request.user, petition)
                else hidden,
                units.get(petition.residential_unit_id, ""),
                petition.summary,
                topics.get(petition.topic_id, ""),
                str(URGENCY_LABELS.get(petition.urgency, "")),
                str(CHANNEL_LABELS.get(petition.channel, "")),
                departments.get(petition.lead_department_id, ""),
                _date_cell(sheet, petition.deadline),
                str(STATUS_LABELS.get(petition.status, "")),
                state.overdue_days or None,
                str(OUTCOME_LABELS.get(petition.outcome, "")),
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="kien-nghi-{today:%Y%m%d}.xlsx"'
    return response


# --- Department inbox -----------------------------------------------------------------


@dataclass
class InboxRow:
    assignment: Assignment
    lead: bool
    show_identity: bool
    deadline: DeadlineState


@login_required
def inbox(request):
    """What the user's department(s) must answer, nearest deadline first."""
    departments = permissions.department_ids(request.user)
    if not departments:
        return render(request, "petitions/inbox.html", {"no_department": True})
    today = timezone.localdate()
    since = timezone.now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    tab = "answered" if request.GET.get("tab") == "answered" else "open"

    mine = Assignment.objects.for_departments(departments)
    counts = mine.aggregate(
        open=Count("pk", filter=Q(status=Assignment.Status.OPEN)),
        answered=Count("pk", filter=Q(answered_at__gte=since)),
    )
    if tab == "open":
        assignments = mine.filter(status=Assignment.Status.OPEN).order_by("deadline", "id")
    else:
        assignments = mine.filter(answered_at__gte=since).order_by("-answered_at", "-id")

    def fetch(ids):
        pending = ExtensionRequest.objects.filter(
            assignment=OuterRef("pk"), status=ExtensionRequest.Status.PENDING
        )
        return (
            Assignment.objects.filter(pk__in=ids)
            .select_related("petition", "petition__residential_unit", "petition__topic")
            .select_related("department")
            .annotate(extension_pending=Exists(pending))
        )

    count = counts[tab]  # exact: the tab counts are the list's count too
    page = paginate(
        assignments,
        request.GET.get("page"),
        per_page=INBOX_PER_PAGE,
        rows=fetch,
        count=count if count <= DEFAULT_CAP else None,
    )
    soon = due_soon_until(today)
    rows = [
        InboxRow(
            assignment=assignment,
            lead=assignment.department_id in departments,
            show_identity=permissions.can_see_identity(request.user, assignment.petition),
            deadline=DeadlineState.of(
                assignment.deadline, assignment.status == Assignment.Status.OPEN, today, soon
            ),
        )
        for assignment in page.rows
    ]
    context = {
        "tab": tab,
        "page": page,
        "rows": rows,
        "counts": counts,
        "department_names": list(
            Department.objects.filter(pk__in=departments).values_list("name", flat=True)
        ),
        "recent_days": RECENTLY_ANSWERED_DAYS,
        "today": today,
    }
    return render(request, "petitions/inbox.html", context)


urlpatterns = [
    path("", petition_list, name="list"),
    path("inbox/", inbox, name="inbox"),
    path("export/", petition_export, name="export"),
    path("bulk-assign/", bulk_assign, name="bulk_assign"),
]

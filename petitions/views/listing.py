"""The petition list (filters, search, paging, bulk assignment), its Excel export, and the
department inbox."""

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property, partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from doluong_dialogue import clock
from doluong_dialogue.deadlines import DeadlineReader, DeadlineState
from doluong_dialogue.forms import DateField
from doluong_dialogue.paging import capped_count, capped_sums, paginate
from doluong_dialogue.templatetags.dialogue import deadline_badge
from petitions import exports, permissions, services
from petitions.figures import RECENTLY_ANSWERED_DAYS, inbox_figures
from petitions.models import Assignment, Department, ExtensionRequest, Petition
from petitions.search import PetitionFilterForm
from petitions.templatetags.petitions import status_badge

PER_PAGE = 25
INBOX_PER_PAGE = 50


@dataclass(frozen=True)
class RowWords:
    """The words rows repeat, translated once per page."""

    withheld: str
    pressing: str
    unclassified: str

    @classmethod
    def translated(cls) -> "RowWords":
        return cls(_("Identity withheld"), _("Pressing"), _("Not classified yet"))


@dataclass
class PetitionRow:
    """A row of the list, written out here: the list renders 25 of them on every page, and
    as template code their forty lookups a row cost 1.5 ms of CPU more a page (4.4 against
    2.9 ms for the 25 rows, at a million petitions). The cells, left to right: the receipt
    code and the day received; the petitioner and the hamlet; the summary, the urgency and
    the topic (with the petitioner again on small screens); the lead unit, the deadline and
    its badge; the status."""

    petition: Petition
    show_identity: bool
    deadline: DeadlineState
    unit: str  # "Xóm Yên Thịnh", from the units the filter bar already read
    selectable: bool  # a box for the bulk assignment
    words: RowWords

    @cached_property
    def url(self) -> str:
        return reverse("petitions:detail", args=[self.petition.pk])

    @cached_property
    def received(self) -> str:
        return f"{self.petition.received_on:%d/%m/%Y}"

    @cached_property
    def deadline_text(self) -> str:
        return f"{self.petition.deadline:%d/%m/%Y}" if self.petition.deadline else ""

    @cached_property
    def select_label(self) -> str:
        return _("Select %(code)s") % {"code": self.petition.code}

    @property
    def html(self) -> SafeString:
        petition, words = self.petition, self.words
        unit = format_html('<div class="small text-body-secondary">{}</div>', self.unit)
        if self.show_identity:
            identity = petitioner = conditional_escape(petition.petitioner_name)
        else:
            identity = format_html(
                '<span class="fst-italic text-body-secondary" '
                'data-testid="identity-withheld">{}</span>',
                words.withheld,
            )
            petitioner = conditional_escape(words.withheld)
        lead = petition.lead_department
        return format_html(
            '<tr data-code="{code}">{select}'
            '<td class="text-nowrap"><a class="fw-semibold" href="{url}">{code}</a>'
            '<div class="small text-body-secondary">{received}</div></td>'
            '<td class="d-none d-md-table-cell">{identity}{unit}</td>'
            '<td class="summary-cell"><a class="link-body-emphasis text-decoration-none" '
            'href="{url}" title="{summary}">{short_summary}</a>{pressing}'
            '<div class="small text-body-secondary">{topic}</div>'
            '<div class="small text-body-secondary d-md-none">{petitioner}{mobile_unit}</div>'
            "</td><td>{lead}{deadline}{badge}</td><td>{status}</td></tr>",
            code=petition.code,
            select=format_html(
                '<td><input class="form-check-input bulk-check" type="checkbox" name="ids" '
                'value="{}" form="bulk-form" aria-label="{}"></td>',
                petition.pk,
                self.select_label,
            )
            if self.selectable
            else "",
            url=self.url,
            received=self.received,
            identity=identity,
            unit=unit if self.unit else "",
            summary=petition.summary,
            short_summary=Truncator(petition.summary).chars(110),
            pressing=format_html(' <span class="badge text-bg-danger">{}</span>', words.pressing)
            if petition.is_pressing
            else "",
            topic=(petition.topic.name if petition.topic_id else "") or words.unclassified,
            petitioner=petitioner,
            mobile_unit=f" · {self.unit}" if self.unit else "",
            lead=format_html('<span title="{}">{}</span>', lead.name, lead.short_name or lead.name)
            if lead
            else mark_safe('<span class="text-body-secondary">—</span>'),
            deadline=format_html('<div class="small text-nowrap">{}</div>', self.deadline_text)
            if petition.deadline
            else "",
            badge=deadline_badge(self.deadline),
            status=status_badge(petition),
        )


def _rows(
    user, petitions, reader: DeadlineReader, unit_names: dict[int, str], *, selectable: bool
) -> list[PetitionRow]:
    words = RowWords.translated()
    return [
        PetitionRow(
            petition=petition,
            show_identity=permissions.can_see_identity(user, petition),
            deadline=reader.state(petition.deadline, petition.waits_for_unit),
            unit=unit_names.get(petition.residential_unit_id, ""),
            selectable=selectable,
            words=words,
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
    return render(request, "petitions/list.html", list_context(request))


def list_context(request) -> dict:
    """What the list page shows (its queries), apart from how it is rendered."""
    reader = DeadlineReader()
    form = PetitionFilterForm(request.GET, user=request.user, today=reader.on)
    visible = permissions.visible_petitions(request.user)
    petitions = form.filter(visible)
    counter = None
    if not form.active_filters:
        # A Front user's petitions are counted in parts that indexes serve.
        parts = permissions.visible_petition_parts(request.user)
        if len(parts) > 1:
            counter = partial(_count_parts, parts)
    page = paginate(
        petitions if form.page_source is None else form.page_source,
        request.GET.get("page"),
        per_page=PER_PAGE,
        rows=_fetch_petitions,
        count=form.count,
        cap=form.count_cap,
        counter=counter,
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
    return {
        "form": form,
        "page": page,
        "rows": _rows(
            request.user,
            page.rows,
            reader,
            {u.pk: str(u) for u in form.units},
            selectable=manage,
        ),
        # Only an empty page asks whether there is anything at all behind the filters.
        "nothing_visible": not page.rows and not visible.exists(),
        "query": request.GET.urlencode(),
        "export_query": _without_page(request.GET),
        "can_manage": manage,
        "bulk_departments": [d for d in form.departments if d.is_active] if manage else [],
        "today": reader.on,
    }


def _count_parts(parts, cap: int) -> int | None:
    return capped_sums({"all": parts}, cap)["all"]


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
    deadline = DateField(required=False)

    MAX_SELECTED = 200

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > self.MAX_SELECTED:
            raise forms.ValidationError(
                _("Select at most %(limit)s petitions at a time.") % {"limit": self.MAX_SELECTED}
            )
        return ids


@login_required
@require_POST
def bulk_assign(request):
    """Assign the selected petitions; those the service refuses are named with the reason."""
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
    chosen = permissions.petitions_for_user(request.user, form.cleaned_data["ids"], manage=True)
    petitions = list(chosen.order_by("code"))
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


@login_required
def petition_export(request):
    """The filtered list as an Excel workbook (petitions/exports.py): written now when it is
    short, by a worker when it is long (the user is taken to the page that offers it)."""
    reader = DeadlineReader()
    form, petitions = exports.filtered(request.user, request.GET, reader)
    count = capped_count(petitions, exports.EXPORT_LIMIT)
    if count is None:
        messages.error(
            request,
            _(
                "More than %(limit)s petitions match these filters: narrow them down and "
                "export again."
            )
            % {"limit": intcomma(exports.EXPORT_LIMIT)},
        )
        return redirect(f"{reverse('petitions:list')}?{_without_page(request.GET)}")
    if count > exports.DIRECT_LIMIT:
        export = exports.export_request(user=request.user, query=exports.export_query(form))
        return redirect("petitions:export_job", export.pk)

    # Written to a temporary file and sent from it in chunks: the memory a worker needs
    # does not grow with the rows (the file is gone once closed).
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exports.write_workbook(spool, user=request.user, form=form, petitions=petitions, reader=reader)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"kien-nghi-{reader.on:%Y%m%d}.xlsx",
        content_type=exports.CONTENT_TYPE,
    )


# --- Department inbox -----------------------------------------------------------------


@dataclass
class InboxRow:
    assignment: Assignment
    lead: bool
    show_identity: bool
    deadline: DeadlineState

    @cached_property
    def url(self) -> str:  # the assignment's page, twice in each of 50 rows
        return reverse("petitions:assignment", args=[self.assignment.pk])

    @cached_property
    def received(self) -> str:
        return f"{self.assignment.petition.received_on:%d/%m/%Y}"

    @cached_property
    def deadline_text(self) -> str:
        return f"{self.assignment.deadline:%d/%m/%Y}"

    @cached_property
    def done_text(self) -> str:
        done = self.assignment.done_at
        return f"{clock.localtime(done):%d/%m/%Y}" if done else ""

    @cached_property
    def lead_title(self) -> str:
        return _("Lead: %(name)s") % {"name": self.assignment.department.name}


INBOX_FILTERS = {"overdue": "overdue", "due_soon": "due_soon"}


@login_required
def inbox(request):
    """What the user's units must answer (leading or supporting), nearest deadline first.

    `?due=overdue` and `?due=due_soon` are the lists behind the home page's figures: both
    count and list with the same QuerySet methods.
    """
    units = permissions.department_ids(request.user)
    if not units:
        return render(request, "petitions/inbox.html", {"no_department": True})
    reader = DeadlineReader()
    since = clock.now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    tab = "answered" if request.GET.get("tab") == "answered" else "open"
    due = INBOX_FILTERS.get(request.GET.get("due", "")) if tab == "open" else None

    mine = Assignment.objects.for_units(units)
    counts = inbox_figures(units, on=reader.on, soon=reader.soon)
    if tab == "open":
        assignments = mine.running()
        if due == "overdue":
            assignments = assignments.overdue(on=reader.on)
        elif due == "due_soon":
            assignments = assignments.due_soon(on=reader.on, until=reader.soon)
        assignments = assignments.order_by("deadline", "id")
        count = counts[due or "open"]
    else:
        assignments = mine.filter(done_at__gte=since).order_by("-done_at", "-id")
        count = counts["answered"]

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

    page = paginate(
        assignments,
        request.GET.get("page"),
        per_page=INBOX_PER_PAGE,
        rows=fetch,
        count=count,  # the figures are the lists (None: more than the cap)
    )
    rows = [
        InboxRow(
            assignment=assignment,
            lead=assignment.department_id in units,
            show_identity=permissions.can_see_identity(request.user, assignment.petition),
            deadline=reader.of(assignment),
        )
        for assignment in page.rows
    ]
    context = {
        "tab": tab,
        "due": due,
        "page": page,
        "rows": rows,
        "counts": counts,
        "unit_names": list(Department.objects.filter(pk__in=units).values_list("name", flat=True)),
        "several_units": len(units) > 1,
        "recent_days": RECENTLY_ANSWERED_DAYS,
        "today": reader.on,
    }
    return render(request, "petitions/inbox.html", context)


urlpatterns = [
    path("", petition_list, name="list"),
    path("inbox/", inbox, name="inbox"),
    path("export/", petition_export, name="export"),
    path("bulk-assign/", bulk_assign, name="bulk_assign"),
]

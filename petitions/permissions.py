"""Who may see and do what: the one place that decides it.

Views, templates and services ask here; nothing else inspects groups or reaches an object by
its id. A user may hold several roles (Django groups named after `Role`).

**Membership in a unit is what makes a user answer for it**, whatever roles the user holds:
the Party Office, Ban Xây dựng Đảng, the Front and the mass organisations are assigned work
too, and their members answer it from their own inbox.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from petitions.models import (
    Answer,
    Assignment,
    Attachment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionUnit,
)


class Role(models.TextChoices):
    PARTY_BUILDING = "party_building", _("Party Building Committee")
    PARTY_OFFICE = "party_office", _("Party Office")
    SECRETARY = "secretary", _("Party Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy Party Secretary")
    INSPECTION = "inspection", _("Inspection Committee")
    DEPARTMENT = "department", _("Department staff")
    FRONT = "front", _("Fatherland Front and mass organisations")


# Party Building plans and handles petitions; the Party Office runs the paperwork.
STAFF_ROLES = frozenset({Role.PARTY_BUILDING, Role.PARTY_OFFICE})
# These read everything in the system; only staff change it.
READ_ALL_ROLES = STAFF_ROLES | {Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.INSPECTION}
# Party Building takes in, classifies, assigns and closes; the Party Office and the Front
# take petitions in.
MANAGE_ROLES = frozenset({Role.PARTY_BUILDING})
INTAKE_ROLES = frozenset({Role.PARTY_BUILDING, Role.PARTY_OFFICE, Role.FRONT})


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_dialogue_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names |= READ_ALL_ROLES
        cached = user._dialogue_roles = frozenset(names)
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def is_staff_member(user: User | AnonymousUser) -> bool:
    return has_role(user, *STAFF_ROLES)


def can_read_everything(user: User | AnonymousUser) -> bool:
    return has_role(user, *READ_ALL_ROLES)


def can_manage_petitions(user) -> bool:
    return has_role(user, *MANAGE_ROLES)


def can_take_in(user) -> bool:
    return has_role(user, *INTAKE_ROLES)


def department_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The units the user is an active member of: the user answers what they are assigned."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_dialogue_department_ids", None)
    if cached is None:
        cached = frozenset(user.departments.filter(is_active=True).values_list("pk", flat=True))
        user._dialogue_department_ids = cached
    return cached


def submitting_department_ids(user) -> frozenset[int]:
    """The organisations a Front user submits petitions for: the units they belong to."""
    return department_ids(user) if has_role(user, Role.FRONT) else frozenset()


def user_units(user) -> list[Department]:
    """The units the user answers for, in the reference order."""
    ids = department_ids(user)
    return list(Department.objects.filter(pk__in=ids)) if ids else []


# --- Petitions ------------------------------------------------------------------------


def visible_petitions(user) -> QuerySet:
    """The petitions a user may see: every one for those who read everything; those assigned
    to the user's units (leading or supporting); for the Front, those they entered and those
    their organisations submitted.

    Each unit's petitions, assigned or submitted, are one indexed lookup in the petition-unit
    table (an OR over the petition table's own columns is one no index serves: every count
    of a Front user's petitions read the whole table)."""
    petitions = Petition.objects.all()
    if can_read_everything(user):
        return petitions
    units = department_ids(user)
    if not has_role(user, Role.FRONT):
        if not units:
            return petitions.none()
        # An organisation's submitted rows are for its Front members only.
        rows = PetitionUnit.objects.filter(department__in=units).assigned()
        return petitions.filter(pk__in=rows.values("petition_id"))
    entered = Q(created_by=user.pk)
    if not units:
        return petitions.filter(entered)
    rows = PetitionUnit.objects.filter(department__in=units)
    if not entered_elsewhere(user):
        # What they entered their organisations submitted: the rows say it all, and the
        # database joins them (a page of the list probes the index for each petition).
        return petitions.filter(pk__in=rows.values("petition_id"))
    # EXISTS rather than IN: beside the OR, PostgreSQL may then probe the unit's index for
    # each petition a query reaches (an agenda's), instead of reading all the unit's
    # petitions first (200 ms for the sessions of 180 agenda items).
    return petitions.filter(entered | Exists(rows.filter(petition=OuterRef("pk"))))


def entered_elsewhere(user) -> bool:
    """Whether a Front user entered a petition none of their organisations submitted (as a
    member who has left, or before joining): only then must their visibility say "or
    entered by them", an OR that makes the database read all their organisations'
    petitions before it can show a page. Read once per request, from an index alone."""
    cached = getattr(user, "_dialogue_entered_elsewhere", None)
    if cached is None:
        entered = Petition.objects.filter(created_by=user.pk)
        cached = entered.exclude(submitted_by_department__in=department_ids(user)).exists()
        user._dialogue_entered_elsewhere = cached
    return cached


def visible_petition_parts(user) -> list[QuerySet]:
    """`visible_petitions` in parts that share no petition, each one an index serves, for
    counting: a figure is the sum of its parts (`paging.capped_sums`). A Front user who
    entered petitions for no organisation of theirs sees them by an OR that makes a count
    read the whole petition table; in two parts it does not: what their units may see
    (their petition-unit rows merged with the petitions' indexes), and what they entered
    that none of their units may see (by who entered it)."""
    if not has_role(user, Role.FRONT) or can_read_everything(user):
        return [visible_petitions(user)]
    units = department_ids(user)
    if not units or not entered_elsewhere(user):
        return [visible_petitions(user)]
    rows = PetitionUnit.objects.filter(department__in=units)
    reached = Exists(rows.filter(petition=OuterRef("pk")))
    return [
        Petition.objects.filter(pk__in=rows.values("petition_id")),
        Petition.objects.filter(created_by=user.pk).filter(~reached),
    ]


def visible_keys(user) -> list[str] | None:
    """`visible_petitions` as search keys (petitions.models.SearchKeys): a petition is
    visible when it has one of them. [] when every petition is; None when the rule has no
    keys (a Front user who entered petitions none of their organisations submitted, or a
    user of no unit), where the search reads the petitions."""
    if can_read_everything(user):
        return []
    units = sorted(department_ids(user))
    if not units:
        return None
    if not has_role(user, Role.FRONT):
        roles = PetitionUnit.ASSIGNED_ROLES
    elif entered_elsewhere(user):
        return None
    else:
        roles = PetitionUnit.Role.values
    return [f"unit:{role}:{unit}" for unit in units for role in roles]


def petition_for_user(user, pk: int, *, manage: bool = False, queryset: QuerySet | None = None):
    """The petition if the user may see it (404 otherwise, as if missing); 403 when `manage`
    is asked and the user may only read it. `queryset` adds what the page reads with it."""
    visible = visible_petitions(user)
    if queryset is not None:
        visible = queryset & visible
    petition = get_object_or_404(visible, pk=pk)
    if manage and not can_manage_petitions(user):
        raise PermissionDenied
    return petition


def petitions_for_user(user, ids, *, manage: bool = False) -> QuerySet:
    """Several petitions chosen by id (a bulk action): those the user may see among them."""
    if manage and not can_manage_petitions(user):
        raise PermissionDenied
    return visible_petitions(user).filter(pk__in=ids)


# A hidden petitioner's identity is known to Ban Xây dựng Đảng and the Secretary (issue 12,
# item 5); besides them only to whoever entered the petition and the organisation that
# submitted it, who know the person already.
IDENTITY_ROLES = frozenset({Role.PARTY_BUILDING, Role.SECRETARY})


def sees_every_identity(user) -> bool:
    return has_role(user, *IDENTITY_ROLES)


def can_see_identity(user, petition) -> bool:
    """A hidden petitioner is shown only to Ban Xây dựng Đảng, the Secretary, whoever entered
    the petition and the organisation that submitted it; everybody else (the Party Office,
    the Inspection Committee and the deputy secretaries among them) reads it masked."""
    if not petition.hide_identity or sees_every_identity(user):
        return True
    if petition.created_by_id == user.pk:
        return True
    return bool(
        petition.submitted_by_department_id
        and petition.submitted_by_department_id in submitting_department_ids(user)
    )


def identity_visible_filter(user) -> Q | None:
    """`can_see_identity` as a queryset filter; None when every identity is visible.

    The two must say the same: test_search checks that a hidden petitioner is not found
    by name for a department user or the Party Office, but is for Ban Xây dựng Đảng.
    """
    if sees_every_identity(user):
        return None
    condition = Q(hide_identity=False) | Q(created_by=user.pk)
    organisations = submitting_department_ids(user)
    if organisations:
        condition |= Q(submitted_by_department__in=organisations)
    return condition


def identity_keys(user) -> list[str] | None:
    """`identity_visible_filter` as search keys: None when every identity is visible;
    otherwise a hidden petitioner is visible on a petition with one of these keys."""
    if sees_every_identity(user):
        return None
    organisations = sorted(submitting_department_ids(user))
    return [f"creator:{user.pk}", *(f"submitted:{unit}" for unit in organisations)]


def can_edit_petition(user, petition) -> bool:
    """Party Building corrects any open petition; whoever entered it, until it is classified."""
    if not petition.is_open:
        return False
    if can_manage_petitions(user):
        return True
    return petition.created_by_id == user.pk and petition.status == petition.Status.RECEIVED


@dataclass(frozen=True)
class PetitionActions:
    """What the user may do to a petition now; pages offer exactly these."""

    classify: bool = False
    merge: bool = False
    assign: bool = False
    close: bool = False
    edit: bool = False
    route_out: bool = False
    reopen: bool = False
    review: bool = False  # answers and extension requests

    @property
    def any(self) -> bool:
        return any(self.__dict__.values())


def allowed_actions(user, petition) -> PetitionActions:
    manage = can_manage_petitions(user)
    return PetitionActions(
        classify=manage and petition.can_be_classified,
        merge=manage and petition.can_be_classified,
        assign=manage and petition.can_be_assigned,
        close=manage and petition.can_be_closed,
        edit=can_edit_petition(user, petition),
        route_out=manage and petition.is_open,
        reopen=manage and petition.status == Petition.Status.CLOSED,
        review=manage,
    )


def merge_candidates(user) -> QuerySet:
    """The petitions a duplicate may be merged into: visible, open or closed, not routed out,
    not themselves a duplicate (the service says why when one is chosen anyway)."""
    return visible_petitions(user).primaries().exclude(status=Petition.Status.ROUTED_OUT)


# --- Assignments, answers, extension requests, files ------------------------------------------


def visible_assignments(user) -> QuerySet:
    assignments = Assignment.objects.all()
    if can_read_everything(user):
        return assignments
    return assignments.for_units(department_ids(user))


def can_answer(user, assignment) -> bool:
    """Only the lead unit's own members answer, decline or ask for more time."""
    return assignment.department_id in department_ids(user)


def assignment_for_user(user, pk: int, *, write: bool = False):
    assignments = visible_assignments(user).select_related("petition", "department")
    assignment = get_object_or_404(assignments, pk=pk)
    if write and not can_answer(user, assignment):
        raise PermissionDenied
    return assignment


def answer_for_user(user, pk: int, *, review: bool = False):
    """An answer of an assignment the user may see; `review` is for those who manage."""
    answers = Answer.objects.filter(
        assignment__in=visible_assignments(user).values("pk")
    ).select_related("assignment", "assignment__petition", "assignment__department", "author")
    answer = get_object_or_404(answers, pk=pk)
    if review and not can_manage_petitions(user):
        raise PermissionDenied
    return answer


def extension_request_for_user(user, pk: int, *, decide: bool = False):
    requests = ExtensionRequest.objects.filter(
        assignment__in=visible_assignments(user).values("pk")
    ).select_related("assignment", "assignment__petition", "assignment__department", "requested_by")
    request = get_object_or_404(requests, pk=pk)
    if decide and not can_manage_petitions(user):
        raise PermissionDenied
    return request


def attachment_for_user(user, pk: int):
    """A file of a petition the user may see (404 otherwise). A hidden petitioner's own
    files may name them, so they are withheld from whoever may not see the identity; the
    files of an answer are not."""
    attachment = get_object_or_404(
        Attachment.objects.filter(petition__in=visible_petitions(user).values("pk")), pk=pk
    )
    if attachment.answer_id is None and not can_see_identity(user, attachment.petition):
        raise Http404
    return attachment


# --- For templates -----------------------------------------------------------------------------


class Access:
    """What the current user may reach, for templates (`access.staff`, `access.units`)."""

    def __init__(self, user: User | AnonymousUser) -> None:
        self.user = user

    @cached_property
    def roles(self) -> frozenset[str]:
        return roles_of(self.user)

    @cached_property
    def role_labels(self) -> list[str]:
        return [Role(value).label for value in Role.values if value in self.roles]

    @property
    def staff(self) -> bool:
        return not self.roles.isdisjoint(STAFF_ROLES)

    @property
    def read_all(self) -> bool:
        return not self.roles.isdisjoint(READ_ALL_ROLES)

    @property
    def party_building(self) -> bool:
        return Role.PARTY_BUILDING in self.roles

    @property
    def party_office(self) -> bool:
        return Role.PARTY_OFFICE in self.roles

    @property
    def secretary(self) -> bool:
        return Role.SECRETARY in self.roles

    @property
    def deputy_secretary(self) -> bool:
        return Role.DEPUTY_SECRETARY in self.roles

    @property
    def inspection(self) -> bool:
        return Role.INSPECTION in self.roles

    @property
    def department(self) -> bool:
        return Role.DEPARTMENT in self.roles

    @property
    def front(self) -> bool:
        return Role.FRONT in self.roles

    @cached_property
    def answers_for_units(self) -> bool:
        """A member of at least one unit: has an inbox."""
        return bool(department_ids(self.user))

    @property
    def manage_petitions(self) -> bool:
        return not self.roles.isdisjoint(MANAGE_ROLES)

    @property
    def take_in(self) -> bool:
        return not self.roles.isdisjoint(INTAKE_ROLES)

    @property
    def admin_site(self) -> bool:
        return self.user.is_active and self.user.is_staff


def import_batch_for_user(user, token: str):
    """An uploaded list, to its uploader only (404 for anyone else, as if missing): only the
    uploader confirms, cancels or sees it."""
    from petitions.models import ImportBatch

    batches = ImportBatch.objects.select_related("submitted_by")
    return get_object_or_404(batches, token=token, uploaded_by=user.pk)


def export_for_user(user, pk: int):
    """An Excel export of the list, to its requester only (404 for anyone else, as if
    missing): it holds the rows the requester may see, masked for them."""
    from petitions.models import PetitionExport

    return get_object_or_404(PetitionExport, pk=pk, requested_by=user.pk)

"""Who may see and do what: the one place that decides it.

Views, templates and services ask here; nothing else inspects groups. A user may hold
several roles (Django groups named after `Role`).
"""

from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTY_BUILDING = "party_building", _("Party Building Committee")
    PARTY_OFFICE = "party_office", _("Party Office")
    SECRETARY = "secretary", _("Party Secretary")
    INSPECTION = "inspection", _("Inspection Committee")
    DEPARTMENT = "department", _("Department staff")
    FRONT = "front", _("Fatherland Front and mass organisations")


# Party Building plans and handles petitions; the Party Office runs the paperwork.
STAFF_ROLES = frozenset({Role.PARTY_BUILDING, Role.PARTY_OFFICE})
# These read everything in the system; only staff change it.
READ_ALL_ROLES = STAFF_ROLES | {Role.SECRETARY, Role.INSPECTION}


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


def department_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The departments whose assignments this user answers."""
    if not has_role(user, Role.DEPARTMENT):
        return frozenset()
    cached = getattr(user, "_dialogue_department_ids", None)
    if cached is None:
        cached = frozenset(user.departments.filter(is_active=True).values_list("pk", flat=True))
        user._dialogue_department_ids = cached
    return cached


class Access:
    """What the current user may reach, for templates (`access.staff`, `access.roles`)."""

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
    def inspection(self) -> bool:
        return Role.INSPECTION in self.roles

    @property
    def department(self) -> bool:
        return Role.DEPARTMENT in self.roles

    @property
    def front(self) -> bool:
        return Role.FRONT in self.roles

    @property
    def manage_petitions(self) -> bool:
        return not self.roles.isdisjoint(MANAGE_ROLES)

    @property
    def take_in(self) -> bool:
        return not self.roles.isdisjoint(INTAKE_ROLES)

    @property
    def admin_site(self) -> bool:
        return self.user.is_active and self.user.is_staff


# --- Petitions ------------------------------------------------------------------------
# Party Building takes in, classifies, assigns and closes; the Party Office and the Front
# take petitions in; departments answer what is assigned to them.
MANAGE_ROLES = frozenset({Role.PARTY_BUILDING})
INTAKE_ROLES = frozenset({Role.PARTY_BUILDING, Role.PARTY_OFFICE, Role.FRONT})


def can_manage_petitions(user) -> bool:
    return has_role(user, *MANAGE_ROLES)


def can_take_in(user) -> bool:
    return has_role(user, *INTAKE_ROLES)


def submitting_department_ids(user) -> frozenset[int]:
    """The organisations a Front user submits petitions for."""
    if not has_role(user, Role.FRONT):
        return frozenset()
    cached = getattr(user, "_dialogue_front_ids", None)
    if cached is None:
        cached = frozenset(user.departments.filter(is_active=True).values_list("pk", flat=True))
        user._dialogue_front_ids = cached
    return cached


def visible_petitions_filter(user) -> Q | None:
    """The petitions a user may see, as a filter; None means every petition."""
    from petitions.models import Assignment

    if can_read_everything(user):
        return None
    condition = Q(pk__in=[])
    departments = department_ids(user)
    if departments:
        assigned = Assignment.objects.for_departments(departments).values("petition_id")
        condition |= Q(pk__in=assigned)
    if has_role(user, Role.FRONT):
        condition |= Q(created_by=user)
        organisations = submitting_department_ids(user)
        if organisations:
            condition |= Q(submitted_by_department__in=organisations)
    return condition


def can_see_identity(user, petition) -> bool:
    """A hidden petitioner is shown only to those who read everything and to the submitter."""
    if not petition.hide_identity or can_read_everything(user):
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
    by name for a department user, but is for staff.
    """
    if can_read_everything(user):
        return None
    condition = Q(hide_identity=False) | Q(created_by=user.pk)
    organisations = submitting_department_ids(user)
    if organisations:
        condition |= Q(submitted_by_department__in=organisations)
    return condition


def can_edit_petition(user, petition) -> bool:
    """Party Building corrects any open petition; whoever entered it, until it is classified."""
    if can_manage_petitions(user):
        return True
    return petition.created_by_id == user.pk and petition.status == petition.Status.RECEIVED


def attachment_for_user(user, pk: int):
    """A file of a petition the user may see (404 otherwise). A hidden petitioner's own
    files may name them, so they are withheld from whoever may not see the identity; the
    files of an answer are not."""
    from petitions.models import Attachment

    attachment = get_object_or_404(Attachment, pk=pk)
    petition = petition_for_user(user, attachment.petition_id)
    if attachment.answer_id is None and not can_see_identity(user, petition):
        raise Http404
    return attachment


def can_answer(user, assignment) -> bool:
    """Only the lead department's own members answer, decline or ask for more time."""
    return assignment.department_id in department_ids(user)


def petition_for_user(user, pk: int, *, manage: bool = False):
    """The petition if the user may see it (404 otherwise, as if missing); 403 when `manage`
    is asked and the user may only read it."""
    from petitions.models import Petition

    petition = get_object_or_404(Petition.objects.visible_to(user), pk=pk)
    if manage and not can_manage_petitions(user):
        raise PermissionDenied
    return petition


def assignment_for_user(user, pk: int, *, write: bool = False):
    from petitions.models import Assignment

    assignments = Assignment.objects.select_related("petition", "department")
    if not can_read_everything(user):
        departments = department_ids(user)
        assignments = assignments.for_departments(departments)
    assignment = get_object_or_404(assignments, pk=pk)
    if write and not can_answer(user, assignment):
        raise PermissionDenied
    return assignment


def import_batch_for_user(user, token: str):
    """An uploaded list, to its uploader only (404 for anyone else, as if missing): only the
    uploader confirms, cancels or sees it."""
    from petitions.models import ImportBatch

    batches = ImportBatch.objects.select_related("submitted_by")
    return get_object_or_404(batches, token=token, uploaded_by=user.pk)

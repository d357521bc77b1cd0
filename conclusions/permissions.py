"""Who may see and do what with conclusions and their follow-up, on top of
petitions/permissions.py and sessions/permissions.py.

- Ban Xây dựng Đảng drafts the conclusion from the session and edits it until it is signed;
  the Party Office may too, and it issues the signed notice.
- The Secretary returns a submitted draft with comments or signs it; a Deputy Secretary
  signs "KT. BÍ THƯ" only when the deployment allows it (SiteConfiguration).
- Those who read everything (staff, the Secretary and deputies, the Inspection Committee)
  see every conclusion, drafts included.
- A unit's members see the issued conclusions that give their unit a directive (leading or
  supporting); the lead unit's members report on its directives. The Front sees the issued
  conclusions of the sessions it sees.
- Staff accept or return the units' reports.
- An organisation's own dialogue (plan section IV.2) is concluded by the organisation: its
  staff draft, submit, sign in the name of its head and issue its notice; the Secretary does
  not sign it. Its drafts are seen by its staff and by those who read everything.
Anything reached by id that the user may not see is a 404, as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from conclusions.models import (
    Conclusion,
    Directive,
    ProgressReport,
    ReportAttachment,
    ReviewFlag,
    UrgingLetter,
)
from doluong_dialogue.models import SiteConfiguration
from petitions import permissions
from petitions.models import Department
from petitions.permissions import Role
from sessions import permissions as session_permissions

DRAFTERS = (Role.PARTY_BUILDING, Role.PARTY_OFFICE)
ISSUERS = (Role.PARTY_OFFICE, Role.PARTY_BUILDING)
REVIEWERS = (Role.PARTY_BUILDING, Role.PARTY_OFFICE)


def _organisations(session) -> bool:
    return session is not None and session.organiser_id is not None


def can_draft(user, session=None) -> bool:
    """Draft (and edit, submit) the conclusion of `session`; with no session, whether the
    user drafts any."""
    if _organisations(session):
        return session_permissions.can_do_paperwork(user, session)
    if session is None and session_permissions.organisation_ids(user):
        return True
    return permissions.has_role(user, *DRAFTERS)


def can_issue(user, session=None) -> bool:
    if _organisations(session):
        return session_permissions.can_do_paperwork(user, session)
    return permissions.has_role(user, *ISSUERS)


def can_review_reports(user) -> bool:
    return permissions.has_role(user, *REVIEWERS)


def signing_capacity(user, site: SiteConfiguration | None = None, session=None) -> str | None:
    """ "secretary", "deputy" (when deputies may sign), "organisation" (the organisation's
    staff sign an organisation's notice in its head's name), or None."""
    if _organisations(session):
        return "organisation" if session_permissions.can_do_paperwork(user, session) else None
    if permissions.has_role(user, Role.SECRETARY):
        return "secretary"
    if permissions.has_role(user, Role.DEPUTY_SECRETARY):
        site = site or SiteConfiguration.load()
        if site.deputy_may_sign:
            return "deputy"
    return None


def can_sign(user, session=None) -> bool:
    return signing_capacity(user, session=session) is not None


def visible_conclusions(user) -> QuerySet:
    conclusions = Conclusion.objects.all()
    if permissions.can_read_everything(user):
        return conclusions
    condition = Q(pk__in=[])
    units = permissions.department_ids(user)
    if units:
        condition |= Q(
            pk__in=Directive.objects.for_units(units).values("conclusion_id"),
        )
    if permissions.has_role(user, Role.FRONT):
        condition |= Q(session__in=session_permissions.visible_sessions(user).values("pk"))
    condition = Q(condition, status=Conclusion.Status.ISSUED)
    organisations = session_permissions.organisation_ids(user)
    if organisations:
        # An organisation's own conclusions, drafts included.
        condition |= Q(session__organiser__in=organisations)
    return conclusions.filter(condition)


def conclusion_for_user(user, pk: int, *, draft: bool = False, sign: bool = False):
    """The conclusion if the user may see it (404 otherwise); 403 when `draft` (edit it) or
    `sign` is asked and the user may only read it."""
    conclusion = get_object_or_404(
        visible_conclusions(user).select_related("session", "signed_by"), pk=pk
    )
    if draft and not can_draft(user, conclusion.session):
        raise PermissionDenied
    if sign and not can_sign(user, conclusion.session):
        raise PermissionDenied
    return conclusion


def visible_directives(user) -> QuerySet:
    directives = Directive.objects.filter(conclusion__in=visible_conclusions(user).values("pk"))
    if permissions.can_read_everything(user):
        return directives
    units = permissions.department_ids(user)
    if units and not permissions.has_role(user, Role.FRONT):
        return directives.filter(pk__in=Directive.objects.for_units(units).values("pk"))
    return directives


def may_report(user, directive: Directive) -> bool:
    """Members of the lead unit report, once the notice is issued."""
    return directive.status in (
        Directive.Status.OPEN,
        Directive.Status.REPORTED,
    ) and directive.lead_id in permissions.department_ids(user)


def directive_for_user(user, pk: int, *, report: bool = False, draft: bool = False) -> Directive:
    """The directive if the user may see it (404 otherwise); 403 when `report` is asked by
    someone outside its lead unit, or `draft` (edit it) by someone who does not draft."""
    directive = get_object_or_404(
        visible_directives(user).select_related("conclusion__session", "lead"), pk=pk
    )
    if report and directive.lead_id not in permissions.department_ids(user):
        raise PermissionDenied
    if draft and not can_draft(user, directive.conclusion.session):
        raise PermissionDenied
    return directive


def report_for_user(user, pk: int, *, review: bool = False) -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.filter(
            directive__in=visible_directives(user).values("pk")
        ).select_related("directive__conclusion", "directive__lead", "author"),
        pk=pk,
    )
    if review and not can_review_reports(user):
        raise PermissionDenied
    return report


def report_attachment_for_user(user, pk: int) -> ReportAttachment:
    return get_object_or_404(
        ReportAttachment.objects.filter(
            report__directive__in=visible_directives(user).values("pk")
        ).select_related("report"),
        pk=pk,
    )


# --- Oversight: the dashboard and the proposals of review -------------------------------------


def can_oversee(user) -> bool:
    """The overdue register, the rates and their items: whoever reads everything."""
    return permissions.Access(user).read_all


def can_raise_flags(user) -> bool:
    return permissions.has_role(user, Role.INSPECTION)


def can_decide_flags(user) -> bool:
    return permissions.has_role(user, Role.SECRETARY, Role.DEPUTY_SECRETARY)


def visible_flags(user) -> QuerySet:
    """The Inspection Committee and the Secretary (and deputies) see the proposals; nobody
    else, not even the unit concerned."""
    if can_raise_flags(user) or can_decide_flags(user):
        return ReviewFlag.objects.all()
    return ReviewFlag.objects.none()


def flag_for_user(user, pk: int) -> ReviewFlag:
    return get_object_or_404(
        visible_flags(user).select_related("unit", "person", "raised_by"), pk=pk
    )


def unit_for_oversight(user, pk) -> Department:
    """A unit as the dashboard shows it (its overdue items, a proposal of review)."""
    if not can_oversee(user):
        raise PermissionDenied
    return get_object_or_404(Department, pk=pk)


# --- Urging letters ---------------------------------------------------------------------------


def can_urge(user) -> bool:
    """The Party Office writes and sends urging letters."""
    return permissions.has_role(user, Role.PARTY_OFFICE)


def visible_letters(user) -> QuerySet:
    """Those who read everything see the letters, drafts included; a unit sees the issued
    ones sent to it."""
    letters = UrgingLetter.objects.all()
    if not permissions.Access(user).read_all:
        letters = letters.filter(
            status=UrgingLetter.Status.ISSUED, unit_id__in=permissions.department_ids(user)
        )
    return letters


def letter_for_user(user, pk: int) -> UrgingLetter:
    letters = visible_letters(user).select_related(
        "unit", "assignment__petition", "directive__conclusion"
    )
    return get_object_or_404(letters, pk=pk)

"""What each URL answers to whom: one rule per URL name.

A rule takes the user (`Who`) and the object the URL was filled with (`Sample`) and gives the
statuses expected: LOGIN (a redirect to the login page), 200, 302 (a redirect within the
application: the action's next page, or a page that says why it cannot be done now), 403
(the user sees the object but may not do this), 404 (the user may not know it exists).

A new URL pattern with no rule here fails the crawl: declare who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from petitions.permissions import Role, department_ids, roles_of

LOGIN = "login"
OK = frozenset({200, 302})
PAGE = frozenset({200})
DONE = frozenset({302})
# A file made by a worker: served (200), a page that waits for it (302), or not made yet
# because its document is not (404).
FILE = frozenset({200, 302, 404})


@dataclass(frozen=True)
class Who:
    username: str | None
    roles: frozenset
    units: frozenset

    @property
    def anonymous(self) -> bool:
        return self.username is None

    def has(self, *roles) -> bool:
        return not self.roles.isdisjoint(roles)


def who_of(user) -> Who:
    if user is None:
        return Who(None, frozenset(), frozenset())
    return Who(user.username, roles_of(user), department_ids(user))


# --- Who may act ---------------------------------------------------------------------------


def read_all(who, sample=None) -> bool:
    return who.has(
        Role.PARTY_BUILDING, Role.PARTY_OFFICE, Role.SECRETARY, Role.DEPUTY_SECRETARY,
        Role.INSPECTION,
    )  # fmt: skip


def staff(who, sample=None) -> bool:
    return who.has(Role.PARTY_BUILDING, Role.PARTY_OFFICE)


def party_building(who, sample=None) -> bool:
    return who.has(Role.PARTY_BUILDING)


def party_office(who, sample=None) -> bool:
    return who.has(Role.PARTY_OFFICE)


def secretary(who, sample=None) -> bool:
    return who.has(Role.SECRETARY, Role.DEPUTY_SECRETARY)


def flag_readers(who, sample=None) -> bool:
    return who.has(Role.INSPECTION, Role.SECRETARY, Role.DEPUTY_SECRETARY)


def inspection(who, sample=None) -> bool:
    return who.has(Role.INSPECTION)


def intake(who, sample=None) -> bool:
    return who.has(Role.PARTY_BUILDING, Role.PARTY_OFFICE, Role.FRONT)


def lead_member(who, sample) -> bool:
    """A member of the unit that answers or reports for the object."""
    return sample.lead is not None and sample.lead in who.units


def survey_runner(who, sample) -> bool:
    return staff(who) or lead_member(who, sample)


# --- Who may see the object ----------------------------------------------------------------


def sees(who, sample) -> bool:
    """Those who read everything; otherwise members of a unit the object belongs to."""
    if read_all(who) or sample.units is None:
        return True
    return bool(who.units & sample.units)


def sees_identity(who, sample) -> bool:
    """A hidden petitioner's own files may name them: those who read everything, and the
    Front organisation that submitted the petition."""
    if sample.hidden:
        return read_all(who) or (who.has(Role.FRONT) and sample.submitted_by in who.units)
    return sees(who, sample)


def nobody(who, sample) -> bool:
    return False


Rule = Callable[[Who, object], frozenset | str]


def public(who, sample) -> frozenset:
    return PAGE


def anonymous_only(who, sample) -> frozenset:
    return PAGE if who.anonymous else DONE


def published(who, sample) -> frozenset:
    return PAGE if sample.state == "issued" else frozenset({404})


def logged_in(ok=PAGE) -> Rule:
    def rule(who, sample):
        return LOGIN if who.anonymous else ok

    return rule


def owner(who, sample):
    if who.anonymous:
        return LOGIN
    return DONE if who.username == sample.owner else frozenset({404})


def gate(*, see=sees, act=None, ok=OK, role_first=False, states=None) -> Rule:
    """Anonymous: to the login page. Then: 403 when `role_first` and the user may not act;
    404 when the user may not see the object; `ok` when the user may act (`states` maps an
    object's state to what acting on it gives instead); 403 otherwise."""

    def rule(who, sample):
        if who.anonymous:
            return LOGIN
        may_act = act is None or act(who, sample)
        if role_first and not may_act:
            return frozenset({403})
        if not see(who, sample):
            return frozenset({404})
        if not may_act:
            return frozenset({403})
        return (states or {}).get(sample.state, ok)

    return rule


def petition_edit(who, sample):
    """Party Building corrects an open petition; whoever entered it, until it is classified;
    for a petition past that, the page says why it cannot be edited (302)."""
    if who.anonymous:
        return LOGIN
    if not sees(who, sample):
        return frozenset({404})
    if sample.state == "closed":
        return DONE
    return OK if party_building(who) else frozenset({403})


EXPECTED: dict[str, Rule] = {
    # Public pages
    "home": public,
    "healthz": public,
    "login": anonymous_only,
    "public:index": public,
    "public:topics": public,
    "public:topic": public,
    "public:lookup": public,
    "public:conclusion": published,
    "public:notice_pdf": published,
    "verify:lookup": public,
    "verify:document": public,
    "survey:answer": public,
    "reception_public": public,
    # Every user's own pages
    "password_change": logged_in(),
    "password_change_done": logged_in(),
    "notifications": logged_in(),
    "notifications_read_all": logged_in(DONE),
    "notification_open": owner,
    "petitions:list": logged_in(),
    "petitions:inbox": logged_in(),
    "petitions:export": logged_in(),
    "sessions:plan": logged_in(),
    "conclusions:list": logged_in(),
    "conclusions:tasks": logged_in(),
    "documents:status": gate(ok=PAGE),
    "documents:retry": gate(ok=DONE),
    # Petitions: intake
    "petitions:new": gate(act=intake, ok=PAGE, role_first=True),
    "petitions:quick": gate(act=intake, ok=PAGE, role_first=True),
    "petitions:import": gate(act=intake, ok=PAGE, role_first=True),
    "petitions:import_template": gate(act=intake, ok=PAGE, role_first=True),
    "petitions:import_result": gate(see=nobody, act=intake, role_first=True),
    "petitions:import_confirm": gate(see=nobody, act=intake, role_first=True),
    "petitions:edit": petition_edit,
    "petitions:acknowledgements": gate(act=read_all, ok=PAGE, role_first=True),
    "petitions:acknowledgement_pdf": gate(see=read_all, ok=FILE),
    "petitions:acknowledgement_docx": gate(see=read_all, ok=OK),
    "petitions:acknowledge": gate(see=read_all, act=staff, ok=PAGE),
    # Petitions: handling (unit members of the petition's units see it)
    "petitions:detail": gate(ok=PAGE),
    "petitions:classify": gate(act=party_building),
    "petitions:merge": gate(act=party_building),
    "petitions:assign": gate(act=party_building),
    "petitions:close": gate(act=party_building),
    "petitions:reopen": gate(act=party_building),
    "petitions:route_out": gate(act=party_building),
    "petitions:bulk_assign": gate(act=party_building, ok=DONE, role_first=True),
    "petitions:assignment": gate(ok=PAGE),
    "petitions:assignment_answer": gate(act=lead_member, ok=PAGE),
    "petitions:assignment_decline": gate(act=lead_member, ok=PAGE),
    "petitions:assignment_extension": gate(act=lead_member, ok=PAGE),
    "petitions:answer_review": gate(act=party_building, ok=PAGE),
    "petitions:extension_decide": gate(act=party_building, ok=PAGE),
    "petitions:attachment": gate(see=sees_identity, ok=PAGE),
    # Sessions: those of its units read it; Ban Xây dựng Đảng plans; staff do the paperwork
    "sessions:new": gate(act=party_building, ok=PAGE, role_first=True),
    "sessions:plan_periodic": gate(act=party_building, ok=DONE, role_first=True),
    "sessions:detail": gate(ok=PAGE),
    "sessions:agenda": gate(ok=PAGE),
    "sessions:preparation": gate(ok=PAGE),
    "sessions:survey": gate(ok=PAGE),
    "sessions:edit": gate(act=party_building),
    "sessions:cancel": gate(act=party_building),
    "sessions:agenda_add": gate(act=party_building, ok=DONE),
    "sessions:agenda_remove": gate(act=party_building, ok=DONE),
    "sessions:agenda_move": gate(act=party_building, ok=DONE),
    "sessions:step": gate(act=party_building, ok=DONE),
    "sessions:announce": gate(act=staff),
    "sessions:postpone": gate(act=staff),
    "sessions:hold": gate(act=staff, ok=DONE),
    "sessions:archive": gate(act=staff, ok=DONE),
    "sessions:attach": gate(act=staff, ok=DONE, states={"archived": frozenset({403})}),
    "sessions:attachment": gate(ok=PAGE),
    "sessions:invitation": gate(act=staff),
    "sessions:invitation_docx": gate(act=staff),
    "sessions:invitation_pdf": gate(act=staff, ok=FILE),
    "sessions:invitation_settings": gate(act=staff),
    "sessions:invitee_add": gate(act=staff),
    "sessions:invitees_add_units": gate(act=staff),
    "sessions:invitee_remove": gate(act=staff),
    "sessions:invitation_issue": gate(act=staff),
    "sessions:announcement": gate(act=staff),
    "sessions:announcement_print": gate(act=staff),
    "sessions:announcement_docx": gate(act=staff),
    "sessions:announcement_pdf": gate(ok=FILE),
    "sessions:record": gate(act=staff),
    "sessions:attendance": gate(act=staff),
    "sessions:speech_save": gate(act=staff),
    "sessions:speech_delete": gate(act=staff),
    "sessions:minutes": gate(act=staff),
    "sessions:minutes_draw_up": gate(act=staff),
    "sessions:minutes_finalise": gate(act=staff),
    "sessions:minutes_docx": gate(act=staff),
    "sessions:minutes_pdf": gate(ok=FILE),
    "sessions:survey_create": gate(act=survey_runner),
    "sessions:survey_edit": gate(act=survey_runner),
    "sessions:survey_form_pdf": gate(act=survey_runner, ok=FILE),
    "sessions:survey_form_docx": gate(act=survey_runner),
    "sessions:survey_paper": gate(act=survey_runner),
    "sessions:survey_paper_undo": gate(act=survey_runner),
    "sessions:survey_results_pdf": gate(act=survey_runner),
    "sessions:survey_results_download": gate(ok=FILE),
    # The Secretary's reception register: those who read everything; nobody else knows it
    "sessions:reception": gate(see=read_all, ok=PAGE),
    "sessions:reception_day": gate(see=read_all, ok=PAGE),
    "sessions:reception_xlsx": gate(see=read_all, ok=PAGE),
    "sessions:reception_pdf": gate(see=read_all, ok=PAGE),
    # Conclusions: drafts for those who read everything; issued ones for their units too
    "conclusions:for_session": gate(),
    "conclusions:draft": gate(act=staff, ok=DONE),
    "conclusions:detail": gate(ok=PAGE),
    "conclusions:edit": gate(act=staff),
    "conclusions:directive_add": gate(act=staff),
    "conclusions:directive_edit": gate(act=staff),
    "conclusions:directive_remove": gate(act=staff, ok=DONE),
    "conclusions:submit": gate(act=staff, ok=DONE),
    "conclusions:sign": gate(act=secretary, ok=DONE),
    "conclusions:return": gate(act=secretary),
    "conclusions:issue": gate(act=staff),
    "conclusions:notice_docx": gate(act=staff),
    "conclusions:notice_pdf": gate(ok=FILE),
    "conclusions:directive": gate(ok=PAGE),
    "conclusions:report_submit": gate(act=lead_member, ok=PAGE),
    "conclusions:report_accept": gate(act=staff, ok=DONE),
    "conclusions:report_return": gate(act=staff, ok=DONE),
    "conclusions:report_file": gate(ok=PAGE),
    "conclusions:dossier": gate(act=read_all, ok=PAGE),
    "conclusions:dossier_build": gate(act=staff, ok=DONE),
    "conclusions:dossier_zip": gate(act=read_all, ok=FILE),
    # Oversight and reports: those who read everything
    "conclusions:oversight": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:oversight_xlsx": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:oversight_pdf": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:oversight_docx": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:oversight_items": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:reports": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:report_xlsx": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:report_pdf": gate(act=read_all, ok=PAGE, role_first=True),
    "conclusions:report_docx": gate(act=read_all, ok=PAGE, role_first=True),
    # Review flags: the Inspection Committee raises, the Secretary decides; nobody else sees
    "conclusions:flags": gate(act=flag_readers, ok=PAGE, role_first=True),
    "conclusions:flag_new": gate(act=inspection, ok=PAGE, role_first=True),
    "conclusions:flag": gate(see=flag_readers, ok=PAGE),
    "conclusions:flag_decide": gate(see=flag_readers, ok=DONE),
    # Urging letters: the Party Office writes; a unit reads the issued ones sent to it
    "conclusions:letter_new": gate(act=party_office, ok=DONE, role_first=True),
    "conclusions:letter": gate(ok=PAGE),
    "conclusions:letter_pdf": gate(ok=FILE),
    # (a draft's Word copy for those who read everything; the service refuses the others)
    "conclusions:letter_docx": gate(states={"issued": frozenset({404})}),
    "conclusions:letter_issue": gate(ok=DONE),
}

# Not crawled: the admin site (Django's own permissions), logging out (ends the crawl's
# session), and the unnamed favicon.
SKIPPED = ("logout", "")

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
from sessions.permissions import organisation_ids

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
    organisations: frozenset = frozenset()  # the organisations whose own dialogues they run

    @property
    def anonymous(self) -> bool:
        return self.username is None

    def has(self, *roles) -> bool:
        return not self.roles.isdisjoint(roles)


def who_of(user) -> Who:
    if user is None:
        return Who(None, frozenset(), frozenset())
    return Who(user.username, roles_of(user), department_ids(user), organisation_ids(user))


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


def runs(who, sample) -> bool:
    """The organisation's own staff, for a session the organisation holds with its members."""
    return sample.organiser is not None and sample.organiser in who.organisations


def planner(who, sample) -> bool:
    """An organisation's session: its own staff; the Party committee's: Ban Xây dựng Đảng."""
    return runs(who, sample) if sample.organiser else party_building(who)


def paperwork(who, sample) -> bool:
    """An organisation's session: its own staff; the Party committee's: the Party's staff."""
    return runs(who, sample) if sample.organiser else staff(who)


def plans_any(who, sample=None) -> bool:
    return party_building(who) or bool(who.organisations)


def survey_runner(who, sample) -> bool:
    return paperwork(who, sample) or lead_member(who, sample)


def dossier_builder(who, sample) -> bool:
    return read_all(who) and paperwork(who, sample)


def reception_keeper(who, sample=None) -> bool:
    return who.has(Role.PARTY_OFFICE, Role.PARTY_BUILDING, Role.SECRETARY)


def sees_id_numbers(who) -> bool:
    """A reception visitor's ID number in full: the Party Office, the Secretary and Ban Xây
    dựng Đảng; every other reader of the register sees it masked."""
    return who.has(Role.PARTY_OFFICE, Role.SECRETARY, Role.PARTY_BUILDING)


# --- Who may see the object ----------------------------------------------------------------


def sees(who, sample) -> bool:
    """Those who read everything; otherwise members of a unit the object belongs to."""
    if read_all(who) or sample.units is None:
        return True
    return bool(who.units & sample.units)


def sees_session(who, sample) -> bool:
    """Those who read everything; an organisation's staff its own dialogues (another
    organisation's staff: 404); otherwise the units taking part."""
    return read_all(who) or runs(who, sample) or sees(who, sample)


def sees_every_identity(who) -> bool:
    """A hidden petitioner is known to Ban Xây dựng Đảng and the Secretary (issue 12, item 5)."""
    return who.has(Role.PARTY_BUILDING, Role.SECRETARY)


def knows_petitioner(who, sample) -> bool:
    """A hidden petitioner is named to Ban Xây dựng Đảng, the Secretary, whoever entered the
    petition and the Front organisation that submitted it."""
    if not sample.hidden or sees_every_identity(who) or who.username == sample.creator:
        return True
    return who.has(Role.FRONT) and sample.submitted_by in who.units


def sees_identity(who, sample) -> bool:
    """A hidden petitioner's own files may name them: those who see the petition and know
    who the petitioner is."""
    return sees(who, sample) and knows_petitioner(who, sample)


def letter_reader(who, sample) -> bool:
    """The acknowledgement letter names the petitioner: those who read everything, but a
    hidden petitioner's only for those who know who it is (the others see that Ban Xây dựng
    Đảng handles it: 403)."""
    return knows_petitioner(who, sample)


def letter_sender(who, sample) -> bool:
    return staff(who) and knows_petitioner(who, sample)


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


def requester(ok=PAGE) -> Rule:
    """Theirs alone: the one who asked for it; anyone else, whatever their roles: 404."""

    def rule(who, sample):
        if who.anonymous:
            return LOGIN
        return ok if who.username == sample.owner else frozenset({404})

    return rule


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


def session_gate(*, act=None, ok=OK, states=None) -> Rule:
    return gate(see=sees_session, act=act, ok=ok, states=states)


def forward(who, sample):
    """An organisation's staff forward their own dialogue's proposals; the Party committee's
    sessions have nothing to forward (404 once the user may do its paperwork)."""
    if who.anonymous:
        return LOGIN
    if not sees_session(who, sample):
        return frozenset({404})
    if not paperwork(who, sample):
        return frozenset({403})
    return PAGE if sample.organiser else frozenset({404})


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
    "petitions:exports": logged_in(),
    "petitions:export_job": requester(),
    "petitions:export_file": requester(FILE),
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
    "petitions:acknowledgement_pdf": gate(see=read_all, act=letter_reader, ok=FILE),
    "petitions:acknowledgement_docx": gate(see=read_all, act=letter_reader, ok=OK),
    "petitions:acknowledge": gate(see=read_all, act=letter_sender, ok=PAGE),
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
    "sessions:new": gate(act=plans_any, ok=PAGE, role_first=True),
    "sessions:plan_periodic": gate(act=party_building, ok=DONE, role_first=True),
    "sessions:detail": session_gate(ok=PAGE),
    "sessions:agenda": session_gate(ok=PAGE),
    "sessions:preparation": session_gate(ok=PAGE),
    "sessions:survey": session_gate(ok=PAGE),
    "sessions:edit": session_gate(act=planner),
    "sessions:cancel": session_gate(act=planner),
    "sessions:agenda_add": session_gate(act=planner, ok=DONE),
    "sessions:agenda_remove": session_gate(act=planner, ok=DONE),
    "sessions:agenda_move": session_gate(act=planner, ok=DONE),
    "sessions:step": session_gate(act=planner, ok=DONE),
    "sessions:announce": session_gate(act=paperwork),
    "sessions:postpone": session_gate(act=paperwork),
    "sessions:hold": session_gate(act=paperwork, ok=DONE),
    "sessions:archive": session_gate(act=paperwork, ok=DONE),
    "sessions:attach": session_gate(act=paperwork, ok=DONE, states={"archived": frozenset({403})}),
    "sessions:attachment": session_gate(ok=PAGE),
    "sessions:invitation": session_gate(act=paperwork),
    "sessions:invitation_docx": session_gate(act=paperwork),
    "sessions:invitation_pdf": session_gate(act=paperwork, ok=FILE),
    "sessions:invitation_settings": session_gate(act=paperwork),
    "sessions:invitee_add": session_gate(act=paperwork),
    "sessions:invitees_add_units": session_gate(act=paperwork),
    "sessions:invitee_remove": session_gate(act=paperwork),
    "sessions:invitation_issue": session_gate(act=paperwork),
    "sessions:announcement": session_gate(act=paperwork),
    "sessions:announcement_print": session_gate(act=paperwork),
    "sessions:announcement_docx": session_gate(act=paperwork),
    "sessions:announcement_pdf": session_gate(ok=FILE),
    "sessions:record": session_gate(act=paperwork),
    "sessions:attendance": session_gate(act=paperwork),
    "sessions:speech_save": session_gate(act=paperwork),
    "sessions:speech_delete": session_gate(act=paperwork),
    "sessions:minutes": session_gate(act=paperwork),
    "sessions:minutes_draw_up": session_gate(act=paperwork),
    "sessions:minutes_finalise": session_gate(act=paperwork),
    "sessions:minutes_docx": session_gate(act=paperwork),
    "sessions:minutes_pdf": session_gate(ok=FILE),
    "sessions:survey_create": session_gate(act=survey_runner),
    "sessions:survey_edit": session_gate(act=survey_runner),
    "sessions:survey_form_pdf": session_gate(act=survey_runner, ok=FILE),
    "sessions:survey_form_docx": session_gate(act=survey_runner),
    "sessions:survey_paper": session_gate(act=survey_runner),
    "sessions:survey_paper_undo": session_gate(act=survey_runner),
    "sessions:survey_results_pdf": session_gate(act=survey_runner),
    "sessions:survey_results_download": session_gate(ok=FILE),
    # The Secretary's reception register: those who read everything; nobody else knows it
    "sessions:reception": gate(see=read_all, ok=PAGE),
    "sessions:reception_day": gate(see=read_all, ok=PAGE),
    "sessions:reception_xlsx": gate(see=read_all, ok=PAGE),
    "sessions:reception_pdf": gate(see=read_all, ok=PAGE),
    "sessions:reception_day_cancel": gate(see=read_all, act=reception_keeper),
    "sessions:reception_day_held": gate(see=read_all, act=reception_keeper, ok=DONE),
    "sessions:reception_follow_up": gate(see=read_all, act=reception_keeper, ok=DONE),
    # The organisations' own dialogues: forwarding proposals; the roll-up for readers of all
    "sessions:forward": forward,
    "sessions:organisations_rollup": gate(see=read_all, ok=PAGE),
    # Conclusions: drafts for those who read everything; issued ones for their units too
    "conclusions:for_session": session_gate(),
    "conclusions:draft": session_gate(act=paperwork, ok=DONE),
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
    "conclusions:dossier": session_gate(act=read_all, ok=PAGE),
    "conclusions:dossier_build": session_gate(act=dossier_builder, ok=DONE),
    "conclusions:dossier_zip": session_gate(act=read_all, ok=FILE),
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

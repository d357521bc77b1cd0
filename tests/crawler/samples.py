"""The objects the permission crawler fills its URLs with, chosen in the demo commune.

Each kind of object a URL takes is tried with one object of a unit and one of another unit
(and, for petitions, one submitted by the Front and one whose petitioner is hidden; for
sessions, the Party committee's and two organisations' own dialogues, the Front's and the
Farmers' Union's), so that every demo account meets an object of its own and one of somebody
else's. The reception day is the last one held, with a visitor added who asked to stay
unnamed.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from conclusions import public, urging
from conclusions.models import (
    Conclusion,
    Directive,
    ProgressReport,
    ReportAttachment,
    ReviewFlag,
    UrgingLetter,
)
from doluong_dialogue import clock
from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.models import Notification
from petitions import exports
from petitions.models import (
    Answer,
    Assignment,
    Attachment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionUnit,
    Topic,
)
from petitions.permissions import Role
from sessions import reception
from sessions.documents import invitation_record
from sessions.models import (
    AgendaItem,
    DialogueSession,
    Invitee,
    Minutes,
    ReceptionDay,
    SessionAttachment,
    Speech,
    Survey,
    SurveyResponse,
)

# Patterns the crawl leaves alone: the admin site (Django's own permissions), files.
NOT_CRAWLED = ("admin/", "static/", "media/", "__")

# The sort of object each URL with parameters takes (samples.py fills them).
SORTS = {
    **dict.fromkeys(
        [
            "conclusions:detail", "conclusions:directive_add", "conclusions:notice_docx",
            "conclusions:edit", "conclusions:issue", "conclusions:return", "conclusions:sign",
            "conclusions:submit", "conclusions:notice_pdf", "public:conclusion",
            "public:notice_pdf",
        ],
        "conclusion",
    ),
    **dict.fromkeys(
        [
            "conclusions:directive", "conclusions:directive_edit",
            "conclusions:directive_remove", "conclusions:report_submit",
        ],
        "directive",
    ),
    **dict.fromkeys(
        [
            "conclusions:for_session", "conclusions:draft", "conclusions:dossier",
            "conclusions:dossier_build", "conclusions:dossier_zip",
        ],
        "session",
    ),
    **dict.fromkeys(["conclusions:flag", "conclusions:flag_decide"], "flag"),
    "conclusions:flag_new": "unit",
    "conclusions:report_file": "report_file",
    **dict.fromkeys(["conclusions:report_accept", "conclusions:report_return"], "report"),
    "conclusions:letter_new": "urge",
    **dict.fromkeys(
        [
            "conclusions:letter", "conclusions:letter_pdf", "conclusions:letter_docx",
            "conclusions:letter_issue",
        ],
        "letter",
    ),
    "public:topic": "topic",
    **dict.fromkeys(["documents:retry", "documents:status"], "document"),
    "notification_open": "notification",
    **dict.fromkeys(
        [
            "petitions:detail", "petitions:acknowledge", "petitions:acknowledgement_docx",
            "petitions:acknowledgement_pdf", "petitions:assign", "petitions:classify",
            "petitions:close", "petitions:edit", "petitions:merge", "petitions:reopen",
            "petitions:route_out",
        ],
        "petition",
    ),
    "petitions:answer_review": "answer",
    **dict.fromkeys(
        [
            "petitions:assignment", "petitions:assignment_answer",
            "petitions:assignment_decline", "petitions:assignment_extension",
        ],
        "assignment",
    ),
    "petitions:attachment": "attachment",
    **dict.fromkeys(["petitions:export_job", "petitions:export_file"], "export"),
    "petitions:extension_decide": "extension",
    **dict.fromkeys(["petitions:import_result", "petitions:import_confirm"], "import_token"),
    # Every page of one session.
    **dict.fromkeys(
        [
            "sessions:detail",
            "sessions:agenda",
            "sessions:agenda_add",
            "sessions:announce",
            "sessions:announcement",
            "sessions:announcement_print",
            "sessions:announcement_docx",
            "sessions:announcement_pdf",
            "sessions:archive",
            "sessions:cancel",
            "sessions:attach",
            "sessions:edit",
            "sessions:hold",
            "sessions:invitation",
            "sessions:invitation_docx",
            "sessions:invitee_add",
            "sessions:invitation_issue",
            "sessions:invitation_settings",
            "sessions:invitees_add_units",
            "sessions:minutes",
            "sessions:minutes_docx",
            "sessions:minutes_pdf",
            "sessions:minutes_draw_up",
            "sessions:minutes_finalise",
            "sessions:postpone",
            "sessions:preparation",
            "sessions:step",
            "sessions:record",
            "sessions:attendance",
            "sessions:speech_save",
            "sessions:survey",
            "sessions:survey_create",
            "sessions:survey_edit",
            "sessions:survey_results_download",
            "sessions:survey_paper",
            "sessions:survey_form_docx",
            "sessions:survey_form_pdf",
            "sessions:survey_results_pdf",
            "sessions:forward",
        ],
        "session",
    ),
    "sessions:survey_paper_undo": "survey_paper",
    **dict.fromkeys(["sessions:agenda_move", "sessions:agenda_remove"], "agenda"),
    "sessions:attachment": "session_file",
    "sessions:invitation_pdf": "invitation_pdf",
    "sessions:invitee_remove": "invitee",
    "sessions:speech_delete": "speech",
    **dict.fromkeys(
        ["sessions:reception_day", "sessions:reception_day_cancel", "sessions:reception_day_held"],
        "reception_day",
    ),
    "sessions:reception_follow_up": "reception_visit",
    "verify:document": "verify_code",
    "survey:answer": "survey_code",
}  # fmt: skip

# The two units whose objects are tried: each has a demo member (kinhte, vhxh).
UNIT = "Phòng Kinh tế"
OTHER_UNIT = "Phòng Văn hóa - Xã hội"
FRONT_UNIT = "Ủy ban MTTQ Việt Nam xã"
FARMERS_UNIT = "Hội Nông dân"
# The reception register's visitor the crawl adds, unnamed to those who may not know them.
HIDDEN_VISITOR = "Lò Thị Xuyến"
HIDDEN_VISITOR_ID_NUMBER = "040291234567"


@dataclass(frozen=True)
class Sample:
    """One way to fill a URL: its kwargs, and whose it is.

    `units` are the units the object belongs to (None: the whole commune's, such as a
    session or a conclusion); `owner` the one user it belongs to (a notification, an upload).
    """

    label: str
    kwargs: dict = field(hash=False)
    units: frozenset | None = None
    owner: str | None = None
    hidden: bool = False  # a petition whose petitioner is hidden
    submitted_by: int | None = None  # the organisation that submitted the petition
    lead: int | None = None  # the unit that answers or reports for it
    state: str = ""
    organiser: int | None = None  # the organisation holding its own dialogue
    creator: str | None = None  # who entered the petition


def _petition_units(petition: Petition) -> frozenset:
    units = set(
        PetitionUnit.objects.filter(petition=petition)
        .assigned()
        .values_list("department_id", flat=True)
    )
    if petition.submitted_by_department_id:
        units.add(petition.submitted_by_department_id)
    return frozenset(units)


def _assignment_units(assignment: Assignment) -> frozenset:
    supporting = assignment.supporting_departments.values_list("pk", flat=True)
    return frozenset({assignment.department_id, *supporting})


def _front_organisations() -> frozenset:
    """The units whose members are Front users: they see through what they submitted."""
    return frozenset(
        Department.objects.filter(members__groups__name=Role.FRONT).values_list("pk", flat=True)
    )


def session_units(session: DialogueSession) -> frozenset:
    """The units whose members see the session: taking part, advising, invited, answering a
    petition on its agenda, or (the Front) having submitted one."""
    units = set(session.participating_units.values_list("pk", flat=True))
    if session.advisory_unit_id:
        units.add(session.advisory_unit_id)
    units |= set(
        Invitee.objects.filter(invitation__session=session, department__isnull=False).values_list(
            "department_id", flat=True
        )
    )
    for item in session.agenda_items.select_related("petition"):
        units |= _petition_units(item.petition)
    return frozenset(units)


def conclusion_units(conclusion: Conclusion) -> frozenset:
    """Nobody's but those who read everything until issued; then the units given a directive,
    and the Front organisations that see its session."""
    if conclusion.status != "issued":
        return frozenset()
    units = set()
    for directive in conclusion.directives.all():
        units |= {directive.lead_id, *directive.supporting.values_list("pk", flat=True)}
    return frozenset(units | (session_units(conclusion.session) & _front_organisations()))


def _directive_units(directive: Directive) -> frozenset:
    units = {directive.lead_id, *directive.supporting.values_list("pk", flat=True)}
    return frozenset(units | (conclusion_units(directive.conclusion) & _front_organisations()))


def _first(queryset, what: str):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the demo has no {what}"
    return found


def build() -> dict[str, list[Sample]]:
    """Samples by the sort of object a URL takes."""
    unit = Department.objects.get(name=UNIT)
    other = Department.objects.get(name=OTHER_UNIT)
    front = Department.objects.get(name=FRONT_UNIT)
    samples: dict[str, list[Sample]] = {}

    def add(
        sort, label, obj, units=None, owner=None, hidden=False, lead=None, organiser=None, **kwargs
    ):
        kwargs = kwargs or {"pk": obj.pk}
        state = getattr(obj, "status", "") or ""
        petition = getattr(obj, "petition", obj)
        submitted_by = getattr(petition, "submitted_by_department_id", None)
        creator = getattr(getattr(petition, "created_by", None), "username", None)
        samples.setdefault(sort, []).append(
            Sample(
                f"{sort}:{label}",
                kwargs,
                units=units,
                owner=owner,
                hidden=hidden,
                lead=lead,
                state=state,
                submitted_by=submitted_by,
                organiser=organiser,
                creator=creator,
            )
        )

    # Petitions: one led by each of the two units, one the Front submitted, one hidden.
    petitions = Petition.objects.exclude(status="routed_out")
    own = _first(petitions.filter(lead_department=unit, hide_identity=False), "unit petition")
    theirs = _first(petitions.filter(lead_department=other, hide_identity=False), "other's")
    by_front = _first(
        petitions.filter(submitted_by_department=front, lead_department__isnull=True),
        "petition of the Front not yet assigned",
    )
    hidden = _first(petitions.filter(hide_identity=True, lead_department=unit), "hidden one")
    for label, petition in (
        ("unit", own),
        ("other", theirs),
        ("front", by_front),
        ("hidden", hidden),
    ):
        add("petition", label, petition, _petition_units(petition), hidden=petition.hide_identity)

    for label, department in (("unit", unit), ("other", other)):
        assignment = _first(
            Assignment.objects.filter(department=department, petition__hide_identity=False),
            f"assignment of {department}",
        )
        add("assignment", label, assignment, _assignment_units(assignment), lead=department.pk)
        answer = _first(Answer.objects.filter(assignment__department=department), "answer")
        add("answer", label, answer, _assignment_units(answer.assignment), lead=department.pk)
        # An issued conclusion's directive led by the unit, or (the other) by any other unit.
        directives = Directive.objects.filter(conclusion__status="issued")
        directives = (
            directives.filter(lead=unit) if department == unit else directives.exclude(lead=unit)
        )
        directive = _first(directives, f"directive for {label}")
        add("directive", label, directive, _directive_units(directive), lead=directive.lead_id)
        report = ProgressReport.objects.filter(directive__lead=directive.lead).order_by("pk")
        if report.exists():
            report = report.first()
            add(
                "report",
                label,
                report,
                _directive_units(report.directive),
                lead=report.directive.lead_id,
            )
        add("unit", label, department, None, unit_pk=department.pk)
    extension = _first(ExtensionRequest.objects.all(), "extension request")
    add(
        "extension",
        "any",
        extension,
        _assignment_units(extension.assignment),
        lead=extension.assignment.department_id,
    )
    # The demo keeps no files: a petition's letter is added to two petitions, the hidden
    # petitioner's naming them.
    staff = User.objects.get(username="bxd")
    for label, petition in (("unit", own), ("hidden", hidden)):
        letter = f"Đơn của {petition.petitioner_name}".encode()
        attachment = Attachment.objects.create(
            petition=petition,
            file=ContentFile(letter, name="don.txt"),
            original_name="don.txt",
            content_type="text/plain",
            size=len(letter),
            uploaded_by=staff,
        )
        add(
            "attachment",
            label,
            attachment,
            _petition_units(petition),
            hidden=petition.hide_identity,
        )
    report_file = ReportAttachment.objects.order_by("pk").first()
    if report_file:
        add("report_file", "any", report_file, _directive_units(report_file.report.directive))

    held = _first(DialogueSession.objects.filter(status="held"), "held session")
    planned = _first(DialogueSession.objects.filter(status="planned"), "planned session")
    # The organisations' own dialogues: the Front's and the Farmers' Union's (each has a demo
    # staff member, mttq and nongdan; phunu's organisation holds none).
    organisations = DialogueSession.objects.of_organisations()
    front_dialogue = _first(organisations.filter(organiser=front), "dialogue of the Front")
    farmers_dialogue = _first(
        organisations.filter(organiser__name=FARMERS_UNIT), "dialogue of the Farmers' Union"
    )
    for label, session in (
        ("held", held),
        ("planned", planned),
        ("front", front_dialogue),
        ("farmers", farmers_dialogue),
    ):
        add(
            "session",
            label,
            session,
            session_units(session),
            lead=session.advisory_unit_id,
            organiser=session.organiser_id,
        )
    item = _first(AgendaItem.objects.filter(session=planned), "agenda item")
    add("agenda", "any", item, session_units(planned) & _petition_units(item.petition))
    speech = _first(Speech.objects.all(), "speech")
    add("speech", "any", speech, session_units(speech.session))
    invitee = Invitee.objects.order_by("pk").first()
    if invitee:
        add("invitee", "any", invitee, session_units(invitee.invitation.session))
    session_file = SessionAttachment.objects.order_by("pk").first()
    if session_file is None:
        session_file = SessionAttachment.objects.create(
            session=held,
            file=ContentFile(b"Ke hoach", name="ke-hoach.txt"),
            original_name="ke-hoach.txt",
            content_type="text/plain",
            size=8,
            uploaded_by=staff,
        )
    add("session_file", "any", session_file, session_units(session_file.session))
    survey = _first(Survey.objects.all(), "survey")
    add("survey_code", "open", survey, code=survey.code)
    paper = _first(SurveyResponse.objects.filter(source="paper"), "paper survey form")
    add(
        "survey_paper",
        "any",
        paper,
        owner=paper.entered_by.username if paper.entered_by_id else None,
        units=session_units(paper.survey.session),
        lead=paper.survey.session.advisory_unit_id,
        pk=paper.survey.session_id,
        response_pk=paper.pk,
    )
    # The last reception day held, in this month's register: the Party Office adds a visitor
    # who asked to stay unnamed.
    day = (
        ReceptionDay.objects.filter(held_on__lte=clock.today(), cancelled=False)
        .exclude(visits=None)
        .order_by("-held_on")
        .first()
    )
    assert day is not None, "the demo has no reception day held"
    add("reception_day", "any", day)
    hidden_visit = reception.reception_visit_record(
        day=day,
        data=reception.VisitData(
            visitor_name=HIDDEN_VISITOR,
            content="Đề nghị làm rõ việc cấp đất ở xóm.",
            kind="proposal",
            id_number=HIDDEN_VISITOR_ID_NUMBER,
            hide_identity=True,
        ),
        actor=User.objects.get(username="vpdu"),
    )
    add("reception_visit", "any", hidden_visit)

    for status in ("draft", "signed", "issued"):
        conclusion = _first(Conclusion.objects.filter(status=status), status)
        add("conclusion", status, conclusion, conclusion_units(conclusion))
    flag = _first(ReviewFlag.objects.all(), "review flag")
    add("flag", "any", flag, frozenset())
    if not UrgingLetter.objects.exists():
        # The demo sends none: one issued to the unit, one drafted to another.
        office = User.objects.get(username="vpdu")
        overdue = Assignment.objects.overdue(on=clock.today())
        for department, issue in ((unit, True), (other, False)):
            item = _first(overdue.filter(department=department), f"overdue item of {department}")
            letter = urging.urging_draft(item=item, actor=office)
            if issue:
                urging.urging_issue(letter=letter, actor=office)
    for letter in UrgingLetter.objects.order_by("pk")[:2]:
        units = frozenset({letter.unit_id}) if letter.status == "issued" else frozenset()
        add("letter", f"{letter.status}-{letter.pk}", letter, units)
    assignment = samples["assignment"][0]
    directive = samples["directive"][0]
    add("urge", "assignment", None, assignment.units, kind="assignment", **assignment.kwargs)
    add("urge", "directive", None, directive.units, kind="directive", **directive.kwargs)

    for username in ("kinhte", "bxd"):
        notification = Notification.objects.filter(user__username=username).order_by("pk").first()
        if notification:
            add("notification", username, notification, owner=username)
    # A long list's Excel file, built, for a member of the unit and for Ban Xây dựng Đảng.
    for username in ("kinhte", "bxd"):
        export = exports.export_request(user=User.objects.get(username=username), query="")
        exports.build_stored(export_id=export.pk)
        add("export", username, export, owner=username)
    minutes = _first(RenderedDocument.objects.filter(builder="sessions.minutes"), "minutes PDF")
    of_session = Minutes.objects.get(pk=minutes.object_id).session
    add("document", "minutes", minutes, session_units(of_session))
    invitation_pdf = RenderedDocument.objects.filter(builder__startswith="sessions.invitation")
    if invitation_pdf.exists():
        record = invitation_pdf.order_by("pk").first()
        session_id, _record = invitation_record(record.pk)
        add("invitation_pdf", "any", record, session_units(DialogueSession(pk=session_id)))
    signed = RenderedDocument.objects.exclude(verification_code=None).order_by("pk").first()
    if signed:
        add("verify_code", "signed", signed, code=signed.verification_code)
    add("import_token", "none", None, token="khong-co")
    published = public.published_petitions().exclude(topic=None).order_by("pk").first()
    add("topic", "published", published.topic if published else Topic.objects.first())
    return samples


def users() -> dict[str, User]:
    return {user.username: user for user in User.objects.all()}

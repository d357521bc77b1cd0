"""The conclusion notice (Thông báo kết luận) in the Party format, built with
doluong_dialogue.documents: one content for its PDF and, while a draft, its Word copy.

The notice is written in Vietnamese whatever the interface language.
"""

from collections import defaultdict

from conclusions import effects
from conclusions.models import Conclusion, Directive
from doluong_dialogue import documents as d
from doluong_dialogue import formatted, text
from sessions import organisers

SECTION_HEADINGS = (
    ("dialogued", "1. Những nội dung đã đối thoại"),
    ("not_dialogued", "2. Những nội dung chưa đối thoại"),
    ("resolved", "3. Những nội dung đã được giải quyết"),
    ("in_progress", "4. Những nội dung đang và sẽ giải quyết"),
)
DIRECTIVES_HEADING = "5. Giao nhiệm vụ cho các cơ quan, đơn vị"
LETTERS = "abcdefghiklmnopqrstuvxy"


def _paragraphs(text: str) -> list:
    return [d.Paragraph(*formatted.to_runs(line, d.Run)) for line in formatted.lines(text)]


def deadline_phrase(directive: Directive) -> str:
    """As the notice words it: a deadline in working days runs from the issue, which comes
    after the signature, so the notice says so rather than a date."""
    if directive.working_days:
        return (
            f"hoàn thành trong {directive.working_days} ngày làm việc kể từ ngày ban hành "
            "Thông báo này"
        )
    return f"hoàn thành trước ngày {directive.deadline:%d/%m/%Y}"


def directive_sentence(directive: Directive) -> str:
    """ "Chủ trì, phối hợp với … thực hiện …, hoàn thành trước ngày …, báo cáo …." """
    supporting = [unit.name for unit in directive.supporting.all()]
    lead_in = f"Chủ trì, phối hợp với {', '.join(supporting)} " if supporting else "Chủ trì "
    codes = ", ".join(p.code for p in directive.petitions.all())
    task = text.lower_first(directive.task.rstrip(". "))
    if codes and codes not in task:
        task += f" (kiến nghị {codes})"
    return f"{lead_in}{task}, {deadline_phrase(directive)}, {directive.report_how.rstrip('.')}."


def directives_by_unit(conclusion: Conclusion) -> list[tuple[str, list[Directive]]]:
    grouped = defaultdict(list)
    names = {}
    for directive in conclusion.directives.select_related("lead").prefetch_related(
        "supporting", "petitions"
    ):
        grouped[directive.lead_id].append(directive)
        names[directive.lead_id] = directive.lead.name
    return [(names[unit], grouped[unit]) for unit in grouped]


def notice_document(conclusion: Conclusion) -> d.PartyDocument:
    body = _paragraphs(conclusion.opening)
    for name, heading in SECTION_HEADINGS:
        text = getattr(conclusion, name)
        if formatted.lines(text):
            body.append(d.Heading(heading))
            body += _paragraphs(text)
    groups = directives_by_unit(conclusion)
    if groups:
        body.append(d.Heading(DIRECTIVES_HEADING))
        for number, (unit, directives) in enumerate(groups, start=1):
            if len(directives) == 1:
                body.append(
                    d.Paragraph(
                        d.Run(f"{number}. {unit}: ", bold=True), directive_sentence(directives[0])
                    )
                )
                continue
            body.append(d.Paragraph(d.Run(f"{number}. {unit}:", bold=True)))
            for letter, directive in zip(LETTERS, directives, strict=False):
                body.append(d.Paragraph(f"{letter}) {directive_sentence(directive)}"))
    body += _paragraphs(conclusion.closing)
    session = conclusion.session
    organiser = session.organiser if session.organiser_id else None
    announcer = organisers.style_of(organiser).announcer if organiser else "Ban Thường vụ Đảng ủy"
    body.append(
        d.Paragraph(
            f"{announcer} thông báo để các cơ quan, đơn vị biết, thực hiện./.",
            keep_with_next=True,
        )
    )
    site = organisation_signature(session) if organiser else d.Signature.current()
    if conclusion.is_frozen:
        signature = d.Signature(
            authority=conclusion.signer_authority,
            title=conclusion.signer_title,
            name=conclusion.signer_name,
        )
    else:
        signature = site
    recipients = [
        "Thường trực Đảng ủy",
        *(unit.name for unit in conclusion.recipient_units.all()),
        *(line for line in conclusion.other_recipients.splitlines() if line.strip()),
    ]
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="TB",
        title=f"Thông báo kết luận — {conclusion.session.title}",
        day=conclusion.signed_on or conclusion.session.held_on,
        number=conclusion.number,
        type_name="THÔNG BÁO",
        summary=conclusion.summary,
        body=body,
        signatures=[signature],
        recipients=recipients,
        final=conclusion.is_frozen,
    )


def organisation_signature(session) -> d.Signature:
    """An organisation's draft is signed by its head (never the Party Secretary)."""
    style = organisers.style_of(session.organiser)
    return d.Signature(
        authority=style.authority, title=style.head_title, name=session.organiser_head_name
    )


def build_notice(conclusion_id: int) -> d.PartyDocument:
    return notice_document(
        Conclusion.objects.select_related("session__organiser").get(pk=conclusion_id)
    )


def register() -> None:
    """The builder the documents' worker uses (called from conclusions/apps.py)."""
    d.register_builder(effects.NOTICE, build_notice, may_read=_may_read_notice, signed=True)


def _may_read_notice(user, conclusion_id) -> bool:
    from conclusions.permissions import visible_conclusions

    return visible_conclusions(user).filter(pk=conclusion_id).exists()


def notice_docx_response(conclusion: Conclusion):
    return d.docx_response(
        notice_document(conclusion),
        f"du-thao-thong-bao-ket-luan-{conclusion.session.held_on:%Y%m%d}.docx",
    )

"""The session's Party-format documents, built with doluong_dialogue.documents: the
invitation (Giấy mời), the printable notice to residents (Thông báo) and the minutes (Biên
bản). Each is one `PartyDocument` that gives both its PDF and, while a draft, its Word copy.

The documents are written in Vietnamese whatever the interface language.
"""

from django.http import Http404, HttpResponse

from doluong_dialogue import documents as d
from doluong_dialogue.models import SiteConfiguration
from sessions import effects, organisers
from sessions.announcement_text import loudspeaker_text
from sessions.minutes_text import WEEKDAYS
from sessions.models import SCALE, DialogueSession, Invitation, Invitee, Minutes, Survey


def _when(session: DialogueSession) -> str:
    day = session.held_on
    at = f"{session.starts_at:%H} giờ {session.starts_at:%M} phút, " if session.starts_at else ""
    return f"{at}{WEEKDAYS[day.weekday()]}, ngày {day:%d}/{day:%m}/{day.year}"


def _invitation_body(session: DialogueSession, invitation: Invitation, addressee) -> list:
    site = SiteConfiguration.load()
    body = [
        addressee,
        d.Paragraph(
            f"{organisers.host_name(session, site)} tổ chức "
            f"{session.title[0].lower()}{session.title[1:]}."
        ),
        d.Paragraph(d.Run("Thời gian: ", bold=True), _when(session), "."),
        d.Paragraph(d.Run("Địa điểm: ", bold=True), session.location or "…", "."),
    ]
    if session.chair_name:
        body.append(
            d.Paragraph(
                d.Run("Chủ trì: ", bold=True),
                f"Đồng chí {session.chair_name}, {organisers.chair_title(session)}.",
            )
        )
    topics = "; ".join(topic.name for topic in session.topics.all())
    if topics:
        body.append(d.Paragraph(d.Run("Nội dung: ", bold=True), topics, "."))
    if invitation.note:
        body.append(d.Paragraph(invitation.note))
    inviting = (
        organisers.style_of(session.organiser).announcer
        if session.organiser_id
        else "Văn phòng Đảng ủy"
    )
    body.append(
        d.Paragraph(
            f"{inviting} trân trọng kính mời các đồng chí đến dự hội nghị đúng thời gian "
            "và địa điểm nêu trên./.",
            keep_with_next=True,
        )
    )
    return body


def invitation_document(invitation: Invitation, invitee: Invitee | None = None) -> d.PartyDocument:
    """One invitee's letter, or (list mode) the letter with its list of invitees."""
    session = invitation.session
    if invitee is not None:
        names = f"{invitee.name}, {invitee.position}" if invitee.position else invitee.name
        addressee = d.Addressee((names,))
        number = invitee.number
    else:
        addressee = d.Addressee(
            ("Các đồng chí, các cơ quan, đơn vị có tên trong danh sách kèm theo",)
        )
        number = invitation.number
    body = _invitation_body(session, invitation, addressee)
    if invitee is None:
        body += [
            d.Heading("DANH SÁCH KHÁCH MỜI", align="center"),
            d.Table(
                header=("TT", "Khách mời", "Chức vụ, đơn vị"),
                rows=tuple(
                    (str(n), guest.name, guest.position or guest.get_kind_display())
                    for n, guest in enumerate(invitation.invitees.all(), start=1)
                ),
                widths=(8, 47, 45),
            ),
        ]
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="GM",
        title=f"Giấy mời — {session.title}",
        day=invitation.issued_on or session.announced_on or session.held_on,
        number=number,
        type_name="GIẤY MỜI",
        summary="Dự hội nghị tiếp xúc, đối thoại với Nhân dân",
        body=body,
        recipients=["Như trên"],
        final=not invitation.is_draft,
    )


def build_invitation(invitation_id: int) -> d.PartyDocument:
    invitation = Invitation.objects.select_related("session").get(pk=invitation_id)
    return invitation_document(invitation)


def build_invitation_for(invitee_id: int) -> d.PartyDocument:
    invitee = Invitee.objects.select_related("invitation__session").get(pk=invitee_id)
    return invitation_document(invitee.invitation, invitee)


def announcement_document(session: DialogueSession) -> d.PartyDocument:
    """The notice posted at the hamlets' halls and read on the loudspeakers."""
    lines = loudspeaker_text(session).split("\n")[1:-1]  # without the opening and closing
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="TB",
        title=f"Thông báo — {session.title}",
        day=session.announced_on or session.held_on,
        type_name="THÔNG BÁO",
        summary="Về việc tổ chức hội nghị tiếp xúc, đối thoại với Nhân dân",
        body=[*(d.Paragraph(line) for line in lines if line)],
        recipients=["Các chi bộ, xóm, khối", "MTTQ và các đoàn thể xã"],
    )


def minutes_document(minutes: Minutes) -> d.PartyDocument:
    session = minutes.session
    body = []
    for line in minutes.text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.split(".", 1)[0] in {"I", "II", "III", "IV", "V", "VI"}:
            body.append(d.Heading(stripped))
        else:
            body.append(d.Paragraph(stripped))
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="BB",
        title=f"Biên bản — {session.title}",
        day=session.held_on,
        number=minutes.number,
        type_name="BIÊN BẢN",
        summary=session.title,
        body=body,
        signatures=[
            d.Signature(title="NGƯỜI GHI BIÊN BẢN", name=minutes.recorder_name),
            d.Signature(title="CHỦ TRÌ HỘI NGHỊ", name=session.chair_name),
        ],
        recipients=None,
        final=minutes.is_final,
    )


def build_announcement(session_id: int) -> d.PartyDocument:
    return announcement_document(DialogueSession.objects.get(pk=session_id))


def build_minutes(minutes_id: int) -> d.PartyDocument:
    return minutes_document(Minutes.objects.select_related("session").get(pk=minutes_id))


DOTS = "." * 132  # a line to write on
AGE_GROUPS = "(1) Dưới 30 tuổi    (2) Từ 30 đến 60 tuổi    (3) Trên 60 tuổi"


def survey_form_document(survey: Survey) -> d.PartyDocument:
    """The printed form handed out at the session: the questions with the five answers
    numbered 1 to 5 (the numbers staff type in), the free text, and the QR code of the online
    form. It asks no name, telephone or ID number."""
    from sessions import surveys

    session = survey.session
    site = SiteConfiguration.load()
    scale = " ".join(f"({value}) {label}" for value, label in SCALE.items())
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="PYK",
        title=f"Phiếu lấy ý kiến — {session.title}",
        day=session.held_on,
        type_name="PHIẾU LẤY Ý KIẾN",
        summary="Của người tham dự hội nghị tiếp xúc, đối thoại với Nhân dân",
        body=[
            d.Paragraph(
                "Để nâng cao chất lượng các hội nghị tiếp xúc, đối thoại, "
                f"{organisers.host_name(session, site)} "
                f"xin ý kiến của Ông/Bà về {session.title[0].lower()}{session.title[1:]} ngày "
                f"{session.held_on:%d/%m/%Y}. Phiếu không ghi tên; xin Ông/Bà khoanh tròn một số "
                "ở mỗi dòng."
            ),
            d.Paragraph(d.Run("Mức đánh giá: ", bold=True), scale, "."),
            d.Table(
                header=("Nội dung", *(f"{value}" for value in SCALE)),
                rows=tuple(
                    (f"{n}. {question}", *(str(value) for value in SCALE))
                    for n, question in enumerate(survey.questions, start=1)
                ),
                widths=(60, 8, 8, 8, 8, 8),
            ),
            d.Paragraph(d.Run("Ý kiến, đề xuất khác:", bold=True), align="left"),
            *(d.Paragraph(DOTS, align="left") for _line in range(3)),
            d.Paragraph(
                d.Run("Ông/Bà ở xóm, khối (không bắt buộc): ", bold=True), DOTS[:50], align="left"
            ),
            d.Paragraph(d.Run("Độ tuổi (không bắt buộc): ", bold=True), AGE_GROUPS, align="left"),
            d.QRCode(
                surveys.public_url(survey),
                lines=(
                    "Hoặc trả lời trực tuyến: quét mã QR bằng điện thoại, hoặc vào địa chỉ",
                    surveys.short_address(survey),
                    f"(mở đến hết ngày {surveys.last_day(survey):%d/%m/%Y}).",
                ),
            ),
            d.Paragraph("Xin trân trọng cảm ơn Ông/Bà!", align="center"),
        ],
        signatures=[],
        recipients=None,
    )


def survey_results_document(survey: Survey) -> d.PartyDocument:
    """The results, for the session's dossier: counts and percentages per question, and the
    suggestions as written."""
    from sessions import surveys

    found = surveys.results(survey)
    session = survey.session
    body = [
        d.Paragraph(
            f"Tổng số phiếu thu về: {found.total} (trực tuyến {found.online}, phiếu giấy "
            f"{found.paper})."
        ),
    ]
    for question in found.questions:
        body.append(d.Heading(f"{question.number}. {question.text}"))
        rows = [
            (label, str(question.counts[value]), f"{question.percent(value)}%")
            for value, label in SCALE.items()
        ]
        rows.append(("Không trả lời", str(question.unanswered), ""))
        body.append(
            d.Table(
                header=("Mức đánh giá", "Số phiếu", "Tỷ lệ"), rows=tuple(rows), widths=(60, 20, 20)
            )
        )
    body.append(d.Heading("Ý kiến, đề xuất khác"))
    if found.suggestions:
        body += [
            d.Item(f"{text}" + (f" ({hamlet})" if hamlet else ""))
            for text, hamlet in found.suggestions
        ]
    else:
        body.append(d.Paragraph("Không có."))
    return d.PartyDocument(
        issuer=organisers.issuer_of(session),
        code="BC",
        title=f"Kết quả lấy ý kiến — {session.title}",
        day=session.held_on,
        type_name="KẾT QUẢ LẤY Ý KIẾN",
        summary=f"Người tham dự {session.title[0].lower()}{session.title[1:]}",
        body=body,
        signatures=[],
        recipients=None,
    )


def build_survey_results(survey_id: int) -> d.PartyDocument:
    return survey_results_document(Survey.objects.select_related("session").get(pk=survey_id))


def _may_read_survey_results(user, survey_id) -> bool:
    from sessions.permissions import visible_sessions

    return visible_sessions(user).filter(survey__pk=survey_id).exists()


def survey_form_pdf_response(survey: Survey) -> HttpResponse:
    response = HttpResponse(d.render_pdf(survey_form_document(survey)), "application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="phieu-lay-y-kien-{survey.session.held_on:%Y%m%d}.pdf"'
    )
    return response


def survey_form_docx_response(survey: Survey) -> HttpResponse:
    return d.docx_response(
        survey_form_document(survey), f"phieu-lay-y-kien-{survey.session.held_on:%Y%m%d}.docx"
    )


def register() -> None:
    """The builders the documents' worker uses (called from sessions/apps.py)."""
    from sessions import surveys

    d.register_builder(surveys.RESULTS_PDF, build_survey_results, may_read=_may_read_survey_results)
    d.register_builder(effects.MINUTES, build_minutes, may_read=_may_read_minutes)
    d.register_builder(effects.ANNOUNCEMENT, build_announcement, may_read=_may_read_announcement)
    d.register_builder(effects.INVITATION, build_invitation, may_read=_may_read_invitation)
    d.register_builder(
        f"{effects.INVITATION}.each", build_invitation_for, may_read=_may_read_invitee
    )


def _may_read_minutes(user, minutes_id) -> bool:
    from sessions.permissions import visible_sessions

    return visible_sessions(user).filter(minutes__pk=minutes_id).exists()


def _may_read_announcement(user, session_id) -> bool:
    from sessions.permissions import visible_sessions

    return visible_sessions(user).filter(pk=session_id).exists()


def _may_read_invitation(user, invitation_id) -> bool:
    from sessions.permissions import can_do_paperwork, visible_sessions

    session = visible_sessions(user).filter(invitation__pk=invitation_id).first()
    return session is not None and can_do_paperwork(user, session)


def _may_read_invitee(user, invitee_id) -> bool:
    from sessions.permissions import can_do_paperwork, visible_sessions

    session = visible_sessions(user).filter(invitation__invitees__pk=invitee_id).first()
    return session is not None and can_do_paperwork(user, session)


# --- What the pages call ------------------------------------------------------------------


def minutes_pdf(minutes: Minutes | None):
    """The rendered PDF of final minutes (its status), or None."""
    if minutes is None:
        return None
    return d.RenderedDocument.objects.filter(key=effects.minutes_key(minutes)).first()


def invitation_pdfs(invitation: Invitation) -> list:
    keys = [effects.invitation_key(invitation)] + [
        effects.invitation_key(invitation, invitee) for invitee in invitation.invitees.all()
    ]
    return list(d.RenderedDocument.objects.filter(key__in=keys).order_by("id"))


def invitation_record(pk: int):
    """The invitation PDF `pk` and its session's id (404 when it is no invitation's)."""
    record = d.RenderedDocument.objects.filter(
        pk=pk, builder__in=[effects.INVITATION, f"{effects.INVITATION}.each"]
    ).first()
    if record is None:
        raise Http404
    if record.builder == effects.INVITATION:
        session_id = (
            Invitation.objects.filter(pk=record.object_id)
            .values_list("session_id", flat=True)
            .first()
        )
    else:
        session_id = (
            Invitee.objects.filter(pk=record.object_id)
            .values_list("invitation__session_id", flat=True)
            .first()
        )
    if session_id is None:
        raise Http404
    return session_id, record


def invitation_docx_response(invitation: Invitation) -> HttpResponse:
    return d.docx_response(
        invitation_document(invitation), f"giay-moi-{invitation.session.held_on:%Y%m%d}.docx"
    )


def pdf_download(record):
    if record is None:
        raise Http404
    return d.file_response(record)


def minutes_docx_response(minutes: Minutes) -> HttpResponse:
    return d.docx_response(
        minutes_document(minutes), f"bien-ban-{minutes.session.held_on:%Y%m%d}.docx"
    )


def announcement_pdf(session: DialogueSession):
    """The printable notice's PDF record if it reads as the session does now, else None."""
    record = d.RenderedDocument.objects.filter(key=effects.announcement_key(session)).first()
    if record is None or record.version != effects.announcement_version(session):
        return None
    return record


def announcement_docx_response(session: DialogueSession) -> HttpResponse:
    return d.docx_response(
        announcement_document(session), f"thong-bao-doi-thoai-{session.held_on:%Y%m%d}.docx"
    )

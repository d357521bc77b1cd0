"""The invented commune's conclusions, one in every state, written through the services on
the day each step would have happened (`on=`):

- the first-half periodic session: issued long ago, its directives completed on time, late,
  and one still overdue; its dossier is then filed (archived);
- the land session: issued, directives being carried out with progress reports, one
  completion waiting for review, one overdue;
- the ad-hoc session: a draft the Secretary returned with a comment;
- the roads session: submitted, waiting for the Secretary's signature;
- the welfare session: signed, its notice waiting to be issued by the Party Office.
"""

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from conclusions import effects, review_flags, services
from conclusions.models import Conclusion, Directive, ProgressReport
from doluong_dialogue import clock, workdays
from doluong_dialogue.documents.renders import render_stored
from petitions.models import Department
from sessions import services as session_services
from sessions.models import DialogueSession

# A one-page PDF standing for the scanned evidence a unit attaches (invented).
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _working_day(day: date) -> date:
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return day


def _unit(name: str) -> Department:
    return Department.objects.get(name=name)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _evidence(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, EVIDENCE, content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    return upload


def _directives(conclusion, actor, tasks, *, on) -> list[Directive]:
    """Replace the drafted directives with `tasks`: (lead, supporting, task, deadline or
    working days)."""
    for directive in list(conclusion.directives.all()):
        services.directive_remove(directive=directive, actor=actor, on=on)
    made = []
    for lead, supporting, task, due in tasks:
        made.append(
            services.directive_add(
                conclusion=conclusion,
                data=services.DirectiveData(
                    lead=_unit(lead),
                    supporting=[_unit(name) for name in supporting],
                    task=task,
                    deadline=due if isinstance(due, date) else None,
                    working_days=due if isinstance(due, int) else None,
                ),
                actor=actor,
                on=on,
            )
        )
    return made


def _return(conclusion, comment: str, *, on) -> None:
    services.conclusion_submit(conclusion=conclusion, actor=_user("bxd"), on=on)
    services.conclusion_return(
        conclusion=conclusion, actor=_user("bithu"), comment=comment, on=on + timedelta(days=1)
    )


def _sign(conclusion, *, on) -> Conclusion:
    services.conclusion_submit(conclusion=conclusion, actor=_user("bxd"), on=on)
    conclusion = services.conclusion_sign(
        conclusion=conclusion, actor=_user("bithu"), on=on + timedelta(days=1)
    )
    # The documents worker would render the notice after this transaction; the demo has it
    # rendered now, so that the notice can be issued.
    record = effects.notice_record(conclusion)
    render_stored(document_id=record.pk, revision=record.revision)
    return conclusion


def _report(directive, username, text, *, on, percent=None, completion=False, stage=""):
    kind = ProgressReport.Kind.COMPLETION if completion else ProgressReport.Kind.PROGRESS
    return services.report_submit(
        directive=directive,
        data=services.ReportData(
            kind=kind,
            text=text,
            stage=stage,
            percent=percent,
            files=[_evidence("bien-ban-nghiem-thu.pdf")] if completion else [],
        ),
        actor=_user(username),
        on=on,
    )


def _accept(report, *, on) -> None:
    services.report_accept(report=report, actor=_user("bxd"), on=on)


def _periodic(session: DialogueSession) -> None:
    """Issued a week after the session; two tasks done (one late), one still overdue."""
    staff, day = _user("bxd"), session.held_on
    conclusion = services.conclusion_draft(session=session, actor=staff, on=day + timedelta(days=2))
    irrigation, land, water = _directives(
        conclusion,
        staff,
        [
            (
                "Phòng Kinh tế",
                ["Hội Nông dân"],
                "Nạo vét kênh tưới nội đồng xóm Yên Thành trước vụ Đông Xuân",
                20,
            ),
            (
                "Trung tâm Phục vụ hành chính công",
                [],
                "Rà soát, trả kết quả các hồ sơ cấp giấy chứng nhận quyền sử dụng đất tồn đọng "
                "từ năm 2024",
                15,
            ),
            (
                "Văn phòng HĐND và UBND",
                ["Phòng Kinh tế"],
                "Làm việc với nhà máy nước, có phương án xử lý nước sinh hoạt bị đục vào mùa mưa",
                30,
            ),
        ],
        on=day + timedelta(days=2),
    )
    conclusion = _sign(conclusion, on=day + timedelta(days=5))
    issued = _working_day(day + timedelta(days=8))
    services.conclusion_issue(conclusion=conclusion, actor=_user("vpdu"), on=issued)
    for directive in (irrigation, land, water):
        directive.refresh_from_db()

    report = _report(
        irrigation,
        "kinhte",
        "Đã khảo sát tuyến kênh, lập dự toán nạo vét.",
        percent=40,
        on=issued + timedelta(days=7),
    )
    _accept(report, on=issued + timedelta(days=8))
    report = _report(
        irrigation,
        "kinhte",
        "Đã nạo vét xong 1,2 km kênh, nghiệm thu với xóm Yên Thành.",
        completion=True,
        on=irrigation.deadline - timedelta(days=3),
    )
    _accept(report, on=irrigation.deadline)

    report = _report(
        land,
        "hcc",
        "Đã trả kết quả 14/17 hồ sơ; 3 hồ sơ chờ bổ sung giấy tờ của hộ dân.",
        completion=True,
        on=land.deadline + timedelta(days=12),
    )
    _accept(report, on=land.deadline + timedelta(days=13))

    report = _report(
        water,
        "vpub",
        "Đã làm việc với nhà máy nước; đang chờ phương án thay vật liệu lọc.",
        percent=30,
        stage="Làm việc với nhà máy nước",
        on=issued + timedelta(days=20),
    )
    _accept(report, on=issued + timedelta(days=21))

    session_services.session_archive(
        session=session, actor=_user("vpdu"), on=issued + timedelta(days=30)
    )


def _land(session: DialogueSession, today: date) -> None:
    """Issued; tasks being carried out: one on time with reports (one waiting for review),
    a completion waiting for review, and one overdue with no report."""
    staff, day = _user("bxd"), session.held_on
    conclusion = services.conclusion_draft(session=session, actor=staff, on=day + timedelta(days=1))
    prices, records, watch, _police = _directives(
        conclusion,
        staff,
        [
            (
                "Phòng Kinh tế",
                ["Ủy ban MTTQ Việt Nam xã"],
                "Niêm yết công khai đơn giá bồi thường giải phóng mặt bằng dự án mở rộng đường "
                "liên xã tại nhà văn hóa các xóm có đất bị thu hồi",
                today + timedelta(days=20),
            ),
            (
                "Trung tâm Phục vụ hành chính công",
                [],
                "Trả lời bằng văn bản hộ bà Trần Thị Lài về hồ sơ cấp giấy chứng nhận",
                10,
            ),
            (
                "Ủy ban MTTQ Việt Nam xã",
                ["Hội Nông dân"],
                "Giám sát việc niêm yết, lấy ý kiến Nhân dân về phương án bồi thường",
                today + timedelta(days=40),
            ),
            (
                "Công an xã",
                [],
                "Xác minh, xử lý việc lấn chiếm đất hành lang giao thông tại xóm Phú Thịnh",
                15,
            ),
        ],
        on=day + timedelta(days=1),
    )
    conclusion = _sign(conclusion, on=day + timedelta(days=4))
    issued = _working_day(day + timedelta(days=7))
    services.conclusion_issue(conclusion=conclusion, actor=_user("vpdu"), on=issued)

    report = _report(
        prices,
        "kinhte",
        "Đã hoàn thiện bảng đơn giá, trình UBND xã phê duyệt.",
        percent=30,
        stage="Trình phê duyệt",
        on=issued + timedelta(days=10),
    )
    _accept(report, on=issued + timedelta(days=11))
    _report(
        prices,
        "kinhte",
        "Đã niêm yết tại 3/5 nhà văn hóa xóm.",
        percent=60,
        stage="Niêm yết",
        on=today - timedelta(days=3),
    )
    records.refresh_from_db()
    _report(
        records,
        "hcc",
        "Đã gửi văn bản trả lời bà Trần Thị Lài (kèm theo).",
        completion=True,
        on=min(records.deadline, today - timedelta(days=1)),
    )
    _report(
        watch,
        "mttq",
        "Đã phân công các chi hội giám sát tại 5 xóm.",
        percent=20,
        on=today - timedelta(days=6),
    )


def _draft_returned(session: DialogueSession) -> None:
    day = session.held_on
    conclusion = services.conclusion_draft(
        session=session, actor=_user("bxd"), on=day + timedelta(days=2)
    )
    _return(
        conclusion,
        "Bổ sung thời hạn cụ thể cho việc kiểm tra trại chăn nuôi và nêu rõ đơn vị phối hợp.",
        on=day + timedelta(days=4),
    )


def _review_flag(today: date) -> None:
    """The Inspection Committee proposes a review of the unit with the oldest overdue
    directive; the Secretary has taken it into consideration."""
    directive = Directive.objects.overdue(on=today).select_related("lead").order_by("deadline")
    directive = directive.first()
    if directive is None:
        return
    flag = review_flags.review_flag_raise(
        data=review_flags.FlagData(
            reason="Đơn vị không thực hiện nhiệm vụ được giao tại Thông báo kết luận, quá hạn "
            "nhiều ngày làm việc mà không báo cáo lý do.",
            unit=directive.lead,
            directives=[directive],
        ),
        actor=_user("ubkt"),
        on=today - timedelta(days=5),
    )
    review_flags.review_flag_consider(
        flag=flag,
        actor=_user("bithu"),
        note="Giao Văn phòng Đảng ủy mời đơn vị làm việc.",
        on=today - timedelta(days=3),
    )


@transaction.atomic
def seed_conclusions(*, stdout=None) -> None:
    """Does nothing when there are conclusions already (or no held sessions)."""
    if Conclusion.objects.exists():
        return
    held = list(
        DialogueSession.objects.of_party_committee().filter(status="held").order_by("held_on")
    )
    if len(held) < 5:
        return
    periodic, ad_hoc, land, roads, welfare = held
    today = clock.today()
    _periodic(periodic)
    _land(land, today)
    _draft_returned(ad_hoc)

    staff = _user("bxd")
    submitted = services.conclusion_draft(
        session=roads, actor=staff, on=roads.held_on + timedelta(days=3)
    )
    services.conclusion_submit(
        conclusion=submitted, actor=staff, on=roads.held_on + timedelta(days=5)
    )

    signed = services.conclusion_draft(
        session=welfare, actor=staff, on=welfare.held_on + timedelta(days=1)
    )
    _sign(signed, on=welfare.held_on + timedelta(days=3))
    _review_flag(today)
    if stdout:
        stdout.write(f"  {Conclusion.objects.count()} conclusions")

"""The invented commune's dialogues held by the Front and the mass organisations with their
own members in the year (plan section IV.2): the Front, the Farmers' Union and the Youth
Union each held one, with its attendance, what members raised, its minutes, and the
proposals that need the commune forwarded to it. The Front's is concluded by its own
notice. Every name is invented; every step goes through the services on its day (`on=`)."""

import uuid
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from conclusions import effects, services
from doluong_dialogue import clock, workdays
from doluong_dialogue.documents.renders import render_stored
from petitions.models import Department, Topic
from sessions import services as session_services
from sessions.models import DialogueSession, Speech

# organisation, account, head, days before today, title, place, attendance, topic, speeches
# (speaker, from, raised, answer, forwarded to the commune?)
DIALOGUES = [
    (
        "Ủy ban MTTQ Việt Nam xã",
        "mttq",
        "Thái Văn Lợi",
        150,
        "Đối thoại với cán bộ Mặt trận, trưởng ban công tác Mặt trận các xóm, khối",
        "Hội trường UBND xã",
        72,
        "Giao thông, thủy lợi",
        [
            (
                "Nguyễn Văn Khang",
                "Trưởng ban công tác Mặt trận xóm Đà Sơn",
                "Đường ra khu sản xuất xóm Đà Sơn hư hỏng nặng, đề nghị xã đưa vào kế hoạch "
                "bê tông hóa năm tới.",
                "Ban Thường trực tổng hợp, kiến nghị UBND xã.",
                True,
            ),
            (
                "Võ Thị Hằng",
                "Xóm Văn Khánh",
                "Đề nghị lắp đèn chiếu sáng tuyến đường liên xóm Văn Khánh - Trung Sơn.",
                "Ban Thường trực tổng hợp, kiến nghị UBND xã.",
                True,
            ),
            (
                "Trần Văn Cường",
                "Khối 5",
                "Đề nghị Mặt trận tổ chức tập huấn nghiệp vụ hòa giải ở cơ sở.",
                "Ban Thường trực đưa vào chương trình tập huấn quý IV.",
                False,
            ),
        ],
    ),
    (
        "Hội Nông dân",
        "nongdan",
        "Phạm Văn Thắng",
        95,
        "Đối thoại với cán bộ, hội viên Hội Nông dân về sản xuất nông nghiệp",
        "Nhà văn hóa xóm Yên Lạc",
        58,
        "Cơ chế, chính sách",
        [
            (
                "Lê Văn Sơn",
                "Chi hội xóm Yên Lạc",
                "Giá vật tư nông nghiệp tăng, đề nghị có chính sách hỗ trợ giống lúa chất "
                "lượng cao cho vụ Xuân.",
                "Ban Thường vụ Hội tổng hợp, kiến nghị Đảng ủy, UBND xã.",
                True,
            ),
            (
                "Nguyễn Thị Tâm",
                "Chi hội xóm Bắc Thịnh",
                "Đề nghị Hội phối hợp mở lớp tập huấn trồng nấm cho hội viên.",
                "Hội phối hợp Trung tâm khuyến nông mở lớp trong tháng tới.",
                False,
            ),
        ],
    ),
    (
        "Đoàn Thanh niên",
        "doantn",
        "Nguyễn Văn Trung",
        35,
        "Đối thoại giữa Bí thư Đoàn xã với đoàn viên thanh niên",
        "Nhà văn hóa xóm Phú Thịnh",
        46,
        "Văn hóa, thể dục thể thao",
        [
            (
                "Hồ Đức Anh",
                "Chi đoàn xóm Phú Thịnh",
                "Đề nghị xã bố trí quỹ đất làm sân thể thao cho thanh niên xóm Phú Thịnh.",
                "Ban Chấp hành Đoàn kiến nghị UBND xã xem xét.",
                True,
            ),
            (
                "Phan Thị Mai",
                "Chi đoàn khối Tân Phúc",
                "Đề nghị Đoàn tổ chức tư vấn hướng nghiệp cho thanh niên chưa có việc làm.",
                "Đoàn xã phối hợp tổ chức trong tháng.",
                False,
            ),
        ],
    ),
]


def _working_day(day: date) -> date:
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return day


@transaction.atomic
def seed_organisation_dialogues(*, stdout=None) -> None:
    """Does nothing when an organisation's dialogue exists already."""
    if DialogueSession.objects.of_organisations().exists():
        return
    today = clock.today()
    for unit, username, head, days_ago, title, place, attendance, topic, speeches in DIALOGUES:
        actor = User.objects.get(username=username)
        organiser = Department.objects.get(name=unit)
        day = _working_day(today - timedelta(days=days_ago))
        if day.year != today.year:
            day = _working_day(date(today.year, 1, 15))
        session = session_services.session_create(
            data=session_services.SessionData(
                title=title,
                kind=DialogueSession.Kind.THEMATIC,
                held_on=day,
                starts_at=time(8, 0),
                location=place,
                topics=[Topic.objects.get(name__startswith=topic)],
                organiser=organiser,
                organiser_head_name=head,
                target_audience="Cán bộ, hội viên, đoàn viên của tổ chức.",
            ),
            actor=actor,
            on=day - timedelta(days=20),
        )
        session_services.session_announce(session=session, actor=actor, on=day - timedelta(days=9))
        session_services.session_hold(session=session, actor=actor, on=day)
        session_services.attendance_record(
            session=session, actor=actor, attendance=attendance, on=day
        )
        to_forward = []
        for number, (speaker, origin, raised, answer, forward) in enumerate(speeches):
            speech, _created = session_services.speech_save(
                session=session,
                actor=actor,
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-org-speech:{unit}:{number}"),
                data=session_services.SpeechData(
                    speaker=speaker,
                    speaker_from=origin,
                    raised=raised,
                    answer=answer,
                    answered_by=f"Đồng chí {head}",
                ),
                on=day,
            )
            if forward:
                to_forward.append(speech)
        minutes = session_services.minutes_draw_up(
            session=session, actor=actor, recorder_name="Hồ Thị Vân"
        )
        session_services.minutes_finalise(minutes=minutes, actor=actor, on=day + timedelta(days=1))
        session_services.proposals_forward(
            session=session,
            speeches=Speech.objects.filter(pk__in=[s.pk for s in to_forward]),
            actor=actor,
            topic=Topic.objects.get(name__startswith=topic),
            on=day + timedelta(days=2),
        )
        if username == "mttq":
            _concluded(session, actor, on=day + timedelta(days=3))
    if stdout:
        count = DialogueSession.objects.of_organisations().count()
        stdout.write(f"  {count} dialogues of the organisations")


def _concluded(session, actor, *, on) -> None:
    """The Front's notice, signed in its head's name and issued."""
    conclusion = services.conclusion_draft(session=session, actor=actor, on=on)
    services.conclusion_submit(conclusion=conclusion, actor=actor, on=on)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=actor, on=on)
    record = effects.notice_record(conclusion)
    render_stored(document_id=record.pk, revision=record.revision)
    services.conclusion_issue(conclusion=conclusion, actor=actor, on=on)

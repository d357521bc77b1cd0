"""The invented commune's dialogue sessions around today: five held ones with their agenda,
what was said and their minutes (their conclusions are in conclusions.py), one announced with
its invitations, one being planned, one postponed and one cancelled. Every step goes through
the services on the day it would have happened (`on=`)."""

import uuid
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from doluong_dialogue import clock, workdays
from petitions.models import Department, Petition, Topic
from sessions import services
from sessions.models import AgendaItem, DialogueSession, Invitee

CHAIRS = {
    "secretary_name": "Phan Đình Toàn",
    "council_chair_name": "Nguyễn Thị Hồng Vân",
    "committee_chair_name": "Trần Quốc Bảo",
}
HALLS = ["Hội trường Đảng ủy xã", "Hội trường UBND xã", "Nhà văn hóa xóm Đông Hồ"]
# What residents said at the held sessions, and the answers given (invented).
SPEECHES = [
    (
        "Nguyễn Văn Thưởng",
        "Xóm Yên Thành",
        "Kênh tưới nội đồng bị bồi lấp, vụ Hè Thu không lấy được nước. Đề nghị xã nạo vét sớm.",
        "UBND xã đã đưa vào kế hoạch nạo vét trước vụ Xuân; Phòng Kinh tế khảo sát trong tháng.",
        "Đồng chí Chủ tịch UBND xã",
    ),
    (
        "Trần Thị Lài",
        "Khối Tân Lập",
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất nộp từ năm 2024 đến nay chưa có kết quả.",
        "Trung tâm Phục vụ hành chính công kiểm tra hồ sơ, trả lời bà trong 10 ngày làm việc.",
        "Đồng chí Bí thư Đảng ủy",
    ),
    (
        "Lê Đình Hòe",
        "Xóm Phú Thịnh",
        "Đề nghị công khai đơn giá bồi thường giải phóng mặt bằng dự án mở rộng đường liên xã.",
        "Đơn giá sẽ được niêm yết tại nhà văn hóa các xóm có đất bị thu hồi.",
        "Đồng chí Chủ tịch UBND xã",
    ),
    (
        "Hoàng Thị Nguyệt",
        "Xóm Lưu Thịnh",
        "Nước sinh hoạt của nhà máy nước thường xuyên bị đục vào mùa mưa.",
        "",
        "",
    ),
]


WELFARE_SPEECHES = [
    (
        "Phạm Thị Mận",
        "Xóm Thịnh Lạc",
        "Gia đình thuộc diện cận nghèo nhưng năm nay chưa được cấp thẻ bảo hiểm y tế.",
        "Phòng Văn hóa - Xã hội rà soát danh sách, cấp thẻ trong tháng.",
        "Đồng chí Chủ tịch UBND xã",
    ),
]


def _working_day(day: date) -> date:
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return day


def _periodic_title(day: date) -> str:
    half = "đầu" if day.month <= 6 else "cuối"
    return f"Hội nghị tiếp xúc, đối thoại định kỳ 6 tháng {half} năm {day.year}"


def _topic(prefix: str) -> Topic:
    return Topic.objects.filter(name__startswith=prefix).first()


def _units(*names: str) -> list[Department]:
    return list(Department.objects.filter(name__in=names))


def _plan(actor, *, day: date, planned_on: date, kind: str, **fields) -> DialogueSession:
    data = {
        "kind": kind,
        "held_on": day,
        "starts_at": time(7, 30),
        "location": HALLS[0],
        "chair": DialogueSession.Chair.SECRETARY,
        "advisory_unit": Department.objects.get(name="Ban Xây dựng Đảng"),
        "participating_units": _units(
            "Văn phòng HĐND và UBND",
            "Phòng Kinh tế",
            "Phòng Văn hóa - Xã hội",
            "Công an xã",
            "Ủy ban MTTQ Việt Nam xã",
        ),
        "target_audience": "Cấp ủy các chi bộ trực thuộc; cán bộ, hội viên, đoàn viên và Nhân dân "
        "trên địa bàn xã.",
        **CHAIRS,
        **fields,
    }
    if kind == DialogueSession.Kind.PERIODIC:
        data.setdefault("title", _periodic_title(day))
        data.setdefault("half_year", services.half_of(day))
    return services.session_create(data=services.SessionData(**data), actor=actor, on=planned_on)


def _agenda(session, actor, petitions, *, on) -> None:
    petitions = [p for p in petitions if p.duplicate_of_id is None]
    if petitions:
        services.agenda_add(session=session, petitions=petitions, actor=actor, on=on)


def _candidates(before: date, *, topic: Topic | None = None, count: int = 8):
    petitions = Petition.objects.filter(received_on__lt=before, duplicate_of__isnull=True).exclude(
        status=Petition.Status.ROUTED_OUT
    )
    if topic is not None:
        petitions = petitions.filter(topic=topic)
    return list(petitions.order_by("-received_on", "id")[:count])


def _hold(session, staff, office, *, speeches, minutes: str) -> None:
    """Announced 10 days before, held on its day with what residents said, minutes drawn up
    (and finalised when `minutes` says so)."""
    day = session.held_on
    services.step_done(session=session, step="plan", actor=staff, on=day - timedelta(days=25))
    services.step_done(session=session, step="collection", actor=staff, on=day - timedelta(days=15))
    services.session_announce(session=session, actor=office, on=day - timedelta(days=10))
    invitation = services.invitation_of(session)
    for unit in session.participating_units.all():
        services.invitee_add(
            invitation=invitation, actor=office, kind=Invitee.Kind.UNIT, department=unit
        )
    services.invitation_issue(invitation=invitation, actor=office, on=day - timedelta(days=9))
    services.session_hold(session=session, actor=office, on=day)
    services.attendance_record(
        session=session,
        actor=office,
        attendance=90 + 17 * session.pk % 80,
        units=session.participating_units.all(),
        on=day,
    )
    items = list(session.agenda_items.select_related("petition"))
    for number, (speaker, origin, raised, answer, by) in enumerate(speeches):
        item = items[number] if number < len(items) else None
        services.speech_save(
            session=session,
            actor=office,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-speech:{session.pk}:{number}"),
            data=services.SpeechData(
                speaker=speaker,
                speaker_from=origin,
                raised=raised,
                agenda_item=item,
                new_petition=item is None,
                answer=answer,
                answered_by=by,
                dialogued=bool(answer),
            ),
            on=day,
        )
    record = services.minutes_draw_up(session=session, actor=office, recorder_name="Lê Thị Thu Hà")
    if minutes == "final":
        services.minutes_finalise(minutes=record, actor=office, on=day + timedelta(days=2))


@transaction.atomic
def seed_sessions(*, stdout=None) -> None:
    """Does nothing when there are sessions already."""
    if DialogueSession.objects.exists():
        return
    today = clock.today()
    staff = User.objects.get(username="bxd")
    office = User.objects.get(username="vpdu")

    first = _working_day(today - timedelta(days=170))
    periodic = _plan(
        staff, day=first, planned_on=first - timedelta(days=40), kind=DialogueSession.Kind.PERIODIC
    )
    _agenda(
        periodic,
        staff,
        _candidates(first - timedelta(days=14), count=10),
        on=first - timedelta(days=14),
    )
    _hold(periodic, staff, office, speeches=SPEECHES, minutes="final")

    second = _working_day(today - timedelta(days=115))
    ad_hoc = _plan(
        staff,
        day=second,
        planned_on=second - timedelta(days=20),
        kind=DialogueSession.Kind.AD_HOC,
        title="Đối thoại đột xuất về ô nhiễm môi trường do trại chăn nuôi",
        pressing_issue="Nhiều hộ dân phản ánh trại chăn nuôi xả thải ra kênh tưới, nước kênh "
        "đen, cá chết.",
        decided_by="Thường trực Đảng ủy",
        location=HALLS[2],
        topics=[_topic("Vệ sinh môi trường")],
    )
    _agenda(
        ad_hoc,
        staff,
        _candidates(second - timedelta(days=14), topic=_topic("Vệ sinh môi trường")),
        on=second - timedelta(days=14),
    )
    _hold(ad_hoc, staff, office, speeches=SPEECHES[3:], minutes="draft")

    third = _working_day(today - timedelta(days=70))
    land = _plan(
        staff,
        day=third,
        planned_on=third - timedelta(days=30),
        kind=DialogueSession.Kind.THEMATIC,
        title="Đối thoại chuyên đề về quản lý đất đai, giải phóng mặt bằng",
        location=HALLS[1],
        topics=[_topic("Quản lý đất đai")],
    )
    _agenda(
        land,
        staff,
        _candidates(third - timedelta(days=14), topic=_topic("Quản lý đất đai")),
        on=third - timedelta(days=14),
    )
    _hold(land, staff, office, speeches=SPEECHES[1:3], minutes="final")

    # Two thematic sessions held in the last weeks: their conclusions are still being signed
    # and issued (conclusions/demo/conclusions.py).
    for days_ago, title, hall, topic, count, speeches in (
        (
            40,
            "Đối thoại chuyên đề về giao thông nông thôn, thủy lợi nội đồng",
            HALLS[2],
            "Giao thông, thủy lợi",
            6,
            SPEECHES[:1],
        ),
        (
            21,
            "Đối thoại chuyên đề về chính sách người có công, hộ nghèo",
            HALLS[0],
            "Chính sách người có công",
            5,
            WELFARE_SPEECHES,
        ),
    ):
        day = _working_day(today - timedelta(days=days_ago))
        thematic = _plan(
            staff,
            day=day,
            planned_on=day - timedelta(days=30),
            kind=DialogueSession.Kind.THEMATIC,
            title=title,
            location=hall,
            topics=[_topic(topic)],
        )
        _agenda(
            thematic,
            staff,
            _candidates(day - timedelta(days=14), topic=_topic(topic), count=count),
            on=day - timedelta(days=14),
        )
        _hold(thematic, staff, office, speeches=speeches, minutes="final")

    # Coming: announced, with its agenda (carried over from the sessions above) and invitations.
    coming_day = _working_day(today + timedelta(days=18))
    coming = _plan(
        staff,
        day=coming_day,
        planned_on=today - timedelta(days=12),
        kind=DialogueSession.Kind.PERIODIC,
    )
    carried = [
        item.petition
        for item in AgendaItem.objects.filter(session__in=[periodic, land], dialogued=False)
    ]
    _agenda(coming, staff, carried + _candidates(today, count=6), on=today)
    services.step_done(session=coming, step="plan", actor=staff, on=today - timedelta(days=12))
    services.step_done(session=coming, step="collection", actor=staff, on=today - timedelta(days=5))
    services.session_announce(session=coming, actor=office, on=today - timedelta(days=2))
    invitation = services.invitation_of(coming)
    for unit in coming.participating_units.all():
        services.invitee_add(
            invitation=invitation, actor=office, kind=Invitee.Kind.UNIT, department=unit
        )
    services.invitee_add(
        invitation=invitation,
        actor=office,
        kind=Invitee.Kind.PERSON,
        name="Nguyễn Văn Hùng",
        position="Bí thư Chi bộ xóm Yên Thịnh",
    )
    services.invitation_issue(invitation=invitation, actor=office, on=today - timedelta(days=1))

    # Being planned: a thematic session with a draft invitation.
    planned_day = _working_day(today + timedelta(days=45))
    health = _plan(
        staff,
        day=planned_day,
        planned_on=today - timedelta(days=3),
        kind=DialogueSession.Kind.THEMATIC,
        title="Đối thoại chuyên đề về chăm sóc sức khỏe và an toàn thực phẩm",
        topics=[_topic("Chăm sóc sức khỏe")],
    )
    _agenda(health, staff, _candidates(today, topic=_topic("Chăm sóc sức khỏe"), count=4), on=today)
    services.invitee_add(
        invitation=services.invitation_of(health),
        actor=office,
        kind=Invitee.Kind.UNIT,
        department=Department.objects.get(name="Phòng Văn hóa - Xã hội"),
    )

    # Postponed and cancelled.
    moved = _plan(
        staff,
        day=_working_day(today + timedelta(days=25)),
        planned_on=today - timedelta(days=20),
        kind=DialogueSession.Kind.THEMATIC,
        title="Đối thoại chuyên đề về an ninh trật tự, an toàn giao thông",
        topics=[_topic("An ninh trật tự")],
        location=HALLS[1],
    )
    services.session_postpone(
        session=moved,
        actor=office,
        new_date=_working_day(today + timedelta(days=60)),
        reason="Trùng lịch hội nghị của huyện",
        on=today - timedelta(days=4),
    )
    dropped = _plan(
        staff,
        day=_working_day(today + timedelta(days=30)),
        planned_on=today - timedelta(days=15),
        kind=DialogueSession.Kind.AD_HOC,
        title="Đối thoại đột xuất về khai thác cát trên sông Lam",
        pressing_issue="Xe chở cát làm hỏng đường liên xóm, sạt lở bờ sông",
        decided_by="Thường trực Đảng ủy",
    )
    services.session_cancel(
        session=dropped,
        actor=staff,
        reason="Vụ việc đã được UBND huyện xử lý dứt điểm",
        on=today - timedelta(days=6),
    )
    if stdout:
        stdout.write(f"  {DialogueSession.objects.count()} sessions")

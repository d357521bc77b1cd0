"""The Secretary's citizen reception days of the invented commune's year: two days of the
schedule a month (the first and third Thursday, or the next working day), except two months
short of a day and one day cancelled; an ad-hoc day when many households came about the same
case; visits of every kind on the days past, the proposals and feedback classified and
assigned to units, the complaints and denunciations routed out with the transfer written in
the register. Every step goes through the services on the day it would have happened (`on=`).
Every name, address and ID number is invented."""

from datetime import date, time, timedelta

from django.contrib.auth.models import User

from doluong_dialogue import clock, workdays
from petitions import services as petition_services
from petitions.models import Department, Petition, Topic
from sessions import reception
from sessions.models import ReceptionDay, ReceptionVisit

PLACE = "Phòng tiếp công dân, trụ sở Đảng ủy xã"
# A day of the schedule is left out of these months (the minimum is not met).
SHORT_MONTHS = (2, 7)
# The second day of this month is cancelled.
CANCELLED_MONTH = 9
# The ad-hoc day: many households came about one case (Kết luận 215-KL/TW).
AD_HOC_MONTH = 5

Kind = ReceptionVisit.Kind
# (name, address, id number, kind, people, content, handled before by, topic, unit, guidance)
VISITS = [
    (
        "Nguyễn Văn Thái",
        "Xóm Yên Thịnh",
        "040078001234",
        Kind.PROPOSAL,
        1,
        "Đề nghị bê tông hóa đoạn đường nội đồng từ xóm Yên Thịnh ra cánh đồng Bàu Sen.",
        "",
        "Giao thông",
        "Phòng Kinh tế",
        "Tiếp nhận, chuyển Phòng Kinh tế tham mưu trả lời.",
    ),
    (
        "Trần Thị Lý",
        "Khối Tân Lập",
        "040185004321",
        Kind.FEEDBACK,
        1,
        "Phản ánh trạm y tế xã thường xuyên hết thuốc điều trị tăng huyết áp.",
        "",
        "Chăm sóc sức khỏe",
        "Phòng Văn hóa - Xã hội",
        "Tiếp nhận, chuyển Phòng Văn hóa - Xã hội kiểm tra, trả lời.",
    ),
    (
        "Lê Văn Hùng",
        "Xóm Phú Thịnh",
        "040067005678",
        Kind.COMPLAINT,
        1,
        "Khiếu nại quyết định thu hồi đất làm đường liên xã, cho rằng diện tích bồi thường "
        "thiếu so với thực tế.",
        "UBND xã (đã trả lời bằng văn bản)",
        "",
        "",
        "Chuyển đơn đến Chủ tịch UBND xã giải quyết theo Luật Khiếu nại; hướng dẫn công dân "
        "nộp kèm bản đo đạc.",
    ),
    (
        "Hoàng Văn Sơn",
        "Xóm Lưu Thịnh",
        "040072009876",
        Kind.DENUNCIATION,
        1,
        "Tố cáo việc xây dựng công trình trái phép trên đất nông nghiệp tại xứ đồng Cồn Mồ.",
        "",
        "",
        "",
        "Hướng dẫn công dân gửi đơn tố cáo đến Chủ tịch UBND xã theo Luật Tố cáo.",
    ),
    (
        "Phạm Thị Hằng",
        "Xóm Đông Hồ",
        "040190002468",
        Kind.FEEDBACK,
        1,
        "Phản ánh tình trạng đốt rơm rạ sau thu hoạch gây khói bụi khu dân cư.",
        "",
        "Vệ sinh môi trường",
        "Phòng Kinh tế",
        "Tiếp nhận, chuyển Phòng Kinh tế phối hợp các xóm tuyên truyền, xử lý.",
    ),
    (
        "Đặng Văn Lộc",
        "Khối Trung Hậu",
        "",
        Kind.PROPOSAL,
        1,
        "Đề nghị lắp đặt thêm camera an ninh tại ngã tư chợ Lường.",
        "",
        "An ninh trật tự",
        "Công an xã",
        "Tiếp nhận, chuyển Công an xã xem xét.",
    ),
    (
        "Võ Thị Thanh",
        "Xóm Thịnh Lạc",
        "040188003579",
        Kind.PROPOSAL,
        1,
        "Đề nghị xem xét cho gia đình vào diện hộ cận nghèo năm 2026.",
        "Ban công tác Mặt trận xóm",
        "Chính sách người có công",
        "Phòng Văn hóa - Xã hội",
        "Tiếp nhận, chuyển Phòng Văn hóa - Xã hội rà soát theo quy định.",
    ),
]
# The ad-hoc day's visit: a group of households (Kết luận 215-KL/TW: many people involved).
GROUP_VISIT = (
    "Nguyễn Đình Tứ (đại diện 12 hộ)",
    "Xóm Yên Thành",
    "040065001357",
    Kind.FEEDBACK,
    12,
    "Phản ánh việc chậm chi trả tiền bồi thường giải phóng mặt bằng dự án mở rộng đường "
    "liên xã qua xóm Yên Thành.",
    "UBND xã",
    "Quản lý đất đai",
    "Văn phòng HĐND và UBND",
    "Tiếp nhận, chuyển Văn phòng HĐND và UBND báo cáo tiến độ chi trả.",
)


def _working_day(day: date) -> date:
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return day


def _thursday(year: int, month: int, nth: int) -> date:
    first = date(year, month, 1)
    offset = (3 - first.weekday()) % 7
    return _working_day(first + timedelta(days=offset + 7 * (nth - 1)))


def _visit_data(line) -> reception.VisitData:
    name, address, id_number, kind, people, content, before, _topic, _unit, guidance = line
    legal = kind in reception.LEGAL_KINDS
    return reception.VisitData(
        visitor_name=name,
        visitor_address=address,
        id_number=id_number,
        kind=kind,
        people_count=people,
        content=content,
        handled_before_by=before,
        within_remit=not legal,
        guidance=guidance,
        follow_up="Đã chuyển đơn, theo dõi kết quả giải quyết" if legal else "",
    )


def _follow(visit: ReceptionVisit, line, staff, today: date) -> None:
    """A proposal or feedback raised more than a week ago is classified and assigned."""
    topic_prefix, unit_name = line[7], line[8]
    petition = visit.petition
    if petition.status != Petition.Status.RECEIVED or not unit_name:
        return
    day = visit.day.held_on
    classified_on = workdays.add_working_days(day, 1)
    assigned_on = workdays.add_working_days(day, 2)
    if assigned_on >= today - timedelta(days=7):
        return
    topic = Topic.objects.filter(name__startswith=topic_prefix).order_by("order", "pk").first()
    petition = petition_services.petition_classify(
        petition=petition,
        actor=staff,
        topic=topic,
        urgency=petition.urgency,
        on=classified_on,
    )
    petition_services.petition_assign(
        petition=petition,
        actor=staff,
        department=Department.objects.get(name=unit_name),
        on=assigned_on,
    )


def seed_reception(*, stdout=None) -> None:
    """Does nothing when there are reception days already."""
    if ReceptionDay.objects.exists():
        return
    today = clock.today()
    office = User.objects.get(username="vpdu")
    staff = User.objects.get(username="bxd")
    year = today.year
    days = []
    for month in range(1, 13):
        held_on = [_thursday(year, month, 1), _thursday(year, month, 3)]
        if month in SHORT_MONTHS:
            held_on = held_on[:1]
        for when in held_on:
            # Put on the schedule at the start of the year (or of the month for those to come).
            scheduled_on = min(date(year, 1, 2), when)
            days.append(
                reception.reception_day_schedule(
                    held_on=when,
                    starts_at=time(7, 30),
                    ends_at=time(11, 0),
                    location=PLACE,
                    actor=office,
                    on=scheduled_on,
                )
            )
    ad_hoc_on = _working_day(date(year, AD_HOC_MONTH, 20))
    ad_hoc = reception.reception_day_schedule(
        held_on=ad_hoc_on,
        starts_at=time(14, 0),
        ends_at=time(16, 30),
        location=PLACE,
        actor=office,
        ad_hoc=True,
        ad_hoc_reason=ReceptionDay.Reason.MANY_PEOPLE,
        on=ad_hoc_on - timedelta(days=2),
    )
    cancelled = [day for day in days if day.held_on.month == CANCELLED_MONTH][-1]
    number = 0
    # Day by day in date order, the ad-hoc one in its place: the register is numbered
    # through the year in the order the visits were received.
    for day in sorted([*days, ad_hoc], key=lambda day: day.held_on):
        if day.held_on > today:
            continue
        if day.pk == ad_hoc.pk:
            visit = reception.reception_visit_record(
                day=ad_hoc, data=_visit_data(GROUP_VISIT), actor=office, on=ad_hoc_on
            )
            _follow(visit, GROUP_VISIT, staff, today)
            continue
        if day.pk == cancelled.pk:
            reception.reception_day_cancel(
                day=day,
                reason="Đồng chí Bí thư dự hội nghị Ban Chấp hành Đảng bộ tỉnh; lịch tiếp "
                "chuyển sang kỳ sau.",
                actor=office,
                on=day.held_on - timedelta(days=3),
            )
            continue
        # Every kind in turn, one to two visits a day; one day in four nobody came.
        if day.held_on.day % 4 == 0:
            reception.reception_day_mark_held(day=day, actor=office, on=day.held_on)
            continue
        for _each in range(1 + number % 2):
            line = VISITS[number % len(VISITS)]
            number += 1
            visit = reception.reception_visit_record(
                day=day, data=_visit_data(line), actor=office, on=day.held_on
            )
            _follow(visit, line, staff, today)
    if stdout is not None:
        stdout.write(
            f"Reception days: {ReceptionDay.objects.count()}, "
            f"visits: {ReceptionVisit.objects.count()}."
        )

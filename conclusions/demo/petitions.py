"""A year of invented petitions in every state, made through the services.

Each petition is walked through its life on the days it would have happened (every service
is told the day with `on=`), so the timeline, the deadlines, the on-time flags and the
overdue list all look real.
"""

import random
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from doluong_dialogue import clock, workdays
from petitions import services
from petitions.models import (
    AnswerTemplate,
    Department,
    Petition,
    ResidentialUnit,
    Topic,
)

# Invented issues, by topic name prefix: (summary, detail).
ISSUES = {
    "Cơ chế": [
        (
            "Đề nghị hỗ trợ giống lúa chất lượng cao",
            "cho các hộ chuyển đổi cơ cấu cây trồng vụ Xuân",
        ),
        ("Giá phân bón tăng cao, đề nghị có chính sách hỗ trợ", "các hộ trồng lúa thua lỗ"),
        ("Đề nghị hỗ trợ tiêm phòng dịch tả lợn châu Phi", "đàn lợn của nhiều hộ có dấu hiệu bệnh"),
    ],
    "Quản lý đất đai": [
        (
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
            "hồ sơ đã nộp từ năm 2024 đến nay chưa có kết quả",
        ),
        ("Đề nghị công khai đơn giá bồi thường giải phóng mặt bằng", "dự án mở rộng đường liên xã"),
        ("Tranh chấp ranh giới đất giữa hai hộ liền kề", "đề nghị xã đo đạc, hòa giải"),
        ("Khai thác cát trái phép trên sông Lam", "xe chở cát làm hỏng đường, sạt lở bờ"),
    ],
    "Giao thông": [
        ("Nạo vét kênh tưới tiêu nội đồng bị bồi lấp", "vụ Hè Thu không lấy được nước"),
        ("Đường liên xóm xuống cấp, nhiều ổ gà", "đề nghị đưa vào kế hoạch sửa chữa"),
        ("Điện chiếu sáng công cộng hỏng nhiều bóng", "đường tối, mất an toàn khi đi lại ban đêm"),
        ("Nước sinh hoạt thường xuyên bị đục", "đề nghị kiểm tra chất lượng nước của nhà máy"),
        ("Cống thoát nước bị tắc gây ngập úng", "mỗi trận mưa lớn nước tràn vào nhà dân"),
    ],
    "Vệ sinh môi trường": [
        ("Điểm tập kết rác gây ô nhiễm", "cạnh đường vào trường tiểu học, đề nghị di dời"),
        ("Rác thải không được thu gom đúng lịch", "tồn đọng nhiều ngày, bốc mùi"),
        ("Trại chăn nuôi xả thải ra kênh", "nước kênh đen, cá chết"),
    ],
    "Chăm sóc sức khỏe": [
        ("Trạm y tế thiếu thuốc điều trị bệnh mạn tính", "người dân phải mua thuốc ngoài"),
        (
            "Bán thực phẩm không rõ nguồn gốc trước cổng trường",
            "đề nghị kiểm tra an toàn thực phẩm",
        ),
    ],
    "Giáo dục": [
        ("Trường mầm non điểm lẻ xuống cấp", "đề nghị sửa chữa trước năm học mới"),
        ("Thiếu phòng học cho học sinh lớp 1", "lớp học ghép quá đông"),
    ],
    "Văn hóa": [
        ("Nhà văn hóa xóm bị dột mái", "không tổ chức được sinh hoạt cộng đồng"),
        ("Đề nghị bố trí quỹ đất làm sân thể thao", "cho thanh thiếu niên tại khu trung tâm"),
    ],
    "Chính sách": [
        ("Đề nghị xem xét chế độ thân nhân liệt sĩ", "hồ sơ đã nộp nhiều tháng chưa có kết quả"),
        ("Rà soát danh sách hộ cận nghèo chưa đúng đối tượng", "có hộ khá giả vẫn trong danh sách"),
    ],
    "An ninh trật tự": [
        ("Trộm cắp gia súc, gia cầm ban đêm tăng", "đề nghị tăng cường tuần tra"),
        ("Xe tải chạy tốc độ cao qua khu dân cư", "đề nghị lắp biển hạn chế tốc độ, gờ giảm tốc"),
    ],
    "Phòng chống tệ nạn": [
        ("Tụ điểm đánh bạc, ghi số đề tại quán nước", "hoạt động công khai vào buổi tối"),
        ("Thanh niên tụ tập sử dụng chất kích thích", "tại khu vực bãi sông"),
    ],
    "Hoạt động của các tổ chức": [
        ("Đề nghị công khai kết quả giải quyết kiến nghị kỳ trước", "tại nhà văn hóa các xóm"),
    ],
    "Thực hiện chức trách": [
        ("Cán bộ một cửa giải quyết hồ sơ chậm, hẹn nhiều lần", "đề nghị chấn chỉnh tác phong"),
    ],
}

# Which units answer each topic, the usual one first. The plan gives work to the Front and
# the mass organisations too, and to the Party's own bodies.
LEADS = {
    "Cơ chế": ["Phòng Kinh tế", "Phòng Kinh tế", "Hội Nông dân"],
    "Quản lý đất đai": ["Phòng Kinh tế", "Phòng Kinh tế", "Trung tâm Phục vụ hành chính công"],
    "Giao thông": ["Phòng Kinh tế"],
    "Vệ sinh môi trường": ["Phòng Kinh tế", "Phòng Kinh tế", "Hội Liên hiệp Phụ nữ"],
    "Chăm sóc sức khỏe": ["Phòng Văn hóa - Xã hội"],
    "Giáo dục": ["Phòng Văn hóa - Xã hội"],
    "Văn hóa": ["Phòng Văn hóa - Xã hội", "Ủy ban MTTQ Việt Nam xã"],
    "Chính sách": ["Phòng Văn hóa - Xã hội"],
    "An ninh trật tự": ["Công an xã"],
    "Phòng chống tệ nạn": ["Công an xã"],
    "Hoạt động của các tổ chức": ["Văn phòng Đảng ủy", "Ủy ban MTTQ Việt Nam xã"],
    "Thực hiện chức trách": ["Văn phòng HĐND và UBND", "Ban Xây dựng Đảng"],
}

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Hồ",
    "Thái",
    "Đinh",
]
MIDDLE_MEN = ["Văn", "Đình", "Hữu", "Công", "Xuân", "Sỹ", "Quang"]
MIDDLE_WOMEN = ["Thị", "Thị Thu", "Thị Hồng", "Thị Minh", "Thị Kim"]
GIVEN_MEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Lâm", "Nam", "Sơn", "Tuấn"]
GIVEN_WOMEN = ["Hà", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Thảo", "Yến"]
# A petition of the demo reaches the committee through any channel but a session's or a
# reception's (those come with their session or their register line).
INTAKE_CHANNELS = [
    value
    for value in Petition.Channel.values
    if value not in (Petition.Channel.SESSION, Petition.Channel.RECEPTION)
]
ORGANISATIONS = [
    ("Hội Nông dân xã", Petition.Channel.FARMERS),
    ("Hội Phụ nữ xã", Petition.Channel.WOMEN),
    ("Đoàn Thanh niên xã", Petition.Channel.YOUTH),
    ("Hội Cựu chiến binh xã", Petition.Channel.VETERANS),
]

ANSWER_TEMPLATES = {
    "Giao thông, thủy lợi, điện, nước": [
        (
            "Đưa vào kế hoạch sửa chữa",
            "Phòng Kinh tế đã phối hợp với Ban quản lý xóm kiểm tra hiện trạng. UBND xã đưa "
            "hạng mục vào kế hoạch sửa chữa năm ..., dự kiến thi công trong tháng ...",
        ),
    ],
    "Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng": [
        (
            "Tiến độ cấp giấy chứng nhận",
            "Hồ sơ của gia đình đã được Trung tâm Phục vụ hành chính công tiếp nhận ngày ... "
            "và chuyển Văn phòng đăng ký đất đai. Dự kiến trả kết quả trước ngày ...",
        ),
    ],
    "An ninh trật tự, an toàn giao thông": [
        (
            "Tăng cường tuần tra",
            "Công an xã đã bố trí lực lượng tuần tra vào ban đêm tại khu vực được phản ánh "
            "từ ngày ...; đề nghị Nhân dân phối hợp cung cấp thông tin qua số điện thoại ...",
        ),
    ],
}


class _Builder:
    def __init__(self, today: date, seed: int = 2026) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.staff = User.objects.get(username="bxd")
        self.front = User.objects.get(username="mttq")
        self.front_department = Department.objects.get(name="Ủy ban MTTQ Việt Nam xã")
        # A unit's answers are written by its members (the demo gives every lead unit one).
        self.answerers = {
            department.name: department.members.filter(is_active=True).order_by("pk").first()
            for department in Department.objects.all()
        }
        self.departments = {department.name: department for department in Department.objects.all()}
        self.units = list(ResidentialUnit.objects.filter(is_active=True))
        self.topics = list(Topic.objects.filter(is_active=True))

    def _topic_key(self, topic: Topic) -> str:
        return next(key for key in ISSUES if topic.name.startswith(key))

    def _person(self) -> str:
        if self.rng.random() < 0.5:
            middle, given = self.rng.choice(MIDDLE_MEN), self.rng.choice(GIVEN_MEN)
        else:
            middle, given = self.rng.choice(MIDDLE_WOMEN), self.rng.choice(GIVEN_WOMEN)
        return f"{self.rng.choice(FAMILY)} {middle} {given}"

    def _workday_after(self, day: date, low: int, high: int) -> date:
        return workdays.add_working_days(day, self.rng.randint(low, high))

    def receive(self, received_on: date, **overrides) -> tuple[Petition, Topic]:
        topic = self.rng.choice(self.topics)
        summary, detail = self.rng.choice(ISSUES[self._topic_key(topic)])
        unit = self.rng.choice(self.units)
        roll = self.rng.random()
        if roll < 0.15:
            name, channel = (
                f"Cử tri {unit}".replace("Xóm", "xóm").replace("Khối", "khối"),
                (Petition.Channel.FRONT),
            )
            is_group, people = True, self.rng.randint(5, 40)
        elif roll < 0.22:
            name, channel = self.rng.choice(ORGANISATIONS)
            is_group, people = True, self.rng.randint(10, 60)
        else:
            name = self._person()
            channel = self.rng.choice(list(INTAKE_CHANNELS))
            is_group, people = False, 1
        kind = self.rng.choice(
            [Petition.Kind.REQUEST] * 5 + [Petition.Kind.FEEDBACK] * 3 + [Petition.Kind.PROPOSAL]
        )
        data = services.PetitionData(
            kind=overrides.pop("kind", kind),
            summary=f"{summary} ({unit})",
            content=f"{summary} tại {unit}: {detail}. Đề nghị các cấp có thẩm quyền sớm xem xét, "
            "giải quyết để Nhân dân yên tâm sản xuất, sinh hoạt.",
            petitioner_name=name,
            petitioner_phone="" if is_group else f"09{self.rng.randint(10000000, 99999999)}",
            petitioner_address="" if is_group and self.rng.random() < 0.5 else str(unit),
            residential_unit=unit,
            is_group=is_group,
            people_count=people,
            hide_identity=self.rng.random() < 0.08,
            channel=channel,
            received_on=received_on,
            urgency=Petition.Urgency.PRESSING
            if self.rng.random() < 0.15
            else Petition.Urgency.NORMAL,
            submitted_by_department=self.front_department
            if channel == Petition.Channel.FRONT
            else None,
            **overrides,
        )
        actor = self.front if channel == Petition.Channel.FRONT else self.staff
        petition = services.petition_receive(data=data, actor=actor, on=received_on)
        return petition, topic

    def classify(self, petition: Petition, topic: Topic, day: date) -> Petition:
        return services.petition_classify(
            petition=petition, actor=self.staff, topic=topic, urgency=petition.urgency, on=day
        )

    def assign(self, petition: Petition, topic: Topic, day: date):
        lead = self.departments[self.rng.choice(LEADS[self._topic_key(topic)])]
        supporting = []
        if self.rng.random() < 0.25:
            supporting = [self.departments["Văn phòng HĐND và UBND"]]
        return services.petition_assign(
            petition=petition, actor=self.staff, department=lead, supporting=supporting, on=day
        )

    def answer(self, assignment, day: date):
        return services.answer_submit(
            assignment=assignment,
            actor=self.answerers[assignment.department.name],
            text=f"{assignment.department.name} đã kiểm tra thực tế và phối hợp với "
            "Ban quản lý xóm, khối xử lý. Kết quả cụ thể đã thông báo tới người kiến nghị.",
            on=day,
        )

    def close(self, petition: Petition, day: date, outcome: str) -> None:
        extra = {}
        if outcome == Petition.Outcome.SCHEDULED:
            extra["scheduled_for"] = day + timedelta(days=self.rng.randint(30, 120))
        elif outcome == Petition.Outcome.FORWARDED:
            extra["note"] = "Vượt thẩm quyền cấp xã, chuyển UBND tỉnh xem xét theo quy định"
        elif outcome == Petition.Outcome.REJECTED:
            extra["note"] = "Qua kiểm tra thực tế, nội dung phản ánh không đúng như kiến nghị"
        services.petition_close(
            petition=petition, actor=self.staff, outcome=outcome, on=day, **extra
        )

    def acknowledge(self, petition: Petition, day: date) -> None:
        if petition.acknowledgement_due and day <= self.today:
            services.petition_acknowledge(petition=petition, actor=self.staff, sent_on=day, on=day)


def _received_days(today: date, count: int, rng: random.Random) -> list[date]:
    start = date(today.year, 1, 5)
    span = (today - start).days
    days = sorted(start + timedelta(days=int(span * rng.random() ** 0.6)) for _ in range(count))
    return [day if day.weekday() < 5 else day - timedelta(days=day.weekday() - 4) for day in days]


@transaction.atomic
def seed_petitions(*, count: int = 320, stdout=None) -> int:
    """Petitions in every state; does nothing when there are petitions already."""
    if Petition.objects.exists():
        return 0
    for topic_name, templates in ANSWER_TEMPLATES.items():
        topic = Topic.objects.filter(name=topic_name).first()
        for title, body in templates:
            if topic:
                AnswerTemplate.objects.get_or_create(
                    topic=topic, title=title, defaults={"body": body}
                )

    today = clock.today()
    build = _Builder(today)
    rng = build.rng
    created = 0
    for received_on in _received_days(today, count, rng):
        age = workdays.working_days_between(received_on, today)
        recent = age < 25
        fate = rng.choices(
            [
                "received",
                "classified",
                "routed",
                "returned",
                "open",
                "overdue",
                "answered",
                "accepted",
                "closed",
            ],
            weights=[12, 6, 2, 3, 12, 10, 8, 3, 44] if recent else [1, 2, 3, 2, 0, 8, 3, 2, 79],
        )[0]
        petition, topic = build.receive(received_on)
        created += 1
        if fate == "routed":
            services.petition_route_out(
                petition=petition,
                actor=build.staff,
                legal_channel_note="Đơn có nội dung khiếu nại quyết định hành chính: "
                "chuyển UBND xã giải quyết theo Luật Khiếu nại 2011",
                on=received_on,
            )
            continue
        if age > 4 and rng.random() < 0.85:
            build.acknowledge(petition, build._workday_after(received_on, 2, 9))
        if fate == "received" or age < 1:
            continue
        classified_on = min(build._workday_after(received_on, 1, 2), today)
        petition = build.classify(petition, topic, classified_on)
        if fate == "classified" or classified_on >= today:
            continue
        if fate == "overdue":
            # Assigned long enough ago that the deadline has passed, and no answer yet.
            assigned_on = workdays.add_working_days(today, -rng.randint(11, 30))
            assigned_on = max(assigned_on, classified_on)
        elif fate == "open":
            assigned_on = max(classified_on, workdays.add_working_days(today, -rng.randint(0, 9)))
        else:
            assigned_on = min(build._workday_after(classified_on, 0, 2), today)
        assignment = build.assign(petition, topic, assigned_on)
        if fate == "returned":
            services.assignment_decline(
                assignment=assignment,
                actor=build.answerers[assignment.department.name],
                reason="Nội dung thuộc thẩm quyền của cơ quan khác, đề nghị giao lại",
                on=min(build._workday_after(assigned_on, 1, 3), today),
            )
            continue
        if fate in ("open", "overdue"):
            if rng.random() < 0.3:
                # Some units ask for more time; the staff have not decided yet.
                services.extension_request(
                    assignment=assignment,
                    actor=build.answerers[assignment.department.name],
                    new_deadline=workdays.add_working_days(assignment.deadline, 5),
                    reason="Cần thêm thời gian khảo sát thực địa và xin ý kiến các hộ liên quan",
                    on=min(build._workday_after(assigned_on, 1, 4), today),
                )
            continue
        # Most answers come in time; a few are late.
        answered_on = min(
            workdays.add_working_days(assigned_on, rng.choice([3, 5, 7, 8, 9, 9, 10, 12, 15])),
            today,
        )
        answer = build.answer(assignment, answered_on)
        if fate == "answered":
            continue  # waiting for review
        reviewed_on = min(build._workday_after(answered_on, 1, 3), today)
        services.answer_accept(answer=answer, actor=build.staff, on=reviewed_on)
        if fate == "accepted":
            continue  # outcome not recorded yet
        outcome = rng.choice(
            [Petition.Outcome.RESOLVED] * 6
            + [Petition.Outcome.IN_PROGRESS] * 2
            + [Petition.Outcome.SCHEDULED] * 2
            + [Petition.Outcome.FORWARDED, Petition.Outcome.REJECTED]
        )
        build.close(petition, reviewed_on, outcome)

    # Some petitions raise what another already raised: merge them into it.
    open_ones = list(Petition.objects.filter(status=Petition.Status.CLASSIFIED))
    for duplicate in open_ones[: max(3, len(open_ones) // 4)]:
        primary = (
            Petition.objects.filter(
                summary__startswith=duplicate.summary.split(" (")[0],
                duplicate_of__isnull=True,
                pk__lt=duplicate.pk,
            )
            .exclude(status=Petition.Status.ROUTED_OUT)
            .first()
        )
        if primary:
            services.petition_merge(duplicate=duplicate, primary=primary, actor=build.staff)
    if stdout:
        stdout.write(f"  {created} petitions")
    return created

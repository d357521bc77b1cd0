"""Fill a database with invented petitions and time the list pages in-process.

    python manage.py benchmark_petitions --rows 200000 [--runs 20] [--keep] [--explain]

Runs only on a database that holds no petitions but its own (created by the user
"benchmark"), unless --force. Every name, hamlet and petition it writes is invented.
The times are measured with django.test.Client through the full middleware stack, as
a logged-in user: server time without the network.
"""

import math
import random
import statistics
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conclusions.demo.reference import BLOCKS, HAMLETS
from doluong_dialogue.paging import capped_count
from petitions.models import (
    Answer,
    Assignment,
    Attachment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionEvent,
    ReceiptCounter,
    ResidentialUnit,
    Topic,
)
from petitions.permissions import Role, visible_petitions
from petitions.search import filter_petitions

STAFF_USERNAME = "benchmark"
DEPARTMENT_USERNAME = "benchmark_kinhte"
DEPARTMENT_NAME = "Phòng Kinh tế"
BATCH = 5_000
RARE_WORD_EVERY = 20_000  # "karaoke": 10 petitions in 200,000

# What residents raise, per topic in the order of the reference data (invented wording).
ISSUES = [
    [
        "hỗ trợ giống lúa cho vụ Xuân",
        "giá vật tư nông nghiệp tăng cao",
        "dồn điền đổi thửa chưa hợp lý",
        "tiêu thụ nông sản cho bà con",
        "dịch tả lợn châu Phi trên đàn lợn",
    ],
    [
        "cấp giấy chứng nhận quyền sử dụng đất",
        "tranh chấp đất đai giữa các hộ",
        "đền bù giải phóng mặt bằng chưa thỏa đáng",
        "lấn chiếm đất công",
        "khai thác cát trái phép trên sông Lam",
        "chuyển mục đích sử dụng đất ở",
    ],
    [
        "đường liên xóm xuống cấp, nhiều ổ gà",
        "kênh mương nội đồng bị bồi lấp",
        "điện sinh hoạt chập chờn",
        "thiếu nước sạch sinh hoạt",
        "cống thoát nước bị tắc",
        "đèn chiếu sáng công cộng bị hỏng",
    ],
    [
        "rác thải tồn đọng lâu ngày",
        "mùi hôi từ trang trại chăn nuôi",
        "thu gom rác không đúng lịch",
        "ô nhiễm nguồn nước giếng khoan",
        "đốt rơm rạ gây khói bụi",
    ],
    [
        "trạm y tế thiếu thuốc",
        "an toàn thực phẩm tại chợ",
        "phun thuốc phòng sốt xuất huyết",
        "khám sức khỏe định kỳ cho người cao tuổi",
    ],
    [
        "sửa chữa phòng học xuống cấp",
        "các khoản thu đầu năm học",
        "xây nhà vệ sinh trường tiểu học",
        "dạy thêm, học thêm",
    ],
    [
        "sửa chữa nhà văn hóa xóm",
        "sân thể thao bị lấn chiếm",
        "tu bổ di tích đình làng",
        "loa truyền thanh không hoạt động",
    ],
    [
        "chế độ cho người có công với cách mạng",
        "xét hộ nghèo, cận nghèo chưa đúng",
        "trợ cấp cho người khuyết tật",
        "hỗ trợ nhà ở cho hộ nghèo",
    ],
    [
        "an ninh trật tự khu vực chợ",
        "xe tải chở vật liệu chạy quá tốc độ",
        "lắp biển báo giao thông tại ngã ba",
        "mất trộm gia súc",
    ],
    [
        "tình trạng cờ bạc, số đề",
        "nghi vấn mua bán ma túy",
        "trộm cắp tài sản ban đêm",
        "thanh thiếu niên tụ tập gây rối",
    ],
    [
        "hoạt động của chi hội nông dân",
        "việc thu quỹ của các đoàn thể",
        "công khai tài chính của xóm",
    ],
    [
        "thái độ phục vụ của cán bộ bộ phận một cửa",
        "chậm giải quyết hồ sơ hành chính",
        "cán bộ địa chính chậm đo đạc thửa đất",
    ],
]
OPENINGS = ["Đề nghị xem xét", "Kiến nghị về", "Phản ánh", "Đề nghị giải quyết", "Cử tri phản ánh"]
SENTENCES = [
    "Sự việc kéo dài nhiều năm, gây bức xúc trong Nhân dân.",
    "Đề nghị các cấp sớm xem xét, giải quyết dứt điểm.",
    "Bà con đã nhiều lần phản ánh tại các buổi họp xóm.",
    "Đề nghị công khai kết quả giải quyết để Nhân dân được biết.",
    "Ảnh hưởng đến sản xuất và sinh hoạt của nhiều hộ gia đình.",
    "Đề nghị cử cán bộ xuống kiểm tra thực tế.",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Xuân", "Minh", "Quang", "Thanh", "Ngọc", "Sỹ"]
GIVEN = [
    *("An Bình Cường Dũng Hà Hải Hạnh Hòa Hùng Lan Linh Lộc Mai Nam Nga Phúc".split()),
    *("Quý Sơn Tâm Thắng Thảo Thủy Tiến Trang Tuấn Vinh Yến".split()),
]
STATUSES = [  # (status, weight)
    (Petition.Status.RECEIVED, 6),
    (Petition.Status.CLASSIFIED, 8),
    (Petition.Status.RETURNED, 1),
    (Petition.Status.ASSIGNED, 22),
    (Petition.Status.ANSWERED, 6),
    (Petition.Status.CLOSED, 55),
    (Petition.Status.ROUTED_OUT, 2),
]
LEAD_WEIGHTS = {
    "Phòng Kinh tế": 35,
    "Phòng Văn hóa - Xã hội": 20,
    "Công an xã": 12,
    "Văn phòng HĐND và UBND": 10,
    "Trung tâm Phục vụ hành chính công": 8,
}
CLOSING_OUTCOMES = [
    Petition.Outcome.RESOLVED,
    Petition.Outcome.RESOLVED,
    Petition.Outcome.RESOLVED,
    Petition.Outcome.IN_PROGRESS,
    Petition.Outcome.SCHEDULED,
    Petition.Outcome.FORWARDED,
    Petition.Outcome.REJECTED,
]
WITH_ASSIGNMENT = {Petition.Status.ASSIGNED, Petition.Status.ANSWERED, Petition.Status.CLOSED}


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the p95 of 20 runs is the 19th fastest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Insert invented petitions and time the petition list in-process."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200_000)
        parser.add_argument("--runs", type=int, default=20, help="timed requests per page")
        parser.add_argument("--keep", action="store_true", help="keep the rows afterwards")
        parser.add_argument(
            "--force", action="store_true", help="run on a database holding other petitions"
        )
        parser.add_argument(
            "--explain", action="store_true", help="print the plans of the search queries"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, rows, runs, keep, force, explain, seed, **options):
        if Petition.objects.exclude(created_by__username=STAFF_USERNAME).exists() and not force:
            raise CommandError(
                "This database holds petitions that the benchmark did not create. Run it on "
                "an empty or a benchmark database (or pass --force)."
            )
        staff, department_user = self._users()
        existing = Petition.objects.filter(created_by=staff).count()
        if existing != rows:
            if existing:
                self._delete(staff)
            started = time.perf_counter()
            self._insert(rows, staff, random.Random(seed))
            self.stdout.write(
                f"inserted {rows:,} petitions in {time.perf_counter() - started:.0f} s"
            )
        else:
            self.stdout.write(f"reusing the {rows:,} benchmark petitions already here")
        self._analyze()
        try:
            self._measure(staff, department_user, runs)
            if explain:
                self._explain(staff)
        finally:
            if not keep:
                self._delete(staff)
                self.stdout.write("benchmark rows deleted (use --keep to keep them)")

    # --- Data -------------------------------------------------------------------------

    def _users(self) -> tuple[User, User]:
        staff, _ = User.objects.get_or_create(
            username=STAFF_USERNAME, defaults={"first_name": "Đo kiểm", "is_active": True}
        )
        staff.groups.add(Group.objects.get(name=Role.PARTY_BUILDING))
        member, _ = User.objects.get_or_create(
            username=DEPARTMENT_USERNAME, defaults={"first_name": "Đo kiểm Kinh tế"}
        )
        member.groups.add(Group.objects.get(name=Role.DEPARTMENT))
        Department.objects.get(name=DEPARTMENT_NAME).members.add(member)
        return staff, member

    def _units(self) -> list[ResidentialUnit]:
        if not ResidentialUnit.objects.exists():
            # The invented hamlets of the demo data.
            for order, name in enumerate(HAMLETS, start=1):
                ResidentialUnit.objects.create(kind="xom", name=name, order=order)
            for order, name in enumerate(BLOCKS, start=len(HAMLETS) + 1):
                ResidentialUnit.objects.create(kind="khoi", name=name, order=order)
        return list(ResidentialUnit.objects.all())

    def _insert(self, total: int, staff: User, rng: random.Random) -> None:
        today = timezone.localdate()
        topics = list(Topic.objects.order_by("order", "pk"))
        units = self._units()
        departments = list(Department.objects.filter(is_active=True))
        weights = [LEAD_WEIGHTS.get(d.name, 2) for d in departments]
        statuses, status_weights = zip(*STATUSES, strict=True)
        numbers = {c.year: c.last_number for c in ReceiptCounter.objects.all()}
        supporting_through = Assignment.supporting_departments.through

        for start in range(0, total, BATCH):
            petitions, plans = [], []
            for i in range(start, min(total, start + BATCH)):
                status = rng.choices(statuses, status_weights)[0]
                recent = status in (Petition.Status.ASSIGNED, Petition.Status.ANSWERED)
                received = today - timedelta(days=rng.randrange(90 if recent else 1095))
                numbers[received.year] = numbers.get(received.year, 0) + 1
                topic_index = rng.randrange(len(topics))
                unit = rng.choice(units)
                if i % RARE_WORD_EVERY == 7:
                    summary = f"Phản ánh tiếng ồn karaoke kéo dài đến khuya tại {unit}"
                else:
                    issue = rng.choice(ISSUES[topic_index % len(ISSUES)])
                    summary = f"{rng.choice(OPENINGS)} {issue} tại {unit}"
                name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                petition = Petition(
                    code=f"KN-{received.year}-{numbers[received.year]:06d}",
                    kind=Petition.Kind.COMPLAINT
                    if status == Petition.Status.ROUTED_OUT
                    else Petition.Kind.REQUEST,
                    summary=summary,
                    content=" ".join([f"{summary}.", *rng.sample(SENTENCES, 2)]),
                    topic=None if status == Petition.Status.RECEIVED else topics[topic_index],
                    urgency=Petition.Urgency.PRESSING
                    if rng.random() < 0.12
                    else Petition.Urgency.NORMAL,
                    petitioner_name=name,
                    petitioner_phone=f"09{rng.randrange(10**8):08d}",
                    petitioner_address=str(unit),
                    residential_unit=unit,
                    hide_identity=rng.random() < 0.05,
                    channel=rng.choice(Petition.Channel.values),
                    received_on=received,
                    status=status,
                    acknowledgement_due=received + timedelta(days=14),
                    acknowledged_on=received + timedelta(days=rng.randrange(3, 20))
                    if received + timedelta(days=20) < today or rng.random() < 0.5
                    else None,
                    created_by=staff,
                )
                if status in WITH_ASSIGNMENT:
                    assigned_on = min(today, received + timedelta(days=rng.randrange(1, 8)))
                    petition.lead_department = rng.choices(departments, weights)[0]
                    petition.deadline = assigned_on + timedelta(days=14)
                    plans.append((petition, assigned_on))
                if status == Petition.Status.CLOSED:
                    petition.outcome = rng.choice(CLOSING_OUTCOMES)
                    petition.closed_at = timezone.make_aware(
                        datetime.combine(min(today, petition.deadline), clock(9))
                    )
                    if petition.outcome == Petition.Outcome.SCHEDULED:
                        petition.scheduled_for = petition.deadline + timedelta(days=90)
                petition.refresh_search()
                petition.refresh_fingerprint()
                petitions.append(petition)
            with transaction.atomic():
                Petition.objects.bulk_create(petitions)
                assignments = [
                    self._assignment(petition, assigned_on, staff, rng)
                    for petition, assigned_on in plans
                ]
                Assignment.objects.bulk_create(assignments)
                supporting = []
                for assignment in assignments:
                    helper = rng.choice(departments)
                    if rng.random() < 0.1 and helper.pk != assignment.department_id:
                        supporting.append(
                            supporting_through(assignment_id=assignment.pk, department_id=helper.pk)
                        )
                supporting_through.objects.bulk_create(supporting)
            self.stdout.write(f"  {start + len(petitions):,}", ending="\r")
            self.stdout.flush()
        for year, last in numbers.items():
            ReceiptCounter.objects.update_or_create(year=year, defaults={"last_number": last})

    def _assignment(self, petition, assigned_on: date, staff, rng) -> Assignment:
        status = {
            Petition.Status.ASSIGNED: Assignment.Status.OPEN,
            Petition.Status.ANSWERED: Assignment.Status.ANSWERED,
            Petition.Status.CLOSED: Assignment.Status.ACCEPTED,
        }[petition.status]
        answered_at = None
        if status != Assignment.Status.OPEN:
            answered_on = min(timezone.localdate(), assigned_on + timedelta(rng.randrange(2, 20)))
            answered_at = timezone.make_aware(datetime.combine(answered_on, clock(15)))
        return Assignment(
            petition=petition,
            department=petition.lead_department,
            assigned_by=staff,
            assigned_on=assigned_on,
            deadline=petition.deadline,
            status=status,
            done_at=answered_at,
            done_on_time=answered_at.date() <= petition.deadline if answered_at else None,
        )

    def _analyze(self) -> None:
        tables = [Petition._meta.db_table, Assignment._meta.db_table]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                # VACUUM sets the visibility map: index-only scans for the page ids.
                cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
            else:
                cursor.execute(f"ANALYZE {tables[0]}")
                cursor.execute(f"ANALYZE {tables[1]}")

    def _delete(self, staff: User) -> None:
        """Delete what the benchmark inserted, in SQL: the ORM would load every row."""
        petitions = f"SELECT id FROM {Petition._meta.db_table} WHERE created_by_id = %s"
        assignments = (
            f"SELECT id FROM {Assignment._meta.db_table} WHERE petition_id IN ({petitions})"
        )
        steps = [
            (Assignment.supporting_departments.through, "assignment_id", assignments),
            (ExtensionRequest, "assignment_id", assignments),
            (Attachment, "petition_id", petitions),
            (Answer, "assignment_id", assignments),
            (Assignment, "petition_id", petitions),
            (PetitionEvent, "petition_id", petitions),
            (Petition, "id", petitions),
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            for model, column, subquery in steps:
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({subquery})",
                    [staff.pk],
                )

    # --- Measuring --------------------------------------------------------------------

    def _client(self, user: User) -> Client:
        hosts = [h for h in self._allowed_hosts() if "*" not in h and not h.startswith(".")]
        client = Client(HTTP_HOST=hosts[0] if hosts else "127.0.0.1")
        client.force_login(user)
        return client

    def _allowed_hosts(self) -> list[str]:
        from django.conf import settings

        return list(settings.ALLOWED_HOSTS)

    def _scenarios(self, staff, department_user):
        topic = Topic.objects.order_by("order", "pk")[1]
        department = Department.objects.get(name=DEPARTMENT_NAME)
        staff_client, department_client = self._client(staff), self._client(department_user)
        three = f"status=closed&topic={topic.pk}&department={department.pk}"
        return [
            ("unfiltered, page 1", staff_client, staff, ""),
            ("unfiltered, page 400", staff_client, staff, "page=400"),
            ("status = assigned", staff_client, staff, "status=assigned"),
            ("three filters", staff_client, staff, three),
            ("sort by deadline", staff_client, staff, "sort=deadline"),
            ("search, common term 'dat'", staff_client, staff, "q=dat"),
            ("search, rare term 'karaoke'", staff_client, staff, "q=karaoke"),
            ("search 'dat' + status = closed", staff_client, staff, "q=dat&status=closed"),
            ("department user's list", department_client, department_user, ""),
            ("department user, search 'dat'", department_client, department_user, "q=dat"),
            ("department inbox", department_client, department_user, None),
        ]

    def _measure(self, staff, department_user, runs: int) -> None:
        from django.conf import settings

        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is on: times include its overhead."))
        today = timezone.localdate()
        header = f"{'page':34} {'matches':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, client, user, query in self._scenarios(staff, department_user):
            url = "/petitions/inbox/" if query is None else f"/petitions/?{query}"
            matches = "-"
            if query is not None:
                params = dict(pair.split("=") for pair in query.split("&") if pair)
                params.pop("page", None)
                found = capped_count(filter_petitions(visible_petitions(user), params, user, today))
                matches = "10000+" if found is None else f"{found:,}"
            for _ in range(2):  # warm the caches
                self._get(client, url)
            with CaptureQueriesContext(connection) as captured:
                self._get(client, url)
            queries = len(captured)  # read now: the next requests clear the query log
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                self._get(client, url)
                times.append((time.perf_counter() - started) * 1000)
            self.stdout.write(
                f"{label:34} {matches:>8} {statistics.median(times):10.1f} "
                f"{percentile(times, 0.95):8.1f} {queries:8d}"
            )

    def _get(self, client: Client, url: str) -> None:
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")

    def _explain(self, staff) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("EXPLAIN output is shown on PostgreSQL only.")
            return
        today = timezone.localdate()
        for query in ("dat", "karaoke"):
            petitions = filter_petitions(Petition.objects.all(), {"q": query}, staff, today)
            self.stdout.write(self.style.MIGRATE_HEADING(f"\nq={query}: ids of page 1"))
            self.stdout.write(petitions.values("pk")[:26].explain(analyze=True, buffers=True))
            self.stdout.write(self.style.MIGRATE_HEADING(f"\nq={query}: capped count"))
            sql, params = petitions.order_by().values("pk")[:10_001].query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"EXPLAIN (ANALYZE, BUFFERS) SELECT COUNT(*) FROM ({sql}) AS page", params
                )
                self.stdout.write("\n".join(row[0] for row in cursor.fetchall()))

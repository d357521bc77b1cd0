"""An invented province-sized data set, loaded with COPY.

Petitions in every status with their assignments in every state (open, answered, accepted,
declined, cancelled; some with supporting units and pending extension requests), answers,
the "received" event of each petition, hamlets and blocks, and dialogue sessions with their
agendas. Every name, hamlet and petition is invented.

The secondary indexes of the big tables are dropped and built again after the load, in the
same transaction (PostgreSQL's DDL is transactional): a failed load leaves the database as
it was. 1,000,000 petitions load in about four minutes on two cores.
"""

import hashlib
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as day_time
from functools import lru_cache

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from conclusions.demo.reference import BLOCKS, HAMLETS
from doluong_dialogue import tallies
from doluong_dialogue.text import fold_words
from petitions import search_keys
from petitions.models import (
    Answer,
    Assignment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionEvent,
    PetitionUnit,
    ReceiptCounter,
    ResidentialUnit,
    SearchKeys,
    Topic,
)
from petitions.permissions import Role
from sessions.models import AgendaItem, DialogueSession

RARE_WORD_EVERY = 20_000  # "karaoke": 50 petitions in 1,000,000
DEPARTMENT_NAME = "Phòng Kinh tế"
FRONT_UNIT_NAME = "Ủy ban MTTQ Việt Nam xã"
# username, roles, unit: the people the pages are measured as.
USERS = {
    "bench_bxd": ([Role.PARTY_BUILDING], "Ban Xây dựng Đảng"),
    "bench_vpdu": ([Role.PARTY_OFFICE], None),
    "bench_bithu": ([Role.SECRETARY], None),
    "bench_ubkt": ([Role.INSPECTION], None),
    "bench_kinhte": ([Role.DEPARTMENT], DEPARTMENT_NAME),
    "bench_mttq": ([Role.FRONT], FRONT_UNIT_NAME),
}
MORE_HAMLETS = 44  # the demo's 16 hamlets and blocks and "Xóm 1" … "Xóm 44"

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
ASSIGNMENT_STATUS = {
    Petition.Status.ASSIGNED: Assignment.Status.OPEN,
    Petition.Status.ANSWERED: Assignment.Status.ANSWERED,
    Petition.Status.CLOSED: Assignment.Status.ACCEPTED,
    Petition.Status.RETURNED: Assignment.Status.DECLINED,
}
ANSWER_TEXTS = [
    "Đơn vị đã kiểm tra thực tế và có phương án giải quyết trong quý tới.",
    "Nội dung kiến nghị đã được giải quyết, đề nghị thông báo cho cử tri.",
    "Đã phối hợp với xóm khắc phục; sẽ tiếp tục theo dõi.",
]
BIG_TABLES = [
    Petition._meta.db_table,
    Assignment._meta.db_table,
    Assignment.supporting_departments.through._meta.db_table,
    PetitionUnit._meta.db_table,
    Answer._meta.db_table,
    ExtensionRequest._meta.db_table,
    PetitionEvent._meta.db_table,
    SearchKeys._meta.db_table,
]


fold = lru_cache(maxsize=50_000)(fold_words)


class CopyTable:
    """The rows of one model, written with COPY in the order of its columns; a row names
    only what differs from the fields' defaults."""

    def __init__(self, model, cursor):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        now = timezone.now()
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = None if f.null else ""
        self.names = [f.attname for f in self.fields]
        table = model._meta.db_table
        self.copy = cursor.copy(f"COPY {table} ({', '.join(self.columns)}) FROM STDIN")
        self.stream = self.copy.__enter__()
        self.count = 0

    def write(self, **values) -> None:
        defaults = self.defaults
        self.stream.write_row([values.get(name, defaults[name]) for name in self.names])
        self.count += 1

    def close(self) -> None:
        self.copy.__exit__(None, None, None)


def next_id(cursor, model) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")
    return cursor.fetchone()[0]


def reset_sequence(cursor, model) -> None:
    table = model._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
    )


def users() -> dict[str, User]:
    """The benchmark's accounts, one per role the pages are measured as."""
    people = {}
    for username, (roles, unit) in USERS.items():
        user, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Đo kiểm", "last_name": username[6:]}
        )
        user.groups.add(*Group.objects.filter(name__in=roles))
        if unit:
            Department.objects.get(name=unit).members.add(user)
        people[username] = user
    return people


def units() -> list[ResidentialUnit]:
    if not ResidentialUnit.objects.exists():
        for order, name in enumerate(HAMLETS, start=1):
            ResidentialUnit.objects.create(kind="xom", name=name, order=order)
        for order, name in enumerate(BLOCKS, start=len(HAMLETS) + 1):
            ResidentialUnit.objects.create(kind="khoi", name=name, order=order)
        start = len(HAMLETS) + len(BLOCKS) + 1
        for n in range(1, MORE_HAMLETS + 1):
            ResidentialUnit.objects.create(kind="xom", name=str(n), order=start + n)
    return list(ResidentialUnit.objects.all())


def build(indexes: list[tuple[str, str, str]], out) -> None:
    """Create the indexes `_secondary_indexes` read (and the load dropped), one by one."""
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for name, definition, _table in indexes:
            step = time.perf_counter()
            cursor.execute(definition)
            out(f"  index {name} built in {time.perf_counter() - step:.0f} s")


def _build_key_indexes() -> float:
    step = time.perf_counter()
    try:
        search_keys.build_indexes()
    finally:
        connection.close()  # this thread's
    return time.perf_counter() - step


def _secondary_indexes(cursor) -> list[tuple[str, str, str]]:
    """(name, definition, table) of the big tables' indexes but their primary keys and
    unique ones."""
    cursor.execute(
        "SELECT i.indexname, i.indexdef, i.tablename FROM pg_indexes i "
        "JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
        "AND NOT x.indisunique AND NOT x.indisprimary",
        [BIG_TABLES],
    )
    return cursor.fetchall()


def load(total: int, *, seed: int, out=print) -> None:
    """Add `total` invented petitions (and what goes with them) to the database."""
    rng = random.Random(seed)
    people = users()
    staff = people["bench_bxd"]
    hamlets = units()
    today = timezone.localdate()
    now = timezone.now()
    topics = list(Topic.objects.order_by("order", "pk"))
    departments = list(Department.objects.filter(is_active=True))
    weights = [LEAD_WEIGHTS.get(d.name, 2) for d in departments]
    front = Department.objects.get(name=FRONT_UNIT_NAME)
    statuses, status_weights = zip(*STATUSES, strict=True)
    numbers = {c.year: c.last_number for c in ReceiptCounter.objects.all()}
    channels = [value for value, _label in Petition.Channel.intake_choices()]
    sentence_pairs = [(a, b) for a in SENTENCES for b in SENTENCES if a != b]
    topic_words = [fold(t.name) for t in topics]
    started = time.perf_counter()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            # The rows are made here with the keys they point to: a superuser skips the
            # foreign-key triggers (70 s for a million petitions).
            cursor.execute("SET LOCAL session_replication_role = replica")
        indexes = _secondary_indexes(cursor)
        for name, _definition, _table in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        through = Assignment.supporting_departments.through
        # Read before any COPY starts: a connection runs nothing else during a COPY.
        first_ids = {
            model: next_id(cursor, model)
            for model in (through, PetitionUnit, Answer, ExtensionRequest, PetitionEvent)
        }
        petition_id = next_id(cursor, Petition)
        assignment_id = next_id(cursor, Assignment)
        petitions = CopyTable(Petition, cursor)
        # One COPY at a time on a connection: the rows that hang off the petitions wait in
        # lists of plain tuples and are copied after.
        later_assignments, later_supporting, later_answers = [], [], []
        later_extensions, later_events, later_submitted = [], [], []
        for i in range(total):
            status = rng.choices(statuses, status_weights)[0]
            recent = status in (Petition.Status.ASSIGNED, Petition.Status.ANSWERED)
            received = today - timedelta(days=rng.randrange(90 if recent else 1095))
            numbers[received.year] = numbers.get(received.year, 0) + 1
            code = f"KN-{received.year}-{numbers[received.year]:06d}"
            topic_index = rng.randrange(len(topics))
            unit = rng.choice(hamlets)
            unit_name = str(unit)
            if i % RARE_WORD_EVERY == 7:
                summary = f"Phản ánh tiếng ồn karaoke kéo dài đến khuya tại {unit_name}"
            else:
                issue = rng.choice(ISSUES[topic_index % len(ISSUES)])
                summary = f"{rng.choice(OPENINGS)} {issue} tại {unit_name}"
            pair = rng.choice(sentence_pairs)
            content = f"{summary}. {pair[0]} {pair[1]}"
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            phone = f"09{rng.randrange(10**8):08d}"
            channel = rng.choice(channels)
            has_topic = status != Petition.Status.RECEIVED
            folded_summary = fold(summary)
            values = {
                "id": petition_id,
                "code": code,
                "kind": Petition.Kind.COMPLAINT
                if status == Petition.Status.ROUTED_OUT
                else Petition.Kind.REQUEST,
                "summary": summary,
                "content": content,
                "topic_id": topics[topic_index].pk if has_topic else None,
                "urgency": Petition.Urgency.PRESSING
                if rng.random() < 0.12
                else Petition.Urgency.NORMAL,
                "petitioner_name": name,
                "petitioner_phone": phone,
                "petitioner_address": unit_name,
                "residential_unit_id": unit.pk,
                "hide_identity": rng.random() < 0.05,
                "channel": channel,
                "submitted_by_department_id": front.pk if channel == "front" else None,
                "received_on": received,
                "status": status,
                "acknowledgement_due": received + timedelta(days=14),
                "acknowledged_on": received + timedelta(days=rng.randrange(3, 20))
                if received + timedelta(days=20) < today or rng.random() < 0.5
                else None,
                "search_text": " ".join(
                    [
                        fold(code),
                        folded_summary,
                        folded_summary,
                        fold(f"{pair[0]} {pair[1]}"),
                        topic_words[topic_index] if has_topic else "",
                    ]
                ).strip(),
                "search_person": f"{fold(name)} {phone} {fold(unit_name)}",
                "intake_fingerprint": hashlib.sha256(
                    f"{fold(name)}\n{folded_summary} {fold(f'{pair[0]} {pair[1]}')}".encode()
                ).hexdigest(),
                "created_by_id": staff.pk,
                "created_at": now,
                "updated_at": now,
            }
            if status in WITH_ASSIGNMENT or status == Petition.Status.RETURNED:
                assigned_on = min(today, received + timedelta(days=rng.randrange(1, 8)))
                lead = rng.choices(departments, weights)[0]
                deadline = assigned_on + timedelta(days=14)
                a_status = ASSIGNMENT_STATUS[status]
                # The petition's topic and hamlet, as the triggers copy them
                # (PETITION_OF_ASSIGNMENT).
                place = (values["topic_id"], values["residential_unit_id"])
                done_at = None
                if a_status != Assignment.Status.OPEN:
                    done_on = min(today, assigned_on + timedelta(rng.randrange(2, 20)))
                    done_at = timezone.make_aware(datetime.combine(done_on, day_time(15)))
                if status != Petition.Status.RETURNED:
                    values["lead_department_id"] = lead.pk
                    values["deadline"] = deadline
                if status == Petition.Status.CLOSED:
                    if rng.random() < 0.05:  # an earlier assignment, cancelled
                        later_assignments.append(
                            (
                                assignment_id,
                                petition_id,
                                rng.choice(departments).pk,
                                assigned_on,
                                deadline,
                                Assignment.Status.CANCELLED,
                                None,
                                place,
                            )
                        )
                        assignment_id += 1
                    outcome = rng.choice(CLOSING_OUTCOMES)
                    values["outcome"] = outcome
                    values["closed_at"] = timezone.make_aware(
                        datetime.combine(min(today, deadline), day_time(9))
                    )
                    if outcome == Petition.Outcome.SCHEDULED:
                        values["scheduled_for"] = deadline + timedelta(days=90)
                later_assignments.append(
                    (
                        assignment_id,
                        petition_id,
                        lead.pk,
                        assigned_on,
                        deadline,
                        a_status,
                        done_at,
                        place,
                    )
                )
                helper = rng.choice(departments)
                if rng.random() < 0.1 and helper.pk != lead.pk:
                    later_supporting.append((assignment_id, helper.pk, petition_id))
                if a_status in (Assignment.Status.ANSWERED, Assignment.Status.ACCEPTED):
                    later_answers.append((assignment_id, done_at, a_status))
                if a_status == Assignment.Status.OPEN and rng.random() < 0.08:
                    # One request in eight still waits for its decision; the rest were
                    # refused (staff decide within days).
                    later_extensions.append(
                        (assignment_id, deadline + timedelta(days=10), rng.random() < 0.125)
                    )
                assignment_id += 1
            petitions.write(**values)
            later_events.append((petition_id, received))
            if values["submitted_by_department_id"]:
                later_submitted.append(petition_id)
            petition_id += 1
            if i % 10_000 == 0:
                out(f"  {i:,} petitions …")
        petitions.close()
        out(f"  petitions copied in {time.perf_counter() - started:.0f} s")

        table = CopyTable(Assignment, cursor)
        for row in later_assignments:
            pk, petition, lead, assigned_on, deadline, a_status, done_at, place = row
            table.write(
                id=pk,
                petition_id=petition,
                department_id=lead,
                assigned_by_id=staff.pk,
                assigned_on=assigned_on,
                deadline=deadline,
                working_days=10,
                status=a_status,
                done_at=done_at,
                done_on_time=done_at.date() <= deadline if done_at else None,
                declined_reason="Không thuộc thẩm quyền"
                if a_status == Assignment.Status.DECLINED
                else "",
                created_at=now,
                petition_topic_id=place[0],
                petition_hamlet_id=place[1],
            )
        table.close()
        table = CopyTable(through, cursor)
        for pk, (assignment, department, _petition) in enumerate(
            later_supporting, start=first_ids[through]
        ):
            table.write(id=pk, assignment_id=assignment, department_id=department)
        table.close()
        table = CopyTable(PetitionUnit, cursor)
        unit_id = first_ids[PetitionUnit]
        # The copies of the assignment's state the triggers would write (UNIT_STATE).
        states, petition_of = {}, {}
        for pk, petition, lead, _assigned_on, deadline, a_status, done_at, _p in later_assignments:
            petition_of[pk] = petition
            states[pk] = {
                "assignment_lead_id": lead,
                "assignment_status": a_status,
                "deadline": deadline,
                "done_at": done_at,
            }
            table.write(
                id=unit_id,
                assignment_id=pk,
                petition_id=petition,
                department_id=lead,
                role=PetitionUnit.Role.LEAD,
                **states[pk],
            )
            unit_id += 1
        for assignment, department, petition in later_supporting:
            table.write(
                id=unit_id,
                assignment_id=assignment,
                petition_id=petition,
                department_id=department,
                role=PetitionUnit.Role.SUPPORTING,
                **states[assignment],
            )
            unit_id += 1
        for petition in later_submitted:
            table.write(
                id=unit_id,
                petition_id=petition,
                department_id=front.pk,
                role=PetitionUnit.Role.SUBMITTED,
            )
            unit_id += 1
        table.close()
        table = CopyTable(Answer, cursor)
        for pk, (assignment, done_at, a_status) in enumerate(
            later_answers, start=first_ids[Answer]
        ):
            table.write(
                id=pk,
                assignment_id=assignment,
                text=rng.choice(ANSWER_TEXTS),
                author_id=staff.pk,
                created_at=done_at,
                status=Answer.Status.ACCEPTED
                if a_status == Assignment.Status.ACCEPTED
                else Answer.Status.SUBMITTED,
            )
        table.close()
        table = CopyTable(ExtensionRequest, cursor)
        for pk, (assignment, requested, pending) in enumerate(
            later_extensions, start=first_ids[ExtensionRequest]
        ):
            table.write(
                id=pk,
                assignment_id=assignment,
                # The copies the triggers would write (EXTENSION_STATE).
                assignment_petition_id=petition_of[assignment],
                assignment_status=states[assignment]["assignment_status"],
                requested_deadline=requested,
                reason="Cần thêm thời gian kiểm tra thực tế.",
                requested_by_id=people["bench_kinhte"].pk,
                requested_at=now,
                status=ExtensionRequest.Status.PENDING
                if pending
                else ExtensionRequest.Status.REFUSED,
                decided_by_id=None if pending else staff.pk,
                decided_at=None if pending else now,
            )
        table.close()
        table = CopyTable(PetitionEvent, cursor)
        for pk, (petition, received) in enumerate(later_events, start=first_ids[PetitionEvent]):
            table.write(
                id=pk,
                petition_id=petition,
                kind=PetitionEvent.Kind.RECEIVED,
                actor_id=staff.pk,
                created_at=timezone.make_aware(datetime.combine(received, day_time(8))),
                to_status=Petition.Status.RECEIVED,
            )
        table.close()
        out(f"  all rows copied in {time.perf_counter() - started:.0f} s")
        for model in (
            Petition,
            Assignment,
            through,
            PetitionUnit,
            Answer,
            ExtensionRequest,
            PetitionEvent,
        ):
            reset_sequence(cursor, model)
        # The foreign-key checks deferred to the commit are made now, before it.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        for year, last in numbers.items():
            ReceiptCounter.objects.update_or_create(year=year, defaults={"last_number": last})
    out(f"  foreign keys checked at {time.perf_counter() - started:.0f} s")
    # COPY under session_replication_role = replica fired no trigger: the search keys
    # (petitions.models.SearchKeys) are written by two connections (each petition's
    # petition-unit rows read by their index, built first), then their indexes are built by
    # a third while this one builds the others (two cores busy throughout).
    keys_first = [
        i for i in indexes if i[2] == PetitionUnit._meta.db_table and "(petition_id)" in i[1]
    ]
    build(keys_first, out)
    step = time.perf_counter()
    search_keys.empty()
    search_keys.fill(workers=2)
    out(f"  search keys written in {time.perf_counter() - step:.0f} s")
    with ThreadPoolExecutor(max_workers=1) as pool:
        keys_indexed = pool.submit(_build_key_indexes)
        keys_own = {SearchKeys._meta.db_table}
        build([i for i in indexes if i not in keys_first and i[2] not in keys_own], out)
        out(f"  search keys indexed in {keys_indexed.result():.0f} s")
    sessions(staff, rng, today)
    # Nor the tallies' triggers: the tallies of the home pages are recounted from the rows
    # loaded, as the nightly check would.
    tallies.recount(quiet=True)
    tallies.compact()
    vacuum()
    out(f"loaded {total:,} petitions in {time.perf_counter() - started:.0f} s")


def sessions(staff: User, rng: random.Random, today: date) -> None:
    """Two sessions a year for three years (held and concluded ones, and one being prepared),
    each with 30 petitions on its agenda."""
    statuses = [DialogueSession.Status.CONCLUDED] * 5 + [DialogueSession.Status.ANNOUNCED]
    first = Petition.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    last = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for n, status in enumerate(statuses):
        held = today - timedelta(days=180 * (len(statuses) - 1 - n) - 20 * (n == 5))
        session = DialogueSession.objects.create(
            title=f"Hội nghị đối thoại lần {n + 1}",
            kind=DialogueSession.Kind.PERIODIC,
            year=held.year,
            half_year=1 if held.month <= 6 else 2,
            held_on=held,
            location="Hội trường Đảng ủy",
            status=status,
            created_by=staff,
        )
        chosen = sorted({rng.randint(first, last) for _ in range(30)})
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, petition_id=pk, order=k, added_by=staff)
            for k, pk in enumerate(chosen, start=1)
        )


def vacuum() -> None:
    """VACUUM sets the visibility map (index-only scans) and ANALYZE the statistics."""
    with connection.cursor() as cursor:
        for table in [*BIG_TABLES, tallies.TABLE]:
            cursor.execute(f"VACUUM ANALYZE {table}")


def loaded() -> int:
    return Petition.objects.filter(created_by__username="bench_bxd").count()

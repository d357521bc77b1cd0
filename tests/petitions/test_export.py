from datetime import date, datetime
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from petitions import exports, services
from petitions.models import Assignment, Petition, Topic
from tests.factories import PetitionFactory, ResidentialUnitFactory

pytestmark = pytest.mark.django_db

EXPORT = reverse("petitions:export")
HEADER = [
    "Số tiếp nhận",
    "Ngày tiếp nhận",
    "Người kiến nghị",
    "Xóm, khối",
    "Tóm tắt nội dung",
    "Lĩnh vực",
    "Mức độ",
    "Tiếp nhận qua",
    "Cơ quan chủ trì",
    "Thời hạn",
    "Trạng thái",
    "Số ngày làm việc quá hạn",
]


def sheet_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith('attachment; filename="kien-nghi-')
    sheet = load_workbook(BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def assigned(staff, department, **fields) -> Petition:
    petition = PetitionFactory(created_by=staff, **fields)
    services.petition_classify(
        petition=petition, actor=staff, topic=Topic.objects.all()[1], urgency="pressing"
    )
    services.petition_assign(petition=petition, actor=staff, department=department)
    petition.refresh_from_db()
    return petition


def test_export_has_a_vietnamese_header_and_one_row_per_petition(client, staff, department, clock):
    clock.set(date(2026, 12, 3))  # a Thursday
    unit = ResidentialUnitFactory(name="Yên Thịnh")
    petition = assigned(
        staff,
        department,
        petitioner_name="Nguyễn Văn Thưởng",
        residential_unit=unit,
        received_on=date(2026, 11, 2),
        summary="Tranh chấp đất đai",
    )
    late = date(2026, 11, 30)  # Monday: three working days ago
    Petition.objects.filter(pk=petition.pk).update(deadline=late)
    Assignment.objects.filter(petition=petition).update(deadline=late)
    client.force_login(staff)

    header, row = sheet_rows(client.get(EXPORT))
    assert header == HEADER
    assert row[0] == petition.code
    assert row[1] == datetime(2026, 11, 2)
    assert row[2] == "Nguyễn Văn Thưởng"
    assert row[3] == "Xóm Yên Thịnh"
    assert row[4] == "Tranh chấp đất đai"
    assert row[5] == "Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng"
    assert row[6] == "Bức xúc, nổi cộm"
    assert row[7] == "Ủy ban MTTQ"
    assert row[8] == "Phòng Kinh tế"
    assert row[9] == datetime.combine(late, datetime.min.time())
    assert row[10] == "Đã giao"
    assert row[11] == 3


def test_export_dates_are_shown_day_first(client, staff):
    PetitionFactory(received_on=date(2026, 3, 5))
    client.force_login(staff)
    response = client.get(EXPORT)
    sheet = load_workbook(BytesIO(response.getvalue())).active
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    assert sheet["B2"].value == datetime(2026, 3, 5)


def test_export_follows_the_filters_and_the_sort(client, staff):
    older = PetitionFactory(channel=Petition.Channel.DIRECT, received_on=date(2026, 10, 1))
    newer = PetitionFactory(channel=Petition.Channel.DIRECT, received_on=date(2026, 11, 1))
    PetitionFactory(channel=Petition.Channel.FRONT)
    client.force_login(staff)
    rows = sheet_rows(client.get(EXPORT, {"channel": "direct", "sort": "received_asc"}))
    assert [row[0] for row in rows[1:]] == [older.code, newer.code]


def test_department_user_exports_only_their_petitions_with_hidden_identities_masked(
    client, staff, dept_user, department, other_department
):
    hidden = assigned(staff, department, petitioner_name="Lê Đình Hòe", hide_identity=True)
    shown = assigned(staff, department, petitioner_name="Trần Thị Lài")
    theirs = assigned(staff, other_department)
    client.force_login(dept_user)
    rows = {row[0]: row for row in sheet_rows(client.get(EXPORT))[1:]}
    assert set(rows) == {hidden.code, shown.code}
    assert theirs.code not in rows
    assert rows[hidden.code][2] == "Đã giữ bí mật"
    assert rows[shown.code][2] == "Trần Thị Lài"
    # Searching the hidden name exports nothing either.
    assert sheet_rows(client.get(EXPORT, {"q": "le dinh hoe"}))[1:] == []


def test_export_of_too_many_rows_is_refused_with_a_message(client, staff, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 2)
    for _ in range(3):
        PetitionFactory(channel=Petition.Channel.DIRECT)
    client.force_login(staff)
    response = client.get(EXPORT, {"channel": "direct", "page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('petitions:list')}?channel=direct"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Có hơn 2 kiến nghị khớp bộ lọc")


def test_export_queries_do_not_grow_with_the_rows(client, staff, django_assert_num_queries):
    client.force_login(staff)
    for _ in range(3):
        PetitionFactory(residential_unit=ResidentialUnitFactory())
    # session, user, roles, topics, departments, units, calendar, capped count, rows
    with django_assert_num_queries(9) as small:
        client.get(EXPORT)
    for _ in range(40):
        PetitionFactory(residential_unit=ResidentialUnitFactory())
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(EXPORT)
    assert len(sheet_rows(response)) == 44


def test_anonymous_visitors_cannot_export(client):
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


FORMULAS = [
    '=HYPERLINK("http://example.invalid/x","Bấm vào đây")',
    "+84 912 000 000",
    "-1+1",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", FORMULAS)
def test_every_text_cell_is_written_as_text_never_as_a_formula(client, staff, payload):
    PetitionFactory(created_by=staff, summary=payload, petitioner_name=payload)
    client.force_login(staff)
    response = client.get(EXPORT)
    sheet = load_workbook(BytesIO(response.getvalue())).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    # The standard library's XML reads a carriage return back as a line feed; lxml (which
    # openpyxl uses when it is installed) keeps it.
    texts = [cell for cell in cells if cell.value in {payload, payload.replace("\r", "\n")}]
    assert len(texts) == 2  # the summary and the petitioner, as typed
    for cell in texts:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert not any(cell.data_type == "f" for cell in cells)

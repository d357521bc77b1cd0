"""A visitor's ID number is personal data (Nghị định 13/2023/NĐ-CP): the reception staff
(Party Office), the Secretary and Ban Xây dựng Đảng see it; every other reader sees it masked;
no export but the register itself carries it."""

import subprocess
from datetime import time
from io import BytesIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from petitions import services
from petitions.models import Petition
from sessions import reception
from sessions.models import ReceptionVisit
from tests.factories import TopicFactory, UserFactory
from tests.sessions.helpers import TODAY

pytestmark = pytest.mark.django_db

ID_NUMBER = "040123456789"
MASKED = "••••••••6789"


@pytest.fixture
def visit(clock, office):
    clock.set(TODAY)
    day = reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=office
    )
    return reception.reception_visit_record(
        day=day,
        data=reception.VisitData(
            visitor_name="Nguyễn Văn Bình",
            visitor_address="Xóm Yên Thịnh",
            id_number="040 123 456 789",
            content="Đề nghị sửa đường giao thông nội đồng xóm Yên Thịnh",
            kind=ReceptionVisit.Kind.PROPOSAL,
        ),
        actor=office,
    )


def test_the_id_number_is_kept_as_digits_and_masked_to_its_last_four():
    assert reception.mask_id_number(ID_NUMBER) == MASKED
    assert reception.mask_id_number("123456789") == "•••••6789"
    assert reception.mask_id_number("") == ""


def test_the_id_number_is_stored_in_the_register_line_only(visit):
    """Whatever is built from the petitions (their pages, exports, letters, the dossier, the
    public pages) cannot show what is not in them."""
    assert visit.id_number == ID_NUMBER
    for model in apps.get_models():
        if model is ReceptionVisit:
            continue
        texts = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if texts:
            stored = str(list(model.objects.values_list(*texts)))
            assert ID_NUMBER[-6:] not in stored, model


@pytest.mark.parametrize(
    ("username", "sees"),
    [("office", True), ("secretary", True), ("staff", True), ("inspector", False)],
)
def test_who_sees_the_id_number_on_the_register_page(client, visit, request, username, sees):
    client.force_login(request.getfixturevalue(username))
    page = client.get(reverse("sessions:reception_day", args=[visit.day.pk])).content.decode()
    assert (ID_NUMBER in page) is sees
    assert (MASKED in page) is not sees


def test_a_deputy_secretary_reads_the_register_with_the_id_number_masked(client, visit):
    deputy = UserFactory(username="pbt_test", roles=["deputy_secretary"])
    client.force_login(deputy)
    page = client.get(reverse("sessions:reception_day", args=[visit.day.pk])).content.decode()
    assert ID_NUMBER not in page and MASKED in page


def _register_cells(client) -> list:
    response = client.get(reverse("sessions:reception_xlsx"), {"year": 2026, "month": 11})
    sheet = load_workbook(BytesIO(response.content)).active
    return [value for row in sheet.iter_rows(values_only=True) for value in row]


def _register_text(client, tmp_path) -> str:
    response = client.get(reverse("sessions:reception_pdf"), {"year": 2026, "month": 11})
    target = tmp_path / "so.pdf"
    target.write_bytes(response.content)
    return subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_register_export_carries_the_id_number_for_the_reception_staff(
    client, visit, office, tmp_path
):
    client.force_login(office)
    assert "Xóm Yên Thịnh; " + ID_NUMBER in _register_cells(client)
    assert ID_NUMBER in _register_text(client, tmp_path)


def test_the_register_export_masks_the_id_number_for_the_inspection_committee(
    client, visit, inspector, tmp_path
):
    client.force_login(inspector)
    cells = _register_cells(client)
    assert "Xóm Yên Thịnh; " + MASKED in cells
    assert not any(ID_NUMBER in str(cell) for cell in cells)
    assert ID_NUMBER not in _register_text(client, tmp_path)


def test_the_petitions_export_carries_no_id_number(client, visit, staff):
    client.force_login(staff)
    response = client.get(reverse("petitions:export"))
    content = b"".join(response.streaming_content)
    cells = [
        str(value)
        for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)
        for value in row
    ]
    assert visit.petition.code in cells
    assert not any(ID_NUMBER[-6:] in cell for cell in cells)


def test_the_petition_page_of_the_unit_it_is_assigned_to_carries_no_id_number(
    client, visit, staff, dept_user, department
):
    petition = services.petition_classify(
        petition=visit.petition, actor=staff, topic=TopicFactory(), urgency="normal"
    )
    services.petition_assign(petition=petition, actor=staff, department=department)
    client.force_login(dept_user)
    page = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert page.status_code == 200
    assert visit.petition.code in page.content.decode()
    assert ID_NUMBER[-6:] not in page.content.decode()
    client.force_login(staff)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert ID_NUMBER[-6:] not in page


def test_the_public_pages_carry_no_personal_data(client, visit):
    # The lookup is throttled per address in the cache: start with this test's own count.
    cache.clear()
    schedule = client.get("/lich-tiep-dan/").content.decode()
    assert "Trụ sở Đảng ủy xã" in schedule
    assert "Nguyễn Văn Bình" not in schedule and ID_NUMBER not in schedule
    found = client.post(reverse("public:lookup"), {"code": visit.petition.code})
    assert found.status_code == 200
    assert ID_NUMBER[-6:] not in found.content.decode()
    assert Petition.objects.filter(pk=visit.petition.pk).exists()

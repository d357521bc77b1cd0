"""The limits of a petition's texts are the model's: the intake forms and the importer read
them from there, so a change to the model changes them everywhere."""

from datetime import date

import pytest

from petitions.forms import PetitionForm, QuickEntryForm
from petitions.importing import mapping, planning
from petitions.models import Petition
from tests.petitions.import_files import HEADER, workbook_bytes

pytestmark = pytest.mark.django_db

LIMITED_FIELDS = ("summary", "content", "petitioner_name", "petitioner_phone", "petitioner_address")


def model_limit(field: str) -> int:
    return Petition._meta.get_field(field).max_length


def prepare(rows):
    return planning.prepare(
        workbook_bytes([HEADER, *rows]),
        channel=Petition.Channel.FRONT,
        received_on=date(2026, 6, 1),
    )


def test_the_content_of_a_petition_is_limited_on_the_model():
    assert model_limit("content") == 10_000


@pytest.mark.parametrize("form_class", [PetitionForm, QuickEntryForm])
def test_the_intake_forms_take_their_limits_from_the_model(form_class):
    limits = {field: form_class.base_fields[field].limit for field in LIMITED_FIELDS}

    assert limits == {field: model_limit(field) for field in LIMITED_FIELDS}


def test_the_importer_reports_a_name_over_the_models_limit(staff, monkeypatch):
    monkeypatch.setattr(Petition._meta.get_field("petitioner_name"), "max_length", 20)

    plan = prepare([[1, "Nguyễn Thị Phương Thảo Linh", "", "Đường hỏng.", "Giao thông"]])

    assert [str(error) for error in plan.errors] == [
        "Dòng 2, cột «Họ và tên người kiến nghị»: nội dung quá dài (27 ký tự; tối đa 20 ký tự)"
    ]


def test_the_importer_reports_a_content_over_the_models_limit(staff):
    too_long = "Đường hỏng. " + "x" * model_limit("content")

    plan = prepare([[1, "Lê Văn Bảy", "", too_long, "Giao thông"]])

    assert [error.column for error in plan.errors] == ["Nội dung ý kiến, kiến nghị"]
    assert "tối đa 10.000 ký tự" in plan.errors[0].message


def test_an_address_is_measured_as_it_is_stored_with_its_lines_joined(staff):
    limit = model_limit("petitioner_address")
    # Two lines that fit the cell's limit become one line, joined by ", ", that does not.
    address = "Xóm Yên Thành\n" + "x" * (limit - len("Xóm Yên Thành\n"))

    plan = prepare([[1, "Lê Văn Bảy", address, "Đường hỏng.", "Giao thông"]])

    assert [error.column for error in plan.errors] == ["Địa chỉ (xóm, khối)"]


def test_the_imported_summary_is_cut_within_the_models_limit(monkeypatch):
    monkeypatch.setattr(Petition._meta.get_field("summary"), "max_length", 40)

    summary = mapping.summary_of("Đề nghị sửa chữa đường liên xóm từ ngã ba chợ đi xóm Đông Hồ")

    assert summary == "Đề nghị sửa chữa đường liên xóm từ ngã…"
    assert len(summary) <= 40

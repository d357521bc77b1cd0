"""Excel lists for the import tests: the Front's sample and small lists built in place."""

import io
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

# A copy of shared/samples/tong-hop-kien-nghi-mttq-6-thang-dau-2026.xlsx (invented data), as
# the Front hands such lists over.
SAMPLE = Path(__file__).parent / "files" / "tong-hop-kien-nghi-mttq-6-thang-dau-2026.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "STT",
    "Họ và tên người kiến nghị",
    "Địa chỉ (xóm, khối)",
    "Nội dung ý kiến, kiến nghị",
    "Lĩnh vực",
    "Đề nghị cơ quan giải quyết",
    "Ghi chú",
]


def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


def workbook_bytes(rows, *, title="Danh sách", merges=()) -> bytes:
    """A small list built the way people build them: rows of cells from A1 down."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(data: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


# The agencies the sample names to lead; a unit is assigned work only if it has a member.
SAMPLE_LEADS = (
    "Phòng Kinh tế",
    "Văn phòng HĐND và UBND",
    "Phòng Văn hóa - Xã hội",
    "Công an xã",
    "Văn phòng Đảng ủy",
)


def give_each_a_member(names) -> None:
    from petitions.models import Department
    from petitions.permissions import Role
    from tests.factories import UserFactory

    for name in names:
        unit = Department.objects.get(name=name)
        UserFactory(username=f"member-{unit.pk}", roles=[Role.DEPARTMENT], departments=[unit])

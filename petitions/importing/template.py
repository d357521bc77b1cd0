"""The downloadable template: an empty list in the importer's own format, with the
commune's reference data on a second sheet and the instructions on a third."""

import io

from doluong_dialogue import spreadsheets
from petitions.importing.reader import (
    ADDRESS,
    CONFIDENTIAL,
    CONTENT,
    DEPARTMENTS,
    NOTE,
    NUMBER,
    PEOPLE,
    PETITIONER,
    PHONE,
    TOPIC,
)
from petitions.models import Department, ResidentialUnit, Topic

# The order of the downloadable template.
TEMPLATE_COLUMNS = (
    NUMBER,
    PETITIONER,
    PHONE,
    ADDRESS,
    PEOPLE,
    CONTENT,
    TOPIC,
    DEPARTMENTS,
    CONFIDENTIAL,
    NOTE,
)

TEMPLATE_HEADER_ROW = 4
_TEMPLATE_WIDTHS = {
    "number": 6,
    "petitioner": 26,
    "phone": 14,
    "address": 20,
    "people": 9,
    "content": 60,
    "topic": 34,
    "departments": 32,
    "confidential": 11,
    "note": 24,
}
# Invented, like all demo data.
_TEMPLATE_EXAMPLE = {
    "number": "Ví dụ",
    "petitioner": "Cử tri xóm Yên Thành (ví dụ)",
    "phone": "0912 000 000",
    "address": "Xóm Yên Thành",
    "people": 12,
    "content": (
        "Đề nghị nạo vét kênh tưới tiêu nội đồng đoạn qua cánh đồng Cồn Trại.\n"
        "Hiện kênh bị bồi lấp, vụ Hè Thu không lấy được nước. (Dòng ví dụ, không được nhập.)"
    ),
    "topic": "Giao thông, thủy lợi, điện, nước",
    "departments": "Phòng Kinh tế; Văn phòng HĐND và UBND",
    "confidential": "",
    "note": "12 hộ cùng ý kiến",
}
# The template is a document handed to the Front, written in Vietnamese like the lists.
_TEMPLATE_INSTRUCTIONS = (
    "HƯỚNG DẪN LẬP DANH SÁCH KIẾN NGHỊ ĐỂ NHẬP VÀO PHẦN MỀM",
    "",
    "1. Mỗi kiến nghị ghi trên một dòng của trang «Danh sách kiến nghị», bắt đầu từ dòng 6. "
    "Dòng «Ví dụ» không được nhập; có thể xóa hoặc để nguyên.",
    "2. Bắt buộc: «Họ và tên người kiến nghị» và «Nội dung ý kiến, kiến nghị». Người kiến nghị có "
    "thể là một người, một nhóm («Cử tri xóm …», «Nhân dân khối …») hoặc một tổ chức («Hội Nông "
    "dân xã», «Chi bộ xóm …»).",
    "3. Nội dung có thể viết nhiều dòng trong một ô (Alt+Enter); câu đầu tiên được dùng làm "
    "trích yếu.",
    "4. «Lĩnh vực»: chọn trong danh sách hoặc ghi tên gọi quen dùng (ví dụ «Đất đai, GPMB»). "
    "Có thể chia bảng thành các mục «I. LĨNH VỰC KINH TẾ», «II. LĨNH VỰC VĂN HÓA - XÃ HỘI» … "
    "trên một dòng riêng.",
    "5. «Đề nghị cơ quan giải quyết»: ghi một hoặc nhiều cơ quan, cách nhau bằng dấu chấm phẩy "
    "(;). Cơ quan đầu tiên chủ trì, các cơ quan sau phối hợp. Ghi trong ngoặc cơ quan cụ thể: "
    "«UBND xã (Phòng Kinh tế)».",
    "6. «Địa chỉ (xóm, khối)»: ghi «Xóm …» hoặc «Khối …» như trong danh mục để thống kê theo "
    "địa bàn.",
    "7. «Số người»: số người, số hộ cùng kiến nghị (để trống nếu là một người). «Giữ bí mật»: "
    "đánh dấu x nếu người kiến nghị đề nghị giữ bí mật danh tính.",
    "8. Ngày lập danh sách ghi ở dòng 2 («…, ngày 12 tháng 5 năm 2026»); nếu để trống, phần "
    "mềm dùng ngày nhận chọn khi tải tệp lên.",
    "9. Nếu có dòng sai (thiếu nội dung, lĩnh vực hoặc cơ quan không nhận ra …), phần mềm báo "
    "từng dòng, từng cột và không nhập dòng nào; sửa rồi tải lên lại.",
    "",
    "Danh sách xóm, khối, lĩnh vực và cơ quan ở trang «Danh mục».",
)


def text_cell(sheet, row: int, column: int, value: str):
    """A cell that holds `value` as text, never as a formula: the names written into the
    template (topics, units, departments, the place) are edited by staff in the admin."""
    return spreadsheets.as_text(sheet.cell(row, column), value)


def build_template(*, place_name: str = "Đô Lương") -> bytes:
    """An empty list in the importer's own format, with the commune's reference data."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách kiến nghị"
    last_letter = get_column_letter(len(TEMPLATE_COLUMNS))
    sheet["A1"] = "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI VÀ NHÂN DÂN"
    sheet["A1"].font = Font(bold=True, size=13)
    text_cell(sheet, 2, 1, f"{place_name}, ngày …… tháng …… năm ………").font = Font(italic=True)
    sheet.merge_cells(f"A1:{last_letter}1")
    sheet.merge_cells(f"A2:{last_letter}2")
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(TEMPLATE_HEADER_ROW, index, column.title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
        sheet.column_dimensions[letter].width = _TEMPLATE_WIDTHS[column.key]
        example = sheet.cell(TEMPLATE_HEADER_ROW + 1, index, _TEMPLATE_EXAMPLE[column.key])
        example.font = Font(italic=True, color="808080")
        example.alignment = Alignment(wrap_text=True, vertical="top")
        example.border = border
    sheet.freeze_panes = sheet.cell(TEMPLATE_HEADER_ROW + 1, 1)

    lists = workbook.create_sheet("Danh mục")
    topics = [t.name for t in Topic.objects.filter(is_active=True)]
    units = [str(u) for u in ResidentialUnit.objects.filter(is_active=True)]
    departments = [d.name for d in Department.objects.active()]
    for index, (title, names) in enumerate(
        (("Lĩnh vực", topics), ("Xóm, khối", units), ("Cơ quan", departments)), start=1
    ):
        lists.cell(1, index, title).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(index)].width = 60 if index == 1 else 34
        for row, name in enumerate(names, start=2):
            text_cell(lists, row, index, name)

    first, last = TEMPLATE_HEADER_ROW + 2, TEMPLATE_HEADER_ROW + 1000
    position = {column.key: get_column_letter(i) for i, column in enumerate(TEMPLATE_COLUMNS, 1)}
    for key, list_letter, names in (
        ("topic", "A", topics),
        ("address", "B", units),
        ("departments", "C", departments),
    ):
        if not names:
            continue
        # A warning, not a stop: other names ("Đất đai, GPMB"), several agencies separated
        # by ";" and fuller addresses are accepted too.
        validation = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${list_letter}$2:${list_letter}${len(names) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if key == "topic" else "information",
            errorTitle="Kiểm tra lại",
            error="Tên này không có trong danh mục; phần mềm sẽ thử nhận theo tên gọi khác.",
        )
        validation.add(f"{position[key]}{first}:{position[key]}{last}")
        sheet.add_data_validation(validation)
    confidential = DataValidation(type="list", formula1='"x"', allow_blank=True)
    confidential.add(f"{position['confidential']}{first}:{position['confidential']}{last}")
    sheet.add_data_validation(confidential)
    people = DataValidation(type="whole", operator="between", formula1="1", formula2="100000")
    people.add(f"{position['people']}{first}:{position['people']}{last}")
    sheet.add_data_validation(people)

    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(_TEMPLATE_INSTRUCTIONS, start=1):
        cell = guide.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=13)
    workbook.active = 0

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

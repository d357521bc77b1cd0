"""Importing the Front's Excel lists: the sample as it comes, the template, bad files and rows,
who may import, and preview → confirm through the views."""

import io
from datetime import date, timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions.importing import batches, mapping, planning, template
from petitions.models import (
    Assignment,
    Department,
    ImportBatch,
    Petition,
    PetitionEvent,
    ResidentialUnit,
    Topic,
)
from petitions.permissions import Role, visible_petitions
from tests.factories import ResidentialUnitFactory, UserFactory
from tests.petitions.import_files import HEADER, XLSX, sample_bytes, upload, workbook_bytes

pytestmark = pytest.mark.django_db


def dept(name: str) -> Department:
    return Department.objects.get(name=name)


def topic(name: str) -> Topic:
    return Topic.objects.get(name=name)


@pytest.fixture
def front_member(front_user):
    dept("Ủy ban MTTQ Việt Nam xã").members.add(front_user)
    return front_user


@pytest.fixture
def sample_units(db):
    # The agencies the sample names can be assigned work: each has a member.
    for name in (
        "Phòng Kinh tế",
        "Văn phòng HĐND và UBND",
        "Phòng Văn hóa - Xã hội",
        "Công an xã",
        "Văn phòng Đảng ủy",
    ):
        UserFactory(username=f"member-{dept(name).pk}", departments=[dept(name)])
    return {
        "dong_ho": ResidentialUnitFactory(kind=ResidentialUnit.Kind.HAMLET, name="Đông Hồ"),
        "yen_thanh": ResidentialUnitFactory(kind=ResidentialUnit.Kind.HAMLET, name="Yên Thành"),
        "khoi_3": ResidentialUnitFactory(kind=ResidentialUnit.Kind.BLOCK, name="3"),
    }


def batch_of(data: bytes, actor, file_name: str = "tong-hop.xlsx", **options):
    """An upload waiting for confirmation, as the upload page keeps it."""
    return batches.import_batch_create(
        data=data,
        file_name=file_name,
        uploaded_by=actor,
        channel=options.get("channel", Petition.Channel.FRONT),
        received_on=options.get("received_on"),
        submitted_by=options.get("submitted_by"),
    )


def confirm_url(preview) -> str:
    return reverse("petitions:import_confirm", args=[preview.context["batch"].token])


def stored_file(preview) -> str:
    return f"imports/{preview.context['batch'].token}.xlsx"


def import_sample(actor, *, assign=False):
    plan = planning.prepare(
        sample_bytes(),
        channel=Petition.Channel.FRONT,
        submitted_by=dept("Ủy ban MTTQ Việt Nam xã"),
    )
    assert plan.errors == []
    planning.commit(plan, batch=batch_of(sample_bytes(), actor), actor=actor, assign=assign)
    return {p.petitioner_name: p for p in Petition.objects.all()}


# --- The Front's sample, as it comes ----------------------------------------------------


def test_the_front_sample_imports_twenty_petitions_dated_by_its_date_line(staff, sample_units):
    petitions = import_sample(staff)

    assert len(petitions) == 20
    assert {p.received_on for p in petitions.values()} == {date(2026, 5, 12)}
    assert {p.channel for p in petitions.values()} == {Petition.Channel.FRONT}
    assert {p.submitted_by_department.name for p in petitions.values()} == {
        "Ủy ban MTTQ Việt Nam xã"
    }
    assert all(p.code.startswith("KN-2026-") for p in petitions.values())


def test_the_sample_topics_map_to_the_communes_topics_by_name_or_other_name(staff, sample_units):
    petitions = import_sample(staff)

    assert petitions["Trần Thị Lài"].topic == topic(
        "Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng"
    )
    assert petitions["Hội Nông dân xã"].topic == topic(
        "Cơ chế, chính sách phát triển nông nghiệp, nông dân, nông thôn"
    )
    assert petitions["Phạm Văn Khiêm"].topic == topic(
        "Vệ sinh môi trường, phân loại, xử lý rác thải"
    )
    assert petitions["Trần Văn Hùng"].topic == topic(
        "Phòng chống tệ nạn xã hội: trộm cắp, cờ bạc, số đề, ma túy"
    )
    assert petitions["Lê Thị Mai"].topic == topic(
        "Thực hiện chức trách, nhiệm vụ của cán bộ, công chức"
    )
    # Every petition with a topic is classified at intake.
    assert {p.status for p in petitions.values()} == {Petition.Status.CLASSIFIED}


def test_the_sample_groups_organisations_people_count_and_hidden_identity(staff, sample_units):
    petitions = import_sample(staff)

    dong_ho = petitions["Cử tri xóm Đông Hồ"]
    assert dong_ho.is_group and dong_ho.people_count == 12
    assert dong_ho.residential_unit == sample_units["dong_ho"]
    for organisation in ("Hội Nông dân xã", "Hội Phụ nữ xã", "Đoàn Thanh niên xã"):
        assert petitions[organisation].is_group
    assert petitions["Cử tri khối 3"].residential_unit == sample_units["khoi_3"]
    assert not petitions["Nguyễn Văn Thưởng"].is_group
    assert petitions["Nguyễn Văn Thưởng"].residential_unit == sample_units["yen_thanh"]
    hidden = [p.petitioner_name for p in petitions.values() if p.hide_identity]
    assert hidden == ["Trần Văn Hùng"]  # Excel row 28: "Đề nghị giữ bí mật người phản ánh"


def test_the_sample_keeps_multi_line_content_whole_and_summarises_its_first_sentence(
    staff, sample_units
):
    petitions = import_sample(staff)

    lai = petitions["Trần Thị Lài"]
    assert lai.content == (
        "Đề nghị làm rõ tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ sơ "
        "từ năm 2024 nhưng đến nay chưa được cấp.\n"
        "Gia đình đã nhiều lần hỏi nhưng chưa được trả lời."
    )
    assert lai.summary == (
        "Đề nghị làm rõ tiến độ cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã nộp hồ sơ "
        "từ năm 2024 nhưng đến nay chưa được cấp."
    )
    assert all(len(p.summary) <= 300 for p in petitions.values())


def test_the_sample_assigns_the_first_agency_to_lead_and_the_others_to_support(staff, sample_units):
    petitions = import_sample(staff, assign=True)

    def departments(name):
        assignment = Assignment.objects.get(petition=petitions[name])
        return assignment.department.name, sorted(
            d.name for d in assignment.supporting_departments.all()
        )

    # "UBND xã (Phòng Kinh tế)": the parenthesis names the more specific agency.
    assert departments("Nguyễn Văn Thưởng") == ("Phòng Kinh tế", [])
    assert departments("Lê Đình Hòe") == ("Văn phòng HĐND và UBND", [])
    assert departments("Hội Phụ nữ xã") == ("Phòng Văn hóa - Xã hội", ["Công an xã"])
    assert departments("Hội Cựu chiến binh xã") == ("Công an xã", ["Văn phòng HĐND và UBND"])
    assert departments("Lê Thị Mai") == ("Văn phòng HĐND và UBND", ["Ủy ban Kiểm tra Đảng ủy"])
    assert Petition.objects.filter(status=Petition.Status.ASSIGNED).count() == 20
    assert all(p.deadline for p in Petition.objects.all())


def test_unknown_hamlets_are_warnings_that_keep_the_address_text(staff):
    plan = planning.prepare(sample_bytes(), channel=Petition.Channel.FRONT)

    assert plan.errors == []
    row_10 = next(p for p in plan.petitions if p.row == 10)
    assert row_10.data.residential_unit is None
    assert row_10.data.petitioner_address == "Xóm Yên Thành"
    assert any("«Xóm Yên Thành» không có trong danh mục xóm, khối" in w for w in row_10.warnings)


def test_the_note_of_a_row_is_kept_in_the_received_event(staff, sample_units):
    petitions = import_sample(staff)

    event = PetitionEvent.objects.get(
        petition=petitions["Cử tri xóm Đông Hồ"], kind=PetitionEvent.Kind.RECEIVED
    )
    assert event.note == "Nhập từ tệp «tong-hop.xlsx», dòng 11. Ghi chú: 12 hộ cùng ý kiến"


# --- Reading lists of other shapes -------------------------------------------------------


def test_columns_are_found_by_their_titles_in_any_order_below_any_header_block(staff):
    data = workbook_bytes(
        [
            ["HỘI NÔNG DÂN XÃ ĐÔ LƯƠNG"],
            [],
            ["Nội dung kiến nghị", "Cơ quan giải quyết", "Họ tên", "Xóm", "Lĩnh vực", "TT"],
            ["Đề nghị hỗ trợ giống ngô.", "Phòng Kinh tế", "Lê Văn Bảy", "", "Nông nghiệp", 1],
        ]
    )
    plan = planning.prepare(data, channel=Petition.Channel.FARMERS, received_on=date(2026, 6, 1))

    assert plan.errors == []
    (row,) = plan.petitions
    assert row.row == 4
    assert row.data.petitioner_name == "Lê Văn Bảy"
    assert row.lead == dept("Phòng Kinh tế")
    assert row.data.received_on == date(2026, 6, 1)
    assert not plan.date_from_file


def test_the_table_ends_at_the_signature_block_but_not_at_a_petition_that_looks_like_one(staff):
    data = workbook_bytes(
        [
            HEADER,
            ["", "Lê Văn Bảy", "", "Chủ tịch xã hẹn sửa đường nhưng chưa làm.", "Giao thông"],
            [],
            ["NGƯỜI TỔNG HỢP", "", "", "T/M BAN THƯỜNG TRỰC\nCHỦ TỊCH"],
            ["", "", "", "", "", ""],
            ["Nguyễn Thị Hoa", "", "", "Phan Văn Đức"],
        ]
    )
    plan = planning.prepare(data, channel=Petition.Channel.FRONT, received_on=date(2026, 6, 1))

    assert plan.errors == []
    assert [p.data.petitioner_name for p in plan.petitions] == ["Lê Văn Bảy"]


def test_a_topic_merged_down_over_several_rows_counts_for_each(staff):
    data = workbook_bytes(
        [
            HEADER,
            [1, "Lê Văn Bảy", "", "Đường hỏng.", "Giao thông", "UBND xã", ""],
            [2, "Lê Thị Tám", "", "Mương tắc.", None, "UBND xã", ""],
        ],
        merges=["E2:E3"],
    )
    plan = planning.prepare(data, channel=Petition.Channel.FRONT, received_on=date(2026, 6, 1))

    assert [p.data.topic.name for p in plan.petitions] == ["Giao thông, thủy lợi, điện, nước"] * 2


def test_the_section_row_settles_a_topic_the_cell_leaves_open(staff):
    mapper = mapping.Mapper()

    # "An toàn" alone could be food safety or traffic safety; the section decides.
    ambiguous, candidates = mapper.match_topic("An toàn")
    assert ambiguous is None and len(candidates) == 2
    settled, _ = mapper.match_topic("An toàn", Topic.Group.SECURITY_DEFENCE)
    assert settled == topic("An ninh trật tự, an toàn giao thông")
    # An empty topic cell under "IV. HOẠT ĐỘNG CỦA HỆ THỐNG CHÍNH TRỊ".
    assert mapper.topic_for_section("IV. HOẠT ĐỘNG CỦA HỆ THỐNG CHÍNH TRỊ") == topic(
        "Hoạt động của các tổ chức trong hệ thống chính trị"
    )
    assert mapper.topic_for_section("I. LĨNH VỰC KINH TẾ") is None


def test_a_topic_is_matched_by_its_best_word_overlap(staff):
    mapper = mapping.Mapper()

    found, _ = mapper.match_topic("Thủy lợi nội đồng")
    assert found == topic("Giao thông, thủy lợi, điện, nước")
    assert mapper.match_topic("Bầu cử") == (None, [])


def test_agencies_are_matched_by_name_other_name_and_parenthesis(staff):
    mapper = mapping.Mapper()

    found, unknown = mapper.match_departments(
        "Ủy ban nhân dân xã (Phòng Kinh tế, Phòng Văn hóa - Xã hội)\nHội Phụ nữ xã; UBND huyện"
    )
    assert [d.name for d in found] == [
        "Phòng Kinh tế",
        "Phòng Văn hóa - Xã hội",
        "Hội Liên hiệp Phụ nữ",
    ]
    assert unknown == ["UBND huyện"]
    assert mapper.match_departments("UBND xã (chủ trì)")[0] == [dept("Văn phòng HĐND và UBND")]


@pytest.mark.parametrize(
    ("name", "is_group"),
    [
        ("Cử tri xóm Đông Hồ", True),
        ("Nhân dân khối 3", True),
        ("Chi bộ xóm Yên Thành", True),
        ("Đoàn Thanh niên xã", True),
        ("Đoàn Văn Hùng", False),
        ("Trương Thị Hoa", False),
        ("Nguyễn Văn Thưởng", False),
    ],
)
def test_a_group_or_an_organisation_is_told_from_a_person(name, is_group):
    assert mapping.looks_like_group(name) is is_group


def test_the_summary_is_the_first_sentence_of_the_first_line():
    assert mapping.summary_of("Đường hỏng. Đề nghị sửa gấp.\nDòng hai.") == "Đường hỏng."
    assert (
        mapping.summary_of("Đường có ổ gà, vũng nước v.v. rất nguy hiểm. Đề nghị sửa.")
        == "Đường có ổ gà, vũng nước v.v. rất nguy hiểm."
    )
    assert mapping.summary_of("Đề nghị sửa đường\n\nvào mùa khô") == "Đề nghị sửa đường"


def test_a_long_summary_is_cut_at_a_word_within_300_characters():
    content = "Đề nghị " + "sửa đường liên xóm " * 40
    summary = mapping.summary_of(content)

    assert len(summary) <= 300
    assert summary.endswith("…")
    assert content.startswith(summary[:-1])
    assert summary[:-1].split()[-1] in {"sửa", "đường", "liên", "xóm"}


# --- Bad rows: everything reported, nothing imported --------------------------------------


def bad_rows_file() -> bytes:
    return workbook_bytes(
        [
            ["ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM"],
            ["Đô Lương, ngày 12 tháng 5 năm 2026"],
            HEADER,
            ["I. LĨNH VỰC KINH TẾ"],
            [1, "Lê Văn Bảy", "", "Đường hỏng.", "Giao thông", "UBND xã", ""],
            [2, "Lê Thị Tám", "", "", "Giao thông", "UBND xã", ""],
            [3, "", "", "Mương tắc.", "Giao thông", "UBND xã", ""],
            [4, "Lê Văn Chín", "", "Điện yếu.", "Thời tiết", "UBND xã", ""],
            [5, "Lê Văn Mười", "", "Đèn hỏng.", "Giao thông", "UBND xã; Sở Xây dựng", ""],
            [6, "Lê Văn Một", "", "x" * 10_001, "Giao thông", "UBND xã", ""],
        ],
        merges=["A4:G4"],
    )


def test_every_bad_row_is_reported_with_its_row_and_column_in_vietnamese(staff):
    plan = planning.prepare(bad_rows_file(), channel=Petition.Channel.FRONT)

    assert [str(error) for error in plan.errors] == [
        "Dòng 6, cột «Nội dung ý kiến, kiến nghị»: thiếu nội dung ý kiến, kiến nghị",
        "Dòng 7, cột «Họ và tên người kiến nghị»: thiếu người kiến nghị "
        "(cá nhân, nhóm người hoặc tổ chức)",
        "Dòng 8, cột «Lĩnh vực»: không nhận ra lĩnh vực «Thời tiết»; hãy dùng tên lĩnh vực "
        "trong danh mục, hoặc đề nghị Ban Xây dựng Đảng bổ sung thành tên gọi khác của một "
        "lĩnh vực",
        "Dòng 9, cột «Đề nghị cơ quan giải quyết»: không nhận ra cơ quan «Sở Xây dựng»; hãy dùng "
        "tên cơ quan trong danh mục, nhiều cơ quan thì cách nhau bằng dấu «;»",
        "Dòng 10, cột «Nội dung ý kiến, kiến nghị»: nội dung quá dài (10.001 ký tự; tối đa "
        "10.000 ký tự)",
    ]
    assert not plan.ok


def test_a_list_with_any_bad_row_imports_nothing_through_the_views(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("petitions:import"),
        {"file": upload(bad_rows_file()), "channel": Petition.Channel.FRONT},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "5 lỗi: chưa nhập kiến nghị nào." in page
    assert "Thời tiết" in page and "Sở Xây dựng" in page
    assert 'data-testid="confirm-form"' not in page
    assert Petition.objects.count() == 0


def test_a_failure_midway_through_the_commit_leaves_nothing_behind(staff, sample_units):
    plan = planning.prepare(sample_bytes(), channel=Petition.Channel.FRONT)
    real_assign = planning.services.petition_assign
    calls = []

    def assign_then_fail(**kwargs):
        calls.append(kwargs)
        if len(calls) == 15:
            raise RuntimeError("giả lập lỗi: mất kết nối cơ sở dữ liệu")
        return real_assign(**kwargs)

    with (
        mock.patch.object(planning.services, "petition_assign", assign_then_fail),
        pytest.raises(RuntimeError),
    ):
        planning.commit(plan, batch=batch_of(sample_bytes(), staff), actor=staff, assign=True)

    assert len(calls) == 15
    assert Petition.objects.count() == 0
    assert Assignment.objects.count() == 0


def test_a_commit_of_a_plan_with_errors_is_refused(staff):
    plan = planning.prepare(bad_rows_file(), channel=Petition.Channel.FRONT)

    with pytest.raises(planning.services.InvalidTransition):
        planning.commit(plan, batch=batch_of(bad_rows_file(), staff), actor=staff, assign=False)
    assert Petition.objects.count() == 0


def test_a_date_line_in_the_future_is_an_error(staff):
    data = workbook_bytes(
        [["Đô Lương, ngày 12 tháng 5 năm 2099"], HEADER, [1, "Lê Văn Bảy", "", "Đường hỏng."]]
    )
    plan = planning.prepare(data, channel=Petition.Channel.FRONT)

    assert [str(e) for e in plan.errors] == [
        "Dòng 1: danh sách ghi ngày 12/05/2099, sau ngày hôm nay"
    ]


# --- Unusable files: one clear message on the form, never a 500 ---------------------------


def post_file(client, user, data: bytes, name: str = "danh-sach.xlsx", **fields):
    client.force_login(user)
    return client.post(
        reverse("petitions:import"),
        {"file": upload(data, name), "channel": Petition.Channel.FRONT, **fields},
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "danh-sach.xlsx", "không phải là tệp Excel (.xlsx)"),
        (b"STT,Ho ten,Noi dung\n1,A,B\n", "danh-sach.csv", "Chỉ nhập được tệp Excel (.xlsx)"),
        (b"STT,Ho ten,Noi dung\n1,A,B\n", "danh-sach.xlsx", "không phải là tệp Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "cu.xlsx", "tệp Excel đời cũ (.xls)"),
        (b"PK\x03\x04 not really a zip", "hong.xlsx", "không phải là tệp Excel (.xlsx)"),
    ],
    ids=["exe-renamed", "csv", "csv-renamed", "old-xls", "broken-zip"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_on_the_form(
    client, staff, data, name, message
):
    response = post_file(client, staff, data, name)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Petition.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "Tệp được gửi không có nội dung."), (b"  \n ", "Tệp rỗng, không có dữ liệu.")],
    ids=["zero-bytes", "blank"],
)
def test_an_empty_file_is_refused_on_the_form(client, staff, data, message):
    client.force_login(staff)
    response = client.post(
        reverse("petitions:import"),
        {"file": SimpleUploadedFile("rong.xlsx", data), "channel": Petition.Channel.FRONT},
    )

    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_empty_workbook_is_refused_on_the_form(client, staff):
    response = post_file(client, staff, workbook_bytes([]))

    assert "Tệp Excel không có dữ liệu." in response.content.decode()


def test_a_sheet_without_a_recognisable_header_row_is_refused(client, staff):
    data = workbook_bytes([["Danh sách"], ["A", "B", "C"], [1, 2, 3]])
    response = post_file(client, staff, data)

    assert "Không tìm thấy dòng tiêu đề của bảng" in response.content.decode()


def test_a_header_without_petitions_is_refused(client, staff):
    response = post_file(client, staff, workbook_bytes([HEADER]), received_on="01/06/2026")

    assert "Bảng có dòng tiêu đề nhưng không có kiến nghị nào." in response.content.decode()


def test_a_file_over_five_megabytes_is_refused(client, staff):
    response = post_file(client, staff, b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))

    page = response.content.decode()
    assert "chỉ nhập được tệp tối đa 5 MB" in page
    assert Petition.objects.count() == 0


def test_a_list_without_a_date_line_needs_the_date_on_the_form(client, staff):
    data = workbook_bytes([HEADER, [1, "Lê Văn Bảy", "", "Đường hỏng.", "Giao thông"]])

    response = post_file(client, staff, data)
    assert "Danh sách không ghi ngày lập" in response.content.decode()

    response = post_file(client, staff, data, received_on="03/06/2026")
    page = response.content.decode()
    assert "03/06/2026" in page and "theo ngày chọn khi tải tệp" in page


# --- Who may import ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["petitions:import", "petitions:import_template"])
def test_a_department_user_may_not_import(client, dept_user, name):
    client.force_login(dept_user)

    assert client.get(reverse(name)).status_code == 403
    confirm = reverse("petitions:import_confirm", args=["x"])
    assert client.post(confirm).status_code == 403
    assert client.get(reverse("petitions:import_result", args=["x"])).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("petitions:import"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_front_user_imports_for_their_organisation_without_the_assign_option(
    client, front_member
):
    client.force_login(front_member)
    form_page = client.get(reverse("petitions:import")).content.decode()
    assert 'name="submitted_by"' not in form_page
    assert "Gửi thay mặt Ủy ban MTTQ Việt Nam xã" in form_page

    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    page = preview.content.decode()
    assert "Sẽ tạo 20 kiến nghị." in page
    assert 'name="assign"' not in page

    response = client.post(
        confirm_url(preview),
        {"assign": "1"},
    )
    assert response.status_code == 302
    assert Petition.objects.count() == 20
    assert not Assignment.objects.exists()
    assert set(Petition.objects.values_list("submitted_by_department__name", flat=True)) == {
        "Ủy ban MTTQ Việt Nam xã"
    }
    assert set(Petition.objects.values_list("created_by", flat=True)) == {front_member.pk}


def test_a_mass_organisations_list_arrives_through_that_organisation(client, front_user):
    dept("Hội Nông dân").members.add(front_user)
    client.force_login(front_user)

    form = client.get(reverse("petitions:import")).context["form"]

    assert form["channel"].initial == Petition.Channel.FARMERS


def test_the_party_office_takes_in_but_does_not_assign(client, office):
    client.force_login(office)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )

    assert preview.status_code == 200
    assert "Nhập 20 kiến nghị" in preview.content.decode()  # the preview, ready to confirm
    assert 'name="assign"' not in preview.content.decode()
    assert 'name="submitted_by"' not in preview.content.decode()


# --- Preview → confirm ------------------------------------------------------------------


def test_preview_then_confirm_creates_and_assigns_everything_and_lists_the_codes(
    client, staff, sample_units, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    front = dept("Ủy ban MTTQ Việt Nam xã")
    # The reference data is read once, not once per row, and so are the earlier imports of
    # the same file and the petitions the rows may repeat.
    # (one more: which proposed units have a member to answer)
    with django_assert_max_num_queries(17):
        preview = client.post(
            reverse("petitions:import"),
            {
                "file": upload(sample_bytes(), "tong-hop-kien-nghi.xlsx"),
                "channel": Petition.Channel.FRONT,
                "submitted_by": front.pk,
            },
        )
    page = preview.content.decode()
    assert page.count('data-testid="group-badge"') == 8
    assert page.count('data-testid="hidden-badge"') == 1
    assert "12 người" in page
    assert 'name="assign" value="1" id="id_assign" checked' in page
    assert Petition.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(preview), {"assign": "1"})

    assert response.status_code == 302
    assert Petition.objects.count() == 20
    assert Assignment.objects.count() == 20
    assert not default_storage.exists(stored_file(preview))
    with django_assert_max_num_queries(10):
        result = client.get(response["Location"])
    result_page = result.content.decode()
    for petition in Petition.objects.all():
        assert reverse("petitions:detail", args=[petition.pk]) in result_page
        assert petition.code in result_page
    assert "Đã nhập 20 kiến nghị từ tệp «tong-hop-kien-nghi.xlsx»." in result_page


def test_only_the_uploader_reaches_an_upload(client, staff, office):
    client.force_login(staff)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    token = preview.context["batch"].token

    client.force_login(office)
    assert client.post(confirm_url(preview)).status_code == 404
    assert client.post(confirm_url(preview), {"cancel": "1"}).status_code == 404
    assert Petition.objects.count() == 0
    assert default_storage.exists(stored_file(preview))  # still the uploader's to confirm

    client.force_login(staff)
    client.post(confirm_url(preview))
    assert Petition.objects.count() == 20
    client.force_login(office)
    assert client.get(reverse("petitions:import_result", args=[token])).status_code == 404


@pytest.mark.parametrize("token", ["0" * 32, "x", "not-a-token"])
def test_a_confirm_with_a_made_up_token_is_not_found(client, staff, token):
    client.force_login(staff)

    assert client.post(reverse("petitions:import_confirm", args=[token])).status_code == 404
    assert client.get(reverse("petitions:import_result", args=[token])).status_code == 404


def test_cancelling_the_preview_deletes_the_upload_and_imports_nothing(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url(preview), {"cancel": "1"}, follow=True)

    assert "Đã hủy lượt nhập" in response.content.decode()
    assert not default_storage.exists(stored_file(preview))
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED
    assert Petition.objects.count() == 0
    # A confirmation sent after the cancellation (another tab) imports nothing either.
    late = client.post(confirm_url(preview), follow=True)
    assert "Lượt nhập này đã bị hủy" in late.content.decode()
    assert Petition.objects.count() == 0


def test_an_upload_nobody_confirmed_is_deleted_after_a_while(client, staff):
    client.force_login(staff)
    first = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    # The next upload, once the first is older than STALE_AFTER, clears it away.
    with mock.patch.object(batches, "STALE_AFTER", timedelta(0)):
        second = client.post(
            reverse("petitions:import"),
            {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
        )

    assert not default_storage.exists(stored_file(first))
    assert default_storage.exists(stored_file(second))
    assert list(ImportBatch.objects.all()) == [second.context["batch"]]


def test_the_purge_keeps_the_lists_that_were_imported(client, staff):
    client.force_login(staff)
    imported = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    client.post(confirm_url(imported))

    with mock.patch.object(batches, "STALE_AFTER", timedelta(0)):
        batches.import_batches_purge()

    assert ImportBatch.objects.get().status == ImportBatch.Status.IMPORTED
    assert Petition.objects.filter(import_batch=imported.context["batch"]).count() == 20


def test_a_user_keeps_at_most_five_uploads_waiting(client, staff):
    data = workbook_bytes([HEADER, [1, "Lê Văn Bảy", "", "Đường hỏng.", "Giao thông"]])
    previews = [
        post_file(client, staff, data, received_on="01/06/2026")
        for _ in range(batches.MAX_PENDING + 1)
    ]

    waiting = ImportBatch.objects.filter(status=ImportBatch.Status.PENDING)
    assert set(waiting) == {p.context["batch"] for p in previews[1:]}
    assert ImportBatch.objects.get(pk=previews[0].context["batch"].pk).status == "cancelled"


def test_a_stored_upload_that_is_gone_is_reported_and_imports_nothing(client, staff):
    client.force_login(staff)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    default_storage.delete(stored_file(preview))

    response = client.post(confirm_url(preview), follow=True)

    assert "Tệp đã tải lên không còn được lưu" in response.content.decode()
    assert ImportBatch.objects.get().status == ImportBatch.Status.CANCELLED
    assert Petition.objects.count() == 0


def test_reference_data_changed_since_the_preview_stops_the_import(client, staff):
    client.force_login(staff)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    Topic.objects.filter(name__startswith="Giáo dục").update(is_active=False)

    response = client.post(confirm_url(preview))

    page = response.content.decode()
    assert "1 lỗi: chưa nhập kiến nghị nào." in page
    assert '<td class="row-number">25</td>' in page
    assert "không nhận ra lĩnh vực «Giáo dục, đào tạo»" in page
    assert Petition.objects.count() == 0


# --- The template -----------------------------------------------------------------------


def test_the_template_round_trips(client, staff, sample_units):
    client.force_login(staff)
    response = client.get(reverse("petitions:import_template"))
    assert response["Content-Type"] == XLSX
    assert "mau-danh-sach-kien-nghi.xlsx" in response["Content-Disposition"]

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Danh sách kiến nghị", "Danh mục", "Hướng dẫn"]
    sheet = workbook["Danh sách kiến nghị"]
    titles = [cell.value for cell in sheet[template.TEMPLATE_HEADER_ROW]]
    assert titles == [column.title for column in template.TEMPLATE_COLUMNS]
    assert sheet.data_validations.dataValidation  # topic and hamlet lists
    assert "Xóm Đông Hồ" in [c.value for c in workbook["Danh mục"]["B"]]
    sheet["A2"] = "Đô Lương, ngày 02 tháng 6 năm 2026"
    sheet.append(
        [
            1,
            "Lê Văn Bảy",
            912345678,
            "Xóm Đông Hồ",
            3,
            "Đề nghị lắp đèn đường.\nĐoạn qua chợ tối.",
            "Giao thông, thủy lợi, điện, nước",
            "Phòng Kinh tế; Công an xã",
            "x",
            "",
        ]
    )
    filled = io.BytesIO()
    workbook.save(filled)

    plan = planning.prepare(filled.getvalue(), channel=Petition.Channel.FRONT)

    assert plan.errors == []
    (row,) = plan.petitions  # the example row is not imported
    assert row.row == template.TEMPLATE_HEADER_ROW + 2
    assert plan.received_on == date(2026, 6, 2)
    data = row.data
    assert (data.petitioner_phone, data.people_count, data.is_group, data.hide_identity) == (
        "0912345678",
        3,
        True,
        True,
    )
    assert data.residential_unit == sample_units["dong_ho"]
    assert data.content == "Đề nghị lắp đèn đường.\nĐoạn qua chợ tối."
    assert (row.lead.name, [d.name for d in row.supporting]) == ("Phòng Kinh tế", ["Công an xã"])


def test_a_front_user_may_download_the_template(client, front_member):
    client.force_login(front_member)

    assert client.get(reverse("petitions:import_template")).status_code == 200


def test_the_upload_page_offers_the_template_and_a_front_organisation_choice_to_staff(
    client, staff
):
    client.force_login(staff)
    page = client.get(reverse("petitions:import")).content.decode()

    assert reverse("petitions:import_template") in page
    assert 'name="submitted_by"' in page
    assert "Nhập danh sách kiến nghị từ tệp Excel" in page


def test_user_text_in_the_list_is_escaped_in_the_preview(client, staff):
    data = workbook_bytes(
        [
            HEADER,
            [1, "<script>alert(1)</script>", "", "Nội dung <b>đậm</b>.", "Giao thông", "UBND xã"],
        ]
    )
    response = post_file(client, staff, data, received_on="01/06/2026")

    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_front_user_without_an_organisation_imports_with_no_submitting_department(
    client, front_user
):
    client.force_login(front_user)
    preview = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    client.post(confirm_url(preview))

    assert Petition.objects.filter(submitted_by_department__isnull=True).count() == 20
    other_front = UserFactory(roles=[Role.FRONT])
    assert visible_petitions(other_front).count() == 0


def test_a_lead_unit_without_members_is_named_in_the_preview_and_left_to_assign(staff):
    """The sample's first agencies have no member here: their rows wait to be assigned."""
    plan = planning.prepare(sample_bytes(), channel=Petition.Channel.FRONT)
    assert plan.errors == []
    waiting = [p for p in plan.petitions if p.lead and not p.lead_answers]
    assert waiting
    assert all(not p.can_be_assigned for p in waiting)
    assert any("chưa có thành viên" in w for w in waiting[0].warnings)
    planning.commit(plan, batch=batch_of(sample_bytes(), staff), actor=staff, assign=True)
    assert not Assignment.objects.exists()
    assert Petition.objects.filter(status=Petition.Status.CLASSIFIED).count() == len(
        [p for p in plan.petitions if p.data.topic]
    )

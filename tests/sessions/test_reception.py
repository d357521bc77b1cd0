"""The Secretary's citizen reception days and the reception register (Quy định 11-QĐi/TW,
Kết luận 215-KL/TW; Sổ tiếp công dân, Mẫu 03 of Thông tư 04/2021/TT-TTCP)."""

import subprocess
from datetime import date, time
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from doluong_dialogue.rules import RuleError
from petitions.models import Petition
from sessions import reception
from sessions.models import ReceptionDay, ReceptionVisit
from tests.sessions.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(clock, secretary):
    clock.set(TODAY)
    return reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=secretary
    )


def visit(day, actor, **fields):
    data = {
        "visitor_name": "Nguyễn Văn Bình",
        "visitor_address": "Xóm Yên Thịnh",
        "id_number": "040123456789",
        "content": "Đề nghị sửa đường giao thông nội đồng xóm Yên Thịnh",
        "kind": ReceptionVisit.Kind.PROPOSAL,
        **fields,
    }
    return reception.reception_visit_record(day=day, data=reception.VisitData(**data), actor=actor)


def test_a_reception_day_cannot_be_in_the_past(clock, secretary):
    clock.set(TODAY)
    with pytest.raises(RuleError, match="không được là ngày đã qua"):
        reception.reception_day_schedule(
            held_on=date(2026, 11, 24), starts_at=time(8), location="Trụ sở", actor=secretary
        )
    assert not ReceptionDay.objects.exists()


def test_an_ad_hoc_reception_day_needs_its_reason(clock, secretary):
    clock.set(TODAY)
    with pytest.raises(RuleError, match="phải chọn lý do"):
        reception.reception_day_schedule(
            held_on=TODAY, starts_at=time(8), location="Trụ sở", actor=secretary, ad_hoc=True
        )
    day = reception.reception_day_schedule(
        held_on=TODAY,
        starts_at=time(8),
        location="Trụ sở",
        actor=secretary,
        ad_hoc=True,
        ad_hoc_reason=ReceptionDay.Reason.MANY_PEOPLE,
    )
    assert day.ad_hoc_reason == "many_people"


def test_a_proposal_becomes_a_petition_received_at_a_citizen_reception(day, secretary):
    first = visit(day, secretary)
    second = visit(day, secretary, kind=ReceptionVisit.Kind.FEEDBACK, people_count=3)
    assert (first.number, second.number) == (1, 2)
    assert first.petition.channel == Petition.Channel.RECEPTION
    assert first.petition.kind == Petition.Kind.PROPOSAL
    assert first.petition.status == Petition.Status.RECEIVED
    assert second.petition.is_group and second.petition.people_count == 3


def test_a_complaint_is_recorded_and_routed_out(day, secretary):
    found = visit(
        day,
        secretary,
        kind=ReceptionVisit.Kind.COMPLAINT,
        guidance="Hướng dẫn gửi đơn đến UBND xã theo Luật Khiếu nại",
    )
    assert found.petition.kind == Petition.Kind.COMPLAINT
    assert found.petition.follows_legal_procedure
    assert found.petition.status != Petition.Status.RECEIVED
    assert "Luật Khiếu nại" in found.petition.legal_channel_note


def test_a_denunciation_routed_out_without_guidance_typed_says_so_in_the_register(day, secretary):
    found = visit(day, secretary, kind=ReceptionVisit.Kind.DENUNCIATION)
    assert found.petition.status == Petition.Status.ROUTED_OUT
    assert found.guidance == found.petition.legal_channel_note == reception.ROUTED_OUT_GUIDANCE
    (line,) = reception.register_rows([found], show_id_numbers=False)
    assert line[9] == reception.ROUTED_OUT_GUIDANCE


def test_a_proposal_without_guidance_typed_leaves_the_column_empty(day, secretary):
    assert visit(day, secretary).guidance == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"content": "  "}, "Nhập tóm tắt nội dung"),
        ({"id_number": "12345"}, "gồm 9 hoặc 12 chữ số"),
        ({"id_number": "0401234567"}, "gồm 9 hoặc 12 chữ số"),
        ({"id_number": "04012345678a"}, "gồm 9 hoặc 12 chữ số"),
    ],
)
def test_a_visit_without_content_or_with_a_wrong_id_number_is_refused(
    day, secretary, fields, message
):
    with pytest.raises(RuleError, match=message):
        visit(day, secretary, **fields)
    assert not ReceptionVisit.objects.exists()
    assert not Petition.objects.exists()


def test_a_nine_digit_id_number_is_accepted(day, secretary):
    assert visit(day, secretary, id_number="123456789").id_number == "123456789"


def test_a_month_with_fewer_days_than_required_is_warned(day, secretary, clock):
    (current,) = [month for month in reception.month_shortfalls() if month.month == 11]
    assert (current.scheduled, reception.RECEPTION_DAYS_PER_MONTH) == (1, 2)
    reception.reception_day_schedule(
        held_on=date(2026, 11, 27), starts_at=time(8), location="Trụ sở", actor=secretary
    )
    assert not [month for month in reception.month_shortfalls() if month.month == 11]


def test_the_register_of_the_month_as_excel_holds_every_cell_as_text(day, secretary):
    visit(day, secretary, content="=HYPERLINK(1)")
    content = reception.register_workbook(2026, 11, show_id_numbers=True)
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == reception.REGISTER_HEADER
    line = rows[2]
    assert line[:4] == ("1", "25/11/2026", "Nguyễn Văn Bình", "Xóm Yên Thịnh; 040123456789")
    assert line[4] == "=HYPERLINK(1)"
    assert line[5] == "Kiến nghị"
    assert all(isinstance(value, str) for value in line if value is not None)
    assert sheet.cell(3, 5).data_type == "s"


def test_the_register_workbook_is_laid_out_to_be_read_and_printed(day, secretary):
    visit(day, secretary)
    content = reception.register_workbook(2026, 11, show_id_numbers=True)
    sheet = load_workbook(BytesIO(content)).active
    assert len(reception.REGISTER_WIDTHS) == len(reception.REGISTER_HEADER)
    assert sheet.column_dimensions["E"].width == 50  # the content is read in full
    assert sheet["E3"].alignment.wrap_text
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"


def test_the_register_of_the_month_as_pdf(day, secretary, tmp_path):
    visit(day, secretary)
    target = tmp_path / "so.pdf"
    target.write_bytes(reception.register_pdf(2026, 11, show_id_numbers=True))
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỔ TIẾP CÔNG DÂN" in text
    # Narrow columns wrap their words: look for the parts a wrap cannot split.
    assert "040123456789" in text
    assert "Bình" in text
    assert "Kiến" in text and "nghị" in text


def test_the_public_schedule_shows_no_visitor_data(client, day, secretary):
    visit(day, secretary)
    response = client.get("/lich-tiep-dan/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Trụ sở Đảng ủy xã" in page and "25/11/2026" in page
    assert "Nguyễn Văn Bình" not in page and "040123456789" not in page


def test_unit_members_and_the_front_do_not_find_the_register(client, day, dept_user, front_user):
    for user in (dept_user, front_user):
        client.force_login(user)
        assert client.get(reverse("sessions:reception")).status_code == 404
        assert client.get(reverse("sessions:reception_day", args=[day.pk])).status_code == 404
        assert client.get(reverse("sessions:reception_xlsx")).status_code == 404


def test_the_inspection_committee_reads_but_records_nothing(client, day, inspector):
    client.force_login(inspector)
    assert client.get(reverse("sessions:reception_day", args=[day.pk])).status_code == 200
    response = client.post(reverse("sessions:reception_day", args=[day.pk]), {})
    assert response.status_code == 403


def test_the_party_office_records_a_visit_and_sees_bad_input_in_vietnamese(
    client, day, office, settings
):
    client.force_login(office)
    url = reverse("sessions:reception_day", args=[day.pk])
    data = {
        "visitor_name": "Trần Thị Hoa",
        "id_number": "12345",
        "content": "Phản ánh ô nhiễm",
        "kind": "feedback",
        "people_count": "1",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert not ReceptionVisit.objects.exists()
    data["id_number"] = "040123456789"
    response = client.post(url, data)
    assert response.status_code == 302
    assert ReceptionVisit.objects.get().petition.channel == Petition.Channel.RECEPTION


def test_a_past_day_from_the_schedule_page_is_refused_without_error(client, clock, secretary):
    clock.set(TODAY)
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:reception"),
        {"held_on": "01/11/2026", "starts_at": "08:00", "location": "Trụ sở"},
    )
    assert response.status_code == 200
    assert "không được là ngày đã qua" in response.content.decode()
    assert not ReceptionDay.objects.exists()
    # Typed as the commune types dates and times, a coming day is scheduled.
    client.post(
        reverse("sessions:reception"),
        {"held_on": "30/12/2026", "starts_at": "7h30", "location": "Trụ sở Đảng ủy xã"},
    )
    assert ReceptionDay.objects.get().starts_at == time(7, 30)
    assert client.get(reverse("sessions:reception")).status_code == 200


def test_the_secretarys_home_warns_of_a_month_short_of_reception_days(client, day, secretary):
    client.force_login(secretary)
    current = "?year=2026&amp;month=11&amp;show=scheduled"
    assert current in client.get("/").content.decode()
    reception.reception_day_schedule(
        held_on=date(2026, 11, 27), starts_at=time(8), location="Trụ sở", actor=secretary
    )
    assert current not in client.get("/").content.decode()


def test_the_schedule_page_counts_the_visits_without_a_query_per_day(client, day, secretary):
    client.force_login(secretary)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("sessions:reception"))
        assert page.status_code == 200
        return len(captured)

    visit(day, secretary)
    one_day = queries()
    for number in range(3):
        later = reception.reception_day_schedule(
            held_on=date(2026, 12, 21 + number),
            starts_at=time(8),
            location="Trụ sở",
            actor=secretary,
        )
        assert later.visits.count() == 0
    assert queries() == one_day
    assert "<td>1</td>" in client.get(reverse("sessions:reception")).content.decode()


def test_residents_find_the_public_schedule_from_the_public_pages(client, day):
    for url in (reverse("public:index"), reverse("public:lookup"), reverse("login")):
        page = client.get(url).content.decode()
        assert f'href="{reverse("reception_public")}"' in page, url


# --- A visitor who asked to stay unnamed (issue 12, item 5) ---------------------------


def test_a_hidden_visitor_is_masked_in_the_register_for_those_who_may_not_know_them(
    client, day, office, inspector, secretary, staff, tmp_path
):
    """Whoever recorded the visit (the Party Office here), Ban Xây dựng Đảng and the Secretary
    read the visitor's name; the Inspection Committee reads the line masked, on the page, in
    Excel and in the PDF, and the petition it leads to masks them too."""
    hidden = visit(
        day,
        office,
        visitor_name="Lò Văn Khuyến",
        visitor_address="Xóm Đông Hồ",
        hide_identity=True,
    )
    for user, named in ((office, True), (staff, True), (secretary, True), (inspector, False)):
        client.force_login(user)
        page = client.get(reverse("sessions:reception_day", args=[day.pk])).content.decode()
        workbook = client.get(reverse("sessions:reception_xlsx"), {"year": 2026, "month": 11})
        rows = load_workbook(BytesIO(workbook.content)).active.iter_rows(values_only=True)
        cells = " ".join(str(value) for row in rows for value in row if value)
        pdf = client.get(reverse("sessions:reception_pdf"), {"year": 2026, "month": 11})
        target = tmp_path / "so.pdf"
        target.write_bytes(pdf.content)
        text = subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout
        petition = client.get(reverse("petitions:detail", args=[hidden.petition.pk]))
        for shown in (page, cells, text, petition.content.decode()):
            assert ("Khuyến" in shown) is named, user.username
            assert ("Đông Hồ" in shown) is named, user.username
        if not named:
            assert reception.WITHHELD in cells
            assert "3456789" not in page + cells + text


@pytest.mark.parametrize(
    ("kind", "within_remit"),
    [
        (ReceptionVisit.Kind.COMPLAINT, False),
        (ReceptionVisit.Kind.DENUNCIATION, False),
        (ReceptionVisit.Kind.PROPOSAL, True),
        (ReceptionVisit.Kind.FEEDBACK, True),
    ],
)
def test_unless_the_clerk_says_a_routed_out_kind_is_not_within_the_remit(
    day, secretary, kind, within_remit
):
    assert visit(day, secretary, kind=kind).within_remit is within_remit


@pytest.mark.parametrize("said", [True, False])
def test_what_the_clerk_says_of_the_remit_stands(day, secretary, said):
    complaint = visit(day, secretary, kind=ReceptionVisit.Kind.COMPLAINT, within_remit=said)
    proposal = visit(day, secretary, kind=ReceptionVisit.Kind.PROPOSAL, within_remit=said)
    assert complaint.within_remit is said and proposal.within_remit is said


@pytest.mark.parametrize("reader", ["secretary", "inspector"])
def test_a_days_register_page_reads_its_lines_in_the_same_queries_however_many(
    client, day, office, request, reader
):
    """The masked reader (the Inspection Committee) decides per line whether a visitor is
    withheld: from what the page already read, never a query per line."""
    user = request.getfixturevalue(reader)
    client.force_login(user)
    url = reverse("sessions:reception_day", args=[day.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    visit(day, office, hide_identity=True)
    visit(day, office, kind=ReceptionVisit.Kind.COMPLAINT)
    client.get(url)
    two = queries()
    for _ in range(4):
        visit(day, office, hide_identity=True)
    assert queries() == two

"""Taking petitions in: the full form, quick entry and editing (petitions/views/intake.py)."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Department, Petition, PetitionEvent, Topic
from petitions.permissions import Role
from petitions.views.intake import QUICK_STICKY_SESSION_KEY
from tests.factories import PetitionFactory, ResidentialUnitFactory, UserFactory
from tests.petitions.test_uploads import EXE, image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

NEW = reverse("petitions:new")
CLOSED_MESSAGE = "Kiến nghị này đã chuyển theo thủ tục pháp luật, không thể sửa nữa."
QUICK = reverse("petitions:quick")


def today() -> date:
    return timezone.localdate()


def dmy(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def form_data(**overrides) -> dict:
    data = {
        "kind": Petition.Kind.REQUEST,
        "summary": "Đường liên xóm Thử Nghiệm xuống cấp",
        "content": "Đoạn đường dài 300 m có nhiều ổ gà, đề nghị xã sớm sửa chữa.",
        "petitioner_name": "Nguyễn Văn Thử",
        "petitioner_phone": "0912 345 678",
        "petitioner_address": "Xóm Thử Nghiệm",
        "residential_unit": "",
        "people_count": "",
        "channel": Petition.Channel.FRONT,
        "received_on": dmy(today()),
        "legal_channel_note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def farmers_union() -> Department:
    return Department.objects.get(name="Hội Nông dân")


@pytest.fixture
def farmers_user(farmers_union):
    return UserFactory(username="hnd_test", roles=[Role.FRONT], departments=[farmers_union])


@pytest.fixture
def unit():
    return ResidentialUnitFactory(name="Thử Nghiệm Một")


@pytest.fixture
def topic() -> Topic:
    return Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")


# --- Who may take petitions in -------------------------------------------------------------


@pytest.mark.parametrize("actor", ["staff", "office", "front_user"])
@pytest.mark.parametrize("url", [NEW, QUICK])
def test_staff_office_and_front_can_open_the_intake_pages(client, request, actor, url):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="petitioner_name"' in response.content.decode()


@pytest.mark.parametrize("actor", ["dept_user", "secretary", "inspector"])
@pytest.mark.parametrize("url", [NEW, QUICK])
def test_department_secretary_and_inspection_get_403_on_intake(client, request, actor, url):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not Petition.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(NEW)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- Receipt codes and the happy path ------------------------------------------------------


def test_receipt_codes_are_sequential_per_year_and_unique(client, staff):
    client.force_login(staff)
    for _ in range(3):
        assert client.post(NEW, form_data()).status_code == 302
    last_year = date(today().year - 1, 12, 30)
    client.post(NEW, form_data(received_on=dmy(last_year)))
    year = today().year
    codes = list(Petition.objects.order_by("id").values_list("code", flat=True))
    assert codes == [
        f"KN-{year}-000001",
        f"KN-{year}-000002",
        f"KN-{year}-000003",
        f"KN-{year - 1}-000001",
    ]
    assert len(set(codes)) == len(codes)


def test_a_received_petition_redirects_to_its_page_with_the_code(client, staff, unit):
    client.force_login(staff)
    response = client.post(NEW, form_data(residential_unit=unit.pk), follow=True)
    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("petitions:detail", args=[petition.pk])
    assert f"Đã tiếp nhận kiến nghị {petition.code}" in response.content.decode()
    assert petition.status == Petition.Status.RECEIVED
    assert petition.petitioner_phone == "0912 345 678"
    assert petition.residential_unit == unit
    assert petition.created_by == staff
    assert petition.submitted_by_department is None
    assert petition.events.filter(kind=PetitionEvent.Kind.RECEIVED).exists()


def test_a_group_petition_records_its_number_of_people(client, staff):
    client.force_login(staff)
    client.post(NEW, form_data(is_group="on", people_count="12", petitioner_name="Cử tri xóm"))
    petition = Petition.objects.get()
    assert (petition.is_group, petition.people_count, petition.total_people) == (True, 12, 12)


def test_a_single_petitioners_number_of_people_is_one_whatever_was_typed(client, staff):
    client.force_login(staff)
    client.post(NEW, form_data(people_count="7"))
    assert Petition.objects.get().people_count == 1


def test_hide_identity_is_recorded(client, staff):
    client.force_login(staff)
    client.post(NEW, form_data(hide_identity="on"))
    assert Petition.objects.get().hide_identity is True


def test_a_manager_classifies_at_intake_when_a_topic_is_chosen(client, staff, topic):
    client.force_login(staff)
    assert 'name="topic"' in client.get(NEW).content.decode()
    client.post(NEW, form_data(topic=topic.pk, urgency=Petition.Urgency.PRESSING))
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.CLASSIFIED
    assert (petition.topic, petition.urgency) == (topic, Petition.Urgency.PRESSING)


@pytest.mark.parametrize("actor", ["office", "front_user"])
def test_only_managers_see_and_set_topic_and_urgency(client, request, actor, topic):
    client.force_login(request.getfixturevalue(actor))
    page = client.get(NEW).content.decode()
    assert 'name="topic"' not in page
    assert 'name="urgency"' not in page
    client.post(NEW, form_data(topic=topic.pk, urgency=Petition.Urgency.PRESSING))
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.RECEIVED
    assert petition.topic is None
    assert petition.urgency == Petition.Urgency.NORMAL


# --- The Front ------------------------------------------------------------------------------


def test_a_front_users_channel_defaults_from_their_organisation(client, farmers_user):
    client.force_login(farmers_user)
    form = client.get(NEW).context["form"]
    assert form["channel"].value() == Petition.Channel.FARMERS


def test_a_front_users_petition_is_their_organisations_and_they_see_it(
    client, farmers_user, farmers_union
):
    client.force_login(farmers_user)
    client.post(NEW, form_data(channel=Petition.Channel.FARMERS))
    petition = Petition.objects.get()
    assert petition.submitted_by_department == farmers_union
    assert petition.channel == Petition.Channel.FARMERS
    detail = client.get(reverse("petitions:detail", args=[petition.pk]))
    assert detail.status_code == 200
    assert petition.code in detail.content.decode()
    colleague = UserFactory(roles=[Role.FRONT], departments=[farmers_union])
    client.force_login(colleague)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200


def test_the_submitting_organisation_cannot_be_chosen_through_the_form(
    client, farmers_user, farmers_union
):
    other = Department.objects.get(name="Đoàn Thanh niên")
    client.force_login(farmers_user)
    client.post(NEW, form_data(submitted_by_department=other.pk))
    assert Petition.objects.get().submitted_by_department == farmers_union


def test_a_front_user_without_an_organisation_submits_as_the_front(client, front_user):
    client.force_login(front_user)
    assert client.get(NEW).context["form"]["channel"].value() == Petition.Channel.FRONT
    client.post(NEW, form_data())
    petition = Petition.objects.get()
    assert petition.submitted_by_department is None
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200


# --- Complaints and denunciations ------------------------------------------------------------


@pytest.mark.parametrize("kind", [Petition.Kind.COMPLAINT, Petition.Kind.DENUNCIATION])
def test_a_complaint_with_its_legal_channel_is_routed_out_at_intake(client, staff, kind):
    client.force_login(staff)
    note = "Chuyển UBND xã giải quyết theo Luật Khiếu nại 2011"
    response = client.post(NEW, form_data(kind=kind, legal_channel_note=note), follow=True)
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.ROUTED_OUT
    assert petition.legal_channel_note == note
    assert petition.acknowledgement_due is None
    assert petition.events.filter(kind=PetitionEvent.Kind.ROUTED_OUT, note=note).exists()
    assert "chuyển theo thủ tục pháp luật" in response.content.decode()


def test_a_complaint_without_its_legal_channel_is_a_form_error(client, staff):
    client.force_login(staff)
    response = client.post(NEW, form_data(kind=Petition.Kind.COMPLAINT))
    assert response.status_code == 200
    assert "ghi rõ nơi chuyển đến" in response.context["form"].errors["legal_channel_note"][0]
    assert "Đường liên xóm Thử Nghiệm xuống cấp" in response.content.decode()
    assert not Petition.objects.exists()


def test_a_legal_channel_typed_for_an_ordinary_request_is_ignored(client, staff):
    client.force_login(staff)
    client.post(NEW, form_data(legal_channel_note="Chuyển Công an xã"))
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.RECEIVED
    assert petition.legal_channel_note == ""


# --- Bad input: a clear Vietnamese message, a 200 and everything typed kept -----------------

BAD_INPUT = {
    "empty summary": ({"summary": ""}, "summary", "Nhập tóm tắt nội dung kiến nghị (một dòng)."),
    "empty content": ({"content": "   "}, "content", "Nhập nội dung kiến nghị."),
    "empty name": (
        {"petitioner_name": ""},
        "petitioner_name",
        "Nhập họ tên người kiến nghị (hoặc tên nhóm, tổ chức).",
    ),
    "no channel": ({"channel": ""}, "channel", "Chọn kênh tiếp nhận kiến nghị."),
    "no date": ({"received_on": ""}, "received_on", "Nhập ngày tiếp nhận kiến nghị."),
    "impossible date": (
        {"received_on": "31/02/2026"},
        "received_on",
        "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026.",
    ),
    "date before 2000": (
        {"received_on": "31/12/1999"},
        "received_on",
        "Ngày tiếp nhận không được trước ngày 01/01/2000.",
    ),
    "100,000-character content": (
        {"content": "x" * 100_000},
        "content",
        "Nội dung tối đa 10.000 ký tự (hiện có 100.000).",
    ),
    "long summary": (
        {"summary": "Đường " * 60},
        "summary",
        "Tóm tắt nội dung tối đa 300 ký tự (hiện có 359).",
    ),
    "letters in the phone": (
        {"petitioner_phone": "09xx.345.678"},
        "petitioner_phone",
        "Số điện thoại chỉ được gồm chữ số, dấu cách và dấu “+”.",
    ),
    "group without a number": (
        {"is_group": "on", "people_count": ""},
        "people_count",
        "Nhóm kiến nghị phải có ít nhất 2 người: nhập số người cùng kiến nghị.",
    ),
    "group of one": (
        {"is_group": "on", "people_count": "1"},
        "people_count",
        "Nhóm kiến nghị phải có ít nhất 2 người: nhập số người cùng kiến nghị.",
    ),
    "people as words": (
        {"is_group": "on", "people_count": "mười hai"},
        "people_count",
        "Nhập số người bằng một số nguyên.",
    ),
}


@pytest.mark.parametrize("url", [NEW, QUICK])
@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_bad_input_gets_its_vietnamese_message_and_keeps_what_was_typed(
    client, staff, url, changes, field, message
):
    client.force_login(staff)
    data = form_data(**changes)
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    page = response.content.decode()
    assert "Mọi nội dung đã nhập vẫn được giữ nguyên." in page
    for name in ("summary", "content", "petitioner_name", "petitioner_phone"):
        assert form[name].value() == data[name]
    kept = data["content"] if len(data["content"]) < 200 else data["content"][:200]
    assert kept in page
    assert not Petition.objects.exists()


@pytest.mark.parametrize("url", [NEW, QUICK])
def test_an_empty_post_is_answered_with_every_required_message(client, staff, url):
    client.force_login(staff)
    response = client.post(url, {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {
        "kind",
        "summary",
        "content",
        "petitioner_name",
        "channel",
        "received_on",
    }
    assert errors["kind"] == ["Chọn loại kiến nghị."]
    assert errors["channel"] == ["Chọn kênh tiếp nhận kiến nghị."]


def test_a_received_date_in_the_future_is_refused(client, staff):
    client.force_login(staff)
    tomorrow = today() + timedelta(days=1)
    response = client.post(NEW, form_data(received_on=dmy(tomorrow)))
    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == [
        f"Ngày tiếp nhận không được sau ngày hôm nay ({dmy(today())})."
    ]


def test_script_tags_are_shown_as_text_and_stored_as_typed(client, staff):
    client.force_login(staff)
    script = "<script>alert('xss')</script>"
    response = client.post(NEW, form_data(summary=script, petitioner_name=script, channel=""))
    page = response.content.decode()
    assert response.status_code == 200
    assert script not in page
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page
    response = client.post(NEW, form_data(summary=script, petitioner_name=script), follow=True)
    assert script not in response.content.decode()
    assert Petition.objects.get().summary == script


def test_an_exe_renamed_to_pdf_is_refused_and_the_files_must_be_chosen_again(client, staff):
    client.force_login(staff)
    data = form_data(attachments=SimpleUploadedFile("bien-ban.pdf", EXE))
    response = client.post(NEW, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["attachments"]
    assert "“bien-ban.pdf”" in errors[0]
    assert "nội dung không phải PDF" in errors[0]
    page = response.content.decode()
    assert "vui lòng chọn lại tệp" in page
    assert response.context["form"]["summary"].value() == data["summary"]
    assert not Petition.objects.exists()


def test_an_oversized_file_is_refused_with_a_message_naming_it(client, staff):
    client.force_login(staff)
    content = pdf_bytes() + b"0" * (10 * 1024 * 1024)
    response = client.post(NEW, form_data(attachments=SimpleUploadedFile("ho-so.pdf", content)))
    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == [
        "Tệp “ho-so.pdf” có dung lượng 10,1 MB, vượt quá giới hạn 10 MB cho mỗi tệp."
    ]
    assert not Petition.objects.exists()


def test_genuine_attachments_are_stored_with_their_detected_type(client, staff):
    client.force_login(staff)
    files = [
        SimpleUploadedFile("don.pdf", pdf_bytes(), content_type="application/x-whatever"),
        SimpleUploadedFile("anh.png", image_bytes("PNG"), content_type="text/html"),
    ]
    assert client.post(NEW, form_data(attachments=files)).status_code == 302
    petition = Petition.objects.get()
    stored = list(petition.attachments.values_list("original_name", "content_type"))
    assert stored == [("don.pdf", "application/pdf"), ("anh.png", "image/png")]


# --- Quick entry -------------------------------------------------------------------------------


def test_quick_entry_keeps_the_sticky_fields_and_lists_what_was_entered(client, staff, unit, topic):
    client.force_login(staff)
    yesterday = today() - timedelta(days=1)
    first = form_data(
        channel=Petition.Channel.HAMLET,
        received_on=dmy(yesterday),
        residential_unit=unit.pk,
        kind=Petition.Kind.PROPOSAL,
        topic=topic.pk,
        summary="Đề xuất lắp đèn đường",
    )
    response = client.post(QUICK, first)
    assert response.status_code == 302
    assert response["Location"] == QUICK

    page = client.get(QUICK)
    form = page.context["form"]
    assert form["channel"].value() == Petition.Channel.HAMLET
    assert form["received_on"].value() == yesterday
    assert str(form["residential_unit"].value()) == str(unit.pk)
    assert form["kind"].value() == Petition.Kind.PROPOSAL
    assert str(form["topic"].value()) == str(topic.pk)
    assert not form["petitioner_name"].value()
    assert not form["summary"].value()
    assert not form["content"].value()

    client.post(QUICK, {**first, "summary": "Đề nghị nạo vét mương"})
    page = client.get(QUICK)
    listed = [petition.summary for petition in page.context["entered"]]
    assert listed == ["Đề nghị nạo vét mương", "Đề xuất lắp đèn đường"]
    html = page.content.decode()
    for petition in Petition.objects.all():
        assert reverse("petitions:detail", args=[petition.pk]) in html
        assert petition.code in html
        assert petition.status == Petition.Status.CLASSIFIED
        assert petition.received_on == yesterday


def test_quick_entry_lists_only_the_users_own_petitions_of_today(client, office, staff):
    mine = PetitionFactory(created_by=office)
    PetitionFactory(created_by=staff)
    earlier = PetitionFactory(created_by=office)
    Petition.objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - timedelta(days=1, hours=1)
    )
    client.force_login(office)
    page = client.get(QUICK)
    assert list(page.context["entered"]) == [mine]
    assert page.context["entered_count"] == 1


def test_quick_entry_for_the_front_sets_their_organisation(client, farmers_user, farmers_union):
    client.force_login(farmers_user)
    assert client.get(QUICK).context["form"]["channel"].value() == Petition.Channel.FARMERS
    client.post(QUICK, form_data(channel=Petition.Channel.FARMERS))
    assert Petition.objects.get().submitted_by_department == farmers_union


def test_quick_entry_routes_out_a_complaint_with_its_legal_channel(client, office):
    client.force_login(office)
    note = "Chuyển Thanh tra huyện theo Luật Tố cáo 2018"
    client.post(QUICK, form_data(kind=Petition.Kind.DENUNCIATION, legal_channel_note=note))
    assert Petition.objects.get().status == Petition.Status.ROUTED_OUT


def test_a_refused_quick_entry_does_not_change_the_sticky_fields(client, staff):
    client.force_login(staff)
    assert client.post(QUICK, form_data(channel=Petition.Channel.WOMEN)).status_code == 302
    refused = client.post(QUICK, form_data(channel=Petition.Channel.YOUTH, summary=""))
    assert refused.status_code == 200
    assert refused.context["form"].errors["summary"]
    assert client.session[QUICK_STICKY_SESSION_KEY]["channel"] == Petition.Channel.WOMEN


def test_the_running_list_costs_no_query_per_row(client, staff, unit, topic):
    client.force_login(staff)

    def enter(count):
        for n in range(count):
            services.petition_receive(
                data=services.PetitionData(
                    summary=f"Kiến nghị thử {n}",
                    content="Nội dung thử nghiệm",
                    petitioner_name="Trần Thị Thử",
                    channel=Petition.Channel.FRONT,
                    received_on=today(),
                    residential_unit=unit,
                    topic=topic,
                ),
                actor=staff,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUICK)
        assert response.status_code == 200
        return len(captured)

    enter(2)
    few = queries()
    enter(10)
    assert queries() == few
    assert len(client.get(QUICK).context["entered"]) == 12


def test_the_quick_entry_page_focuses_the_first_field_and_explains_the_keys(client, staff):
    client.force_login(staff)
    html = client.get(QUICK).content.decode()
    assert 'name="petitioner_name"' in html
    assert "autofocus" in html
    assert "Ctrl</kbd>+<kbd>Enter</kbd>" in html


# --- Editing --------------------------------------------------------------------------------


def edit_url(petition) -> str:
    return reverse("petitions:edit", args=[petition.pk])


def values_of(petition) -> dict:
    """The edit form as it comes filled for the petition."""
    return {
        "kind": petition.kind,
        "summary": petition.summary,
        "content": petition.content,
        "petitioner_name": petition.petitioner_name,
        "petitioner_address": petition.petitioner_address,
        "channel": petition.channel,
        "received_on": dmy(petition.received_on),
        "petitioner_phone": "",
    }


def test_editing_writes_an_edited_event_listing_the_changed_fields(client, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(staff)
    page = client.get(edit_url(petition))
    assert page.context["form"]["summary"].value() == petition.summary
    data = form_data(
        summary="Tóm tắt đã sửa",
        content=petition.content,
        petitioner_name=petition.petitioner_name,
        received_on=dmy(petition.received_on),
    )
    response = client.post(edit_url(petition), data, follow=True)
    assert f"Đã cập nhật kiến nghị {petition.code}" in response.content.decode()
    petition.refresh_from_db()
    assert petition.summary == "Tóm tắt đã sửa"
    event = petition.events.get(kind=PetitionEvent.Kind.EDITED)
    assert "tóm tắt" in event.note
    assert event.actor == staff


def test_editing_adds_attachments(client, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(staff)
    data = {**form_data(), **values_of(petition)}
    data["attachments"] = SimpleUploadedFile("bo-sung.png", image_bytes("PNG"))
    assert client.post(edit_url(petition), data).status_code == 302
    assert petition.attachments.get().content_type == "image/png"


def test_the_creator_may_edit_while_the_petition_is_only_received(client, office, staff, topic):
    petition = PetitionFactory(created_by=office)
    client.force_login(office)
    assert client.get(edit_url(petition)).status_code == 200
    services.petition_classify(
        petition=petition, actor=staff, topic=topic, urgency=Petition.Urgency.NORMAL
    )
    assert client.get(edit_url(petition)).status_code == 403


def test_intake_staff_cannot_edit_someone_elses_petition(client, office, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(office)
    assert client.get(edit_url(petition)).status_code == 403


def test_a_department_gets_404_for_editing_what_is_not_assigned_to_it(client, dept_user, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(dept_user)
    assert client.get(edit_url(petition)).status_code == 404


def test_a_department_may_read_but_not_edit_what_is_assigned_to_it(
    client, dept_user, staff, department, topic
):
    petition = PetitionFactory(created_by=staff)
    services.petition_classify(
        petition=petition, actor=staff, topic=topic, urgency=Petition.Urgency.NORMAL
    )
    services.petition_assign(petition=petition, actor=staff, department=department)
    client.force_login(dept_user)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
    assert client.get(edit_url(petition)).status_code == 403


def test_a_bad_edit_keeps_what_was_typed(client, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(staff)
    data = {**values_of(petition), "content": "y" * 10_001, "summary": "Sửa dở"}
    response = client.post(edit_url(petition), data)
    assert response.status_code == 200
    assert response.context["form"].errors["content"] == [
        "Nội dung tối đa 10.000 ký tự (hiện có 10.001)."
    ]
    assert response.context["form"]["summary"].value() == "Sửa dở"
    petition.refresh_from_db()
    assert petition.summary != "Sửa dở"
    assert not petition.events.filter(kind=PetitionEvent.Kind.EDITED).exists()


def test_a_routed_out_petition_is_not_edited(client, staff):
    petition = PetitionFactory(created_by=staff)
    services.petition_route_out(petition=petition, actor=staff, legal_channel_note="Chuyển UBND")
    client.force_login(staff)
    response = client.get(edit_url(petition), follow=True)
    assert response.redirect_chain[-1][0] == reverse("petitions:detail", args=[petition.pk])
    assert CLOSED_MESSAGE in response.content.decode()


def test_a_closed_petition_must_be_reopened_before_editing(client, staff, topic, department):
    petition = PetitionFactory(created_by=staff)
    primary = PetitionFactory(created_by=staff)
    services.petition_merge(duplicate=petition, primary=primary, actor=staff)
    client.force_login(staff)
    response = client.post(edit_url(petition), values_of(petition), follow=True)
    assert "Kiến nghị đã kết thúc không sửa được; hãy mở lại trước." in response.content.decode()


def test_changing_the_kind_to_a_complaint_routes_it_out(client, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(staff)
    data = {
        **values_of(petition),
        "kind": Petition.Kind.COMPLAINT,
        "legal_channel_note": "Chuyển UBND xã theo Luật Khiếu nại 2011",
    }
    assert client.post(edit_url(petition), data).status_code == 302
    petition.refresh_from_db()
    assert petition.kind == Petition.Kind.COMPLAINT
    assert petition.status == Petition.Status.ROUTED_OUT
    kinds = list(petition.events.values_list("kind", flat=True))
    assert kinds[-2:] == [PetitionEvent.Kind.EDITED, PetitionEvent.Kind.ROUTED_OUT]


def test_saving_an_unchanged_form_writes_no_event(client, staff):
    petition = PetitionFactory(created_by=staff)
    client.force_login(staff)
    response = client.post(edit_url(petition), values_of(petition), follow=True)
    assert "Không có thay đổi nào." in response.content.decode()
    assert not petition.events.filter(kind=PetitionEvent.Kind.EDITED).exists()

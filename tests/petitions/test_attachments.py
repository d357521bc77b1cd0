"""Who may download a petition's files (petitions:attachment)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Department, Petition, Topic
from petitions.permissions import Role
from petitions.uploads import validate_upload
from tests.factories import UserFactory
from tests.petitions.test_uploads import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def checked(name: str, content: bytes) -> SimpleUploadedFile:
    upload = SimpleUploadedFile(name, content)
    validate_upload(upload)
    return upload


@pytest.fixture
def farmers_union() -> Department:
    return Department.objects.get(name="Hội Nông dân")


@pytest.fixture
def farmers_user(farmers_union):
    return UserFactory(username="hnd_test", roles=[Role.FRONT], departments=[farmers_union])


def receive(actor, *, hide_identity=False, organisation=None) -> Petition:
    """A petition with a scanned letter, classified and assigned to Phòng Kinh tế."""
    petition = services.petition_receive(
        data=services.PetitionData(
            summary="Đề nghị sửa cống thoát nước",
            content="Cống bị tắc, nước tràn vào nhà dân (dữ liệu thử nghiệm).",
            petitioner_name="Lê Thị Thử",
            petitioner_address="Xóm Thử Nghiệm",
            channel=Petition.Channel.FARMERS,
            received_on=timezone.localdate(),
            hide_identity=hide_identity,
            submitted_by_department=organisation,
        ),
        actor=actor,
        attachments=[checked("Đơn của bà Lê Thị Thử.pdf", pdf_bytes())],
    )
    return petition


def assign(petition, staff, department) -> None:
    topic = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    services.petition_classify(
        petition=petition, actor=staff, topic=topic, urgency=Petition.Urgency.NORMAL
    )
    services.petition_assign(petition=petition, actor=staff, department=department)


def url(attachment) -> str:
    return reverse("petitions:attachment", args=[attachment.pk])


@pytest.fixture
def normal(staff, department, farmers_user, farmers_union):
    petition = receive(farmers_user, organisation=farmers_union)
    assign(petition, staff, department)
    return petition


@pytest.fixture
def hidden(staff, department, farmers_user, farmers_union):
    petition = receive(farmers_user, hide_identity=True, organisation=farmers_union)
    assign(petition, staff, department)
    return petition


def test_staff_download_the_file_as_an_attachment_with_its_checked_type(client, staff, normal):
    attachment = normal.attachments.get()
    client.force_login(staff)
    response = client.get(url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == pdf_bytes()


@pytest.mark.parametrize("actor", ["staff", "secretary"])
def test_ban_xay_dung_dang_and_the_secretary_download_a_hidden_petitioners_file(
    client, request, actor, hidden
):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url(hidden.attachments.get())).status_code == 200


@pytest.mark.parametrize("actor", ["office", "inspector"])
def test_other_readers_of_everything_get_404_for_a_hidden_petitioners_own_file(
    client, request, actor, hidden
):
    """Issue 12, item 5: a hidden petitioner is known to Ban Xây dựng Đảng and the Secretary
    alone (and to whoever entered or submitted the petition)."""
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url(hidden.attachments.get())).status_code == 404


def test_the_assigned_department_downloads_the_file_of_a_normal_petition(client, dept_user, normal):
    client.force_login(dept_user)
    assert client.get(url(normal.attachments.get())).status_code == 200


def test_the_assigned_department_gets_404_for_a_hidden_petitioners_own_file(
    client, dept_user, hidden
):
    client.force_login(dept_user)
    assert client.get(url(hidden.attachments.get())).status_code == 404


def test_another_department_gets_404(client, other_dept_user, normal):
    client.force_login(other_dept_user)
    assert client.get(url(normal.attachments.get())).status_code == 404


def test_the_submitting_organisation_downloads_its_hidden_petitioners_file(
    client, farmers_union, hidden
):
    colleague = UserFactory(roles=[Role.FRONT], departments=[farmers_union])
    client.force_login(colleague)
    assert client.get(url(hidden.attachments.get())).status_code == 200


def test_another_front_organisation_gets_404(client, front_user, normal):
    client.force_login(front_user)
    assert client.get(url(normal.attachments.get())).status_code == 404


def test_an_answers_file_stays_visible_to_the_assigned_department_when_identity_is_hidden(
    client, dept_user, hidden
):
    assignment = hidden.assignments.get()
    answer = services.answer_submit(
        assignment=assignment,
        actor=dept_user,
        text="Phòng Kinh tế đã khảo sát, sẽ nạo vét cống trong tháng.",
        attachments=[checked("bien-ban-khao-sat.png", image_bytes("PNG"))],
    )
    answer_file = answer.attachments.get()
    client.force_login(dept_user)
    response = client.get(url(answer_file))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client.get(url(hidden.attachments.get(answer__isnull=True))).status_code == 404


def test_a_missing_attachment_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("petitions:attachment", args=[999_999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, normal):
    response = client.get(url(normal.attachments.get()))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

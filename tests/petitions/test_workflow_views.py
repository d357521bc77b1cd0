"""The petition page and its actions, as each role reaches them."""

import unicodedata
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from petitions import services
from petitions.models import Answer, Assignment, Petition
from tests.factories import UserFactory
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


@pytest.fixture
def hidden(staff, department):
    petition, assignment = assigned(
        staff, department, petitioner_name="Trần Văn Hùng", hide_identity=True
    )
    return petition, assignment


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("staff", 200),
        ("office", 200),
        ("secretary", 200),
        ("inspector", 200),
        ("dept_user", 200),
        ("other_dept_user", 404),
        ("front_user", 404),
    ],
)
def test_who_may_open_an_assigned_petition(client, request, hidden, actor, status):
    petition, _assignment = hidden
    response = page(client, request.getfixturevalue(actor), f"/petitions/{petition.pk}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("actor", "status"),
    [("dept_user", 200), ("other_dept_user", 404), ("staff", 200), ("front_user", 404)],
)
def test_who_may_open_an_assignment(client, request, hidden, actor, status):
    _petition, assignment = hidden
    response = page(
        client, request.getfixturevalue(actor), f"/petitions/assignments/{assignment.pk}/"
    )
    assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, hidden):
    petition, _assignment = hidden
    response = client.get(f"/petitions/{petition.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_hidden_petitioner_is_never_shown_to_the_department(client, hidden, dept_user, staff):
    petition, assignment = hidden
    for url in (f"/petitions/{petition.pk}/", f"/petitions/assignments/{assignment.pk}/"):
        body = page(client, dept_user, url).content.decode()
        assert "Trần Văn Hùng" not in body
        assert "giữ bí mật" in body
    assert "Trần Văn Hùng" in page(client, staff, f"/petitions/{petition.pk}/").content.decode()


@pytest.mark.parametrize("action", ["classify", "assign", "close", "reopen", "route-out"])
def test_read_only_roles_and_departments_cannot_act_on_a_petition(
    client, hidden, inspector, secretary, dept_user, other_dept_user, action
):
    petition, _assignment = hidden
    url = f"/petitions/{petition.pk}/{action}/"
    assert page(client, inspector, url).status_code == 403
    assert page(client, secretary, url).status_code == 403
    assert page(client, dept_user, url).status_code == 403
    assert page(client, other_dept_user, url).status_code == 404


def test_only_the_lead_department_may_answer(client, staff, department, other_department):
    petition = classified(staff)
    assignment = services.petition_assign(
        petition=petition, actor=staff, department=department, supporting=[other_department]
    )
    supporter = UserFactory(roles=["department"], departments=[other_department])
    client.force_login(supporter)
    assert client.get(f"/petitions/assignments/{assignment.pk}/").status_code == 200
    response = client.post(f"/petitions/assignments/{assignment.pk}/answer/", {"text": "x"})
    assert response.status_code == 403
    outsider = UserFactory(roles=["department"], departments=[])
    client.force_login(outsider)
    response = client.post(f"/petitions/assignments/{assignment.pk}/answer/", {"text": "x"})
    assert response.status_code == 404


def test_the_whole_handling_through_the_pages(client, staff, department, dept_user):
    petition = received(staff)
    client.force_login(staff)
    topic = services.Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    response = client.post(
        f"/petitions/{petition.pk}/classify/",
        {"kind": "request", "topic": topic.pk, "urgency": "pressing", "then": "assign"},
    )
    assert response["Location"] == f"/petitions/{petition.pk}/assign/"
    response = client.post(f"/petitions/{petition.pk}/assign/", {"department": department.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get(petition=petition)

    client.force_login(dept_user)
    response = client.post(
        f"/petitions/assignments/{assignment.pk}/answer/",
        {"text": "Đã khảo sát, sửa đường trong tháng 12."},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(assignment=assignment)

    client.force_login(staff)
    response = client.post(f"/petitions/answers/{answer.pk}/review/", {"decision": "accept"})
    assert response.status_code == 302
    response = client.post(
        f"/petitions/{petition.pk}/close/",
        {"outcome": "scheduled", "scheduled_for": "31/12/2026"},
        follow=True,
    )
    petition.refresh_from_db()
    assert (petition.status, petition.outcome, petition.scheduled_for) == (
        Petition.Status.CLOSED,
        Petition.Outcome.SCHEDULED,
        date(2026, 12, 31),
    )
    body = response.content.decode()
    assert "Sẽ giải quyết" in body
    kinds = list(petition.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "classified",
        "assigned",
        "answered",
        "answer_accepted",
        "closed",
    ]


def test_a_bad_outcome_form_says_why_and_keeps_what_was_typed(client, staff):
    petition = classified(staff)
    client.force_login(staff)
    response = client.post(
        f"/petitions/{petition.pk}/close/",
        {"outcome": "scheduled", "scheduled_for": "", "note": "Ghi chú đã gõ"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    # Said once, beside the date, not again above the form.
    assert body.count("Hãy nhập thời hạn sẽ giải quyết xong") == 1
    assert "Ghi chú đã gõ" in body
    response = client.post(
        f"/petitions/{petition.pk}/close/", {"outcome": "scheduled", "scheduled_for": "31/02/2026"}
    )
    body = response.content.decode()
    # One message for one mistake: the date does not exist (not also "give the date").
    assert response.context["form"].errors == {
        "scheduled_for": ["Không có ngày 31/02/2026: tháng 2 năm 2026 có 28 ngày."]
    }
    assert "Hãy nhập thời hạn sẽ giải quyết xong" not in body


def test_returning_an_answer_needs_a_comment(client, staff, department, dept_user):
    _petition, assignment = assigned(staff, department)
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Sơ sài")
    client.force_login(staff)
    response = client.post(f"/petitions/answers/{answer.pk}/review/", {"decision": "return"})
    assert response.status_code == 200
    assert "Hãy nêu nội dung cơ quan cần làm lại" in response.content.decode()
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED


def test_a_department_answer_with_bad_input_is_refused_and_kept(
    client, staff, department, dept_user
):
    _petition, assignment = assigned(staff, department)
    client.force_login(dept_user)
    url = f"/petitions/assignments/{assignment.pk}/answer/"
    response = client.post(url, {"text": "x" * 100_000})
    assert response.status_code == 200
    assert "10000" in response.content.decode().replace(".", "")
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(url, {"text": "Trả lời có tệp", "attachments": [fake]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "bao-cao.pdf" in body
    assert "Trả lời có tệp" in body
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.OPEN


def test_declining_and_asking_for_more_time_from_the_assignment_page(
    client, staff, department, dept_user
):
    _petition, assignment = assigned(staff, department)
    client.force_login(dept_user)
    url = f"/petitions/assignments/{assignment.pk}"
    response = client.post(f"{url}/extension/", {"new_deadline": "01/01/2020", "reason": "x"})
    assert "Thời hạn mới phải sau thời hạn hiện tại" in response.content.decode()
    response = client.post(f"{url}/decline/", {"reason": ""})
    assert response.status_code == 200
    response = client.post(f"{url}/decline/", {"reason": "Thuộc Công an xã"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DECLINED


def test_script_tags_are_shown_as_text(client, staff):
    petition = received(staff, summary="<script>alert(1)</script>", content="<b>đậm</b>")
    body = page(client, staff, f"/petitions/{petition.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;" in body


def test_the_classify_page_shows_similar_petitions_whatever_the_accents(client, staff):
    nfd = unicodedata.normalize("NFD", "Đường liên xóm Đông Hồ xuống cấp nghiêm trọng")
    earlier = received(staff, summary=nfd, content=nfd)
    received(staff, summary="Trạm y tế thiếu thuốc", content="Trạm y tế thiếu thuốc")
    petition = received(
        staff,
        summary="Đường liên xóm Đông Hồ xuống cấp",
        content="Đường liên xóm Đông Hồ xuống cấp, nhiều ổ gà",
    )
    response = page(client, staff, f"/petitions/{petition.pk}/classify/")
    similar = [item.petition for item in response.context["similar"]]
    assert similar == [earlier]
    client.post(f"/petitions/{petition.pk}/merge/", {"primary": earlier.pk})
    petition.refresh_from_db()
    assert petition.duplicate_of == earlier


def test_the_petition_page_costs_the_same_queries_however_long_its_history(
    client, staff, department, dept_user, django_assert_max_num_queries
):
    petition, assignment = assigned(staff, department)
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Trả lời")
    services.answer_return(answer=answer, actor=staff, comment="Bổ sung lần 1")
    client.force_login(staff)
    client.get(f"/petitions/{petition.pk}/")  # warm the session
    with django_assert_max_num_queries(20) as short:
        response = client.get(f"/petitions/{petition.pk}/")
    assert response.status_code == 200
    assert "Bổ sung lần 1" in response.content.decode()
    for n in range(2, 5):
        answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Trả lời")
        services.answer_return(answer=answer, actor=staff, comment=f"Bổ sung lần {n}")
    with django_assert_max_num_queries(len(short.captured_queries)):
        response = client.get(f"/petitions/{petition.pk}/")
    assert response.status_code == 200
    assert all(f"Bổ sung lần {n}" in response.content.decode() for n in range(1, 5))


def test_a_file_name_in_the_timeline_does_not_reveal_a_hidden_petitioner(
    client, staff, department, dept_user
):
    petition, _assignment = assigned(staff, department, hide_identity=True)
    upload = SimpleUploadedFile("Don cua ba Le Thi Thu.pdf", b"%PDF-1.4\n%%EOF\n")
    services.attachment_add(petition=petition, actor=staff, upload=upload)
    body = page(client, dept_user, f"/petitions/{petition.pk}/").content.decode()
    assert "Le Thi Thu" not in body
    assert "Le Thi Thu" in page(client, staff, f"/petitions/{petition.pk}/").content.decode()


def test_a_deadline_before_receipt_is_refused_on_the_assign_page(client, staff, department):
    petition = classified(staff)
    client.force_login(staff)
    response = client.post(
        f"/petitions/{petition.pk}/assign/",
        {"department": department.pk, "deadline": "01/10/2026", "instructions": "Xử lý gấp"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thời hạn không được trước ngày hôm nay hoặc trước ngày tiếp nhận" in body
    assert "Xử lý gấp" in body
    assert not Assignment.objects.filter(petition=petition).exists()

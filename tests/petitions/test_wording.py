"""What the petition pages say while one types: words, limits, gaps and dates."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from petitions.models import AnswerTemplate, Topic
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db


def test_choices_start_with_a_word_not_dashes(client, staff, department):
    petition = classified(staff)
    client.force_login(staff)
    for url in (
        reverse("petitions:assign", args=[petition.pk]),
        reverse("petitions:classify", args=[petition.pk]),
        reverse("petitions:new"),
        reverse("petitions:quick"),
    ):
        page = client.get(url).content.decode()
        assert "---------" not in page, url
    assert (
        "— Chọn cơ quan chủ trì —"
        in client.get(reverse("petitions:assign", args=[petition.pk])).content.decode()
    )


def test_a_file_is_called_tep_in_every_message():
    with pytest.raises(forms.ValidationError) as error:
        forms.FileField().clean(None)
    assert "tập tin" not in str(error.value).lower()
    field = forms.FileField()
    with pytest.raises(forms.ValidationError) as error:
        field.clean(type("Empty", (), {"name": "a.pdf", "size": 0})())
    assert "Tệp được gửi không có nội dung." in error.value.messages


def test_a_long_text_is_refused_whole_never_cut(client, staff, department, dept_user):
    _petition, assignment = assigned(staff, department)
    client.force_login(dept_user)
    page = client.get(reverse("petitions:assignment", args=[assignment.pk])).content.decode()
    assert 'data-limit="10000"' in page
    assert "maxlength" not in page.split('id="id_text"')[1].split(">")[0]
    pasted = "Nội dung trả lời dài. " * 500  # 11,000 characters
    response = client.post(
        reverse("petitions:assignment_answer", args=[assignment.pk]), {"text": pasted}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trả lời tối đa 10.000 ký tự (hiện có 10.999)." in body
    assert response.context["answer_form"]["text"].value() == pasted


def test_an_answer_with_places_left_to_fill_is_flagged_before_it_is_sent(
    client, staff, department, dept_user
):
    _petition, assignment = assigned(staff, department)
    client.force_login(dept_user)
    url = reverse("petitions:assignment_answer", args=[assignment.pk])
    text = "UBND xã đưa hạng mục vào kế hoạch sửa chữa năm ..., dự kiến thi công trong tháng …"
    response = client.post(url, {"text": text})
    assert response.status_code == 200
    assert "còn chỗ trống chưa điền" in response.content.decode()
    assert "(“sửa chữa năm ...”; “công trong tháng …”)" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.is_running
    # Ticking the box says the dots are meant to be there.
    response = client.post(url, {"text": text, "send_with_gaps": "on"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.is_running


def test_the_answer_templates_picker_offers_the_topics_wordings(
    client, staff, department, dept_user
):
    petition, assignment = assigned(staff, department)
    AnswerTemplate.objects.create(topic=petition.topic, title="Đưa vào kế hoạch", body="Mẫu ...")
    client.force_login(dept_user)
    page = client.get(reverse("petitions:assignment", args=[assignment.pk])).content.decode()
    assert "— Chọn mẫu trả lời —" in page
    assert "Đưa vào kế hoạch" in page


def test_no_address_line_when_there_is_no_address(client, staff):
    petition = received(staff, petitioner_address="")
    client.force_login(staff)
    page = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert 'data-testid="address"' not in page
    assert "—" not in page.split('data-testid="petitioner"')[1].split("</section>")[0]


def test_the_address_names_the_hamlet_once(staff):
    from petitions.models import ResidentialUnit

    unit = ResidentialUnit.objects.create(kind="xom", name="Yên Lạc")
    petition = received(staff, petitioner_address="Nhà số 12", residential_unit=unit)
    assert petition.address_line == "Nhà số 12, Xóm Yên Lạc"
    petition = received(staff, petitioner_address="Xóm Yên Lạc", residential_unit=unit)
    assert petition.address_line == "Xóm Yên Lạc"


def test_the_assign_page_counts_the_working_days_of_a_typed_deadline(client, staff, clock):
    clock.set(date(2026, 12, 1))
    petition = classified(staff)
    client.force_login(staff)
    response = client.get(reverse("petitions:assign", args=[petition.pk]))
    page = response.content.decode()
    assert 'data-deadline-hint="deadline-calendar"' in page
    assert 'id="deadline-calendar" type="application/json"' in page
    assert response.context["calendar"]["daysOff"]["2026-12-05"] == "Thứ Bảy"


def test_a_deadline_on_a_day_off_is_accepted_with_a_word(client, staff, department, clock):
    clock.set(date(2026, 12, 1))
    petition = classified(staff)
    client.force_login(staff)
    response = client.post(
        reverse("petitions:assign", args=[petition.pk]),
        {"department": department.pk, "deadline": "06/12/2026"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("thời hạn rơi vào ngày nghỉ (Chủ nhật)" in m for m in messages)


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/accounts/login/").content.decode()


def test_topics_are_named_in_vietnamese_on_the_classify_page(client, staff):
    petition = received(staff)
    client.force_login(staff)
    page = client.get(reverse("petitions:classify", args=[petition.pk])).content.decode()
    assert "— Chọn lĩnh vực —" in page
    assert Topic.objects.first().name in page

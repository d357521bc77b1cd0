"""The keyboard page of a reception day: the kind as one key, Enter saves and brings a blank
form for the next visit, a refusal keeps what was typed and says why in Vietnamese."""

from datetime import date, time

import pytest
from django.urls import reverse

from petitions.models import Petition
from sessions import reception
from sessions.models import ReceptionVisit
from tests.sessions.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(clock, office):
    clock.set(TODAY)
    return reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=office
    )


def typed(**fields) -> dict:
    return {
        "visitor_name": "Trần Thị Hoa",
        "visitor_address": "Xóm Đông Hồ",
        "id_number": "040123456789",
        "kind": "3",
        "content": "Đề nghị lắp đèn đường xóm Đông Hồ",
        "people_count": "1",
        **fields,
    }


@pytest.mark.parametrize(
    ("key", "kind"),
    [("1", "complaint"), ("2", "denunciation"), ("3", "proposal"), ("4", "feedback")],
)
def test_the_kind_is_one_key(client, day, office, key, kind):
    client.force_login(office)
    response = client.post(reverse("sessions:reception_day", args=[day.pk]), typed(kind=key))
    assert response.status_code == 302
    assert ReceptionVisit.objects.get().kind == kind


def test_enter_saves_and_brings_a_blank_form_for_the_next_visit(client, day, office):
    client.force_login(office)
    url = reverse("sessions:reception_day", args=[day.pk])
    response = client.post(url, typed(), follow=True)
    assert response.redirect_chain == [(url, 302)]
    form = response.context["form"]
    assert not form.is_bound
    assert response.context["next_number"] == 2
    page = response.content.decode()
    assert 'name="visitor_name"' in page and "autofocus" in page
    assert "Trần Thị Hoa" in page  # in the register below, not in the form
    assert 'value="Trần Thị Hoa"' not in page
    assert "js/reception-entry.js" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"id_number": "12345"}, "id_number", "Số CMND/CCCD gồm 9 hoặc 12 chữ số."),
        ({"id_number": "04012345678x"}, "id_number", "Số CMND/CCCD gồm 9 hoặc 12 chữ số."),
        ({"visitor_name": ""}, "visitor_name", "Nhập họ tên công dân."),
        ({"content": " "}, "content", "Nhập tóm tắt nội dung công dân trình bày."),
    ],
)
def test_a_refusal_keeps_what_was_typed_and_says_why_in_vietnamese(
    client, day, office, fields, field, message
):
    client.force_login(office)
    data = typed(**fields)
    response = client.post(
        reverse("sessions:reception_day", args=[day.pk]), data, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert message in page
    for name in ("visitor_address", "content"):
        if data[name].strip():
            assert data[name] in page
    assert f'value="{data["id_number"]}"' in page
    assert not ReceptionVisit.objects.exists() and not Petition.objects.exists()


def test_a_kind_that_is_not_one_of_the_four_keys_is_refused(client, day, office):
    client.force_login(office)
    response = client.post(reverse("sessions:reception_day", args=[day.pk]), typed(kind="7"))
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not ReceptionVisit.objects.exists()


def test_the_visitor_asks_for_their_identity_to_be_hidden_from_units(client, day, office):
    client.force_login(office)
    client.post(reverse("sessions:reception_day", args=[day.pk]), typed(hide_identity="on"))
    assert ReceptionVisit.objects.get().petition.hide_identity


def test_no_form_before_the_day(client, clock, office):
    clock.set(TODAY)
    coming = reception.reception_day_schedule(
        held_on=date(2026, 12, 3), starts_at=time(8), location="Trụ sở", actor=office
    )
    client.force_login(office)
    page = client.get(reverse("sessions:reception_day", args=[coming.pk])).content.decode()
    assert 'data-testid="visit-form"' not in page
    response = client.post(reverse("sessions:reception_day", args=[coming.pk]), typed())
    assert response.status_code == 200
    assert not ReceptionVisit.objects.exists()


def test_the_summary_is_marked_required_like_the_name(client, day, office):
    client.force_login(office)
    form = client.get(reverse("sessions:reception_day", args=[day.pk])).context["form"]
    assert form.fields["content"].required and form.fields["visitor_name"].required


@pytest.mark.parametrize(
    ("key", "remit", "within_remit"),
    [("1", "", False), ("2", "", False), ("3", "", True), ("1", "yes", True), ("3", "no", False)],
)
def test_the_remit_follows_the_kind_unless_chosen(client, day, office, key, remit, within_remit):
    client.force_login(office)
    data = typed(kind=key, within_remit=remit)
    assert client.post(reverse("sessions:reception_day", args=[day.pk]), data).status_code == 302
    assert ReceptionVisit.objects.get().within_remit is within_remit


def test_the_remit_box_starts_blank_for_the_kind_to_decide(client, day, office):
    client.force_login(office)
    page = client.get(reverse("sessions:reception_day", args=[day.pk])).content.decode()
    assert '<option value="" selected>' in page and "data-remit" in page

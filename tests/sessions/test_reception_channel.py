"""What is raised at a citizen reception is a petition with its own channel, "tiếp dân": the
list filters and exports it, the acknowledgement letter says where it was raised, and only
the register makes such petitions (intake and import do not offer the channel)."""

from datetime import time
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from petitions.forms import PetitionForm
from petitions.models import Petition
from petitions.views.importing import ImportForm
from petitions.views.letters import acknowledgement_document
from sessions import reception
from sessions.models import ReceptionVisit
from tests.factories import PetitionFactory
from tests.sessions.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(clock, office):
    clock.set(TODAY)
    day = reception.reception_day_schedule(
        held_on=TODAY, starts_at=time(7, 30), location="Trụ sở Đảng ủy xã", actor=office
    )
    return reception.reception_visit_record(
        day=day,
        data=reception.VisitData(
            visitor_name="Nguyễn Văn Bình",
            visitor_address="Xóm Yên Thịnh",
            id_number="040123456789",
            content="Đề nghị sửa đường giao thông nội đồng xóm Yên Thịnh",
            kind=ReceptionVisit.Kind.PROPOSAL,
        ),
        actor=office,
    )


def test_the_list_filters_the_petitions_raised_at_a_reception(client, staff, visit):
    PetitionFactory(channel=Petition.Channel.DIRECT)
    client.force_login(staff)
    response = client.get(reverse("petitions:list"), {"channel": "reception"})
    assert [row.petition.code for row in response.context["rows"]] == [visit.petition.code]
    with translation.override("en"):
        page = client.get(reverse("petitions:list")).content.decode()
    assert '<option value="reception">At a citizen reception</option>' in page


def test_the_export_names_the_channel(client, staff, visit):
    client.force_login(staff)
    with translation.override("en"):
        response = client.get(reverse("petitions:export"), {"channel": "reception"})
    content = b"".join(response.streaming_content)
    cells = [
        value
        for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True)
        for value in row
    ]
    assert visit.petition.code in cells
    assert "At a citizen reception" in cells


def test_intake_and_import_do_not_offer_the_reception_channel(staff, visit):
    offered = dict(PetitionForm(user=staff).fields["channel"].choices)
    assert "reception" not in offered and "direct" in offered
    assert "reception" not in dict(ImportForm(user=staff).fields["channel"].choices)
    # A visit's petition, corrected, keeps its channel.
    editing = PetitionForm(user=staff, petition=visit.petition)
    assert "reception" in dict(editing.fields["channel"].choices)


def test_the_acknowledgement_letter_says_it_was_raised_at_the_secretarys_reception(visit):
    document = acknowledgement_document(visit.petition)
    text = " ".join(
        run.text for part in document.body for run in getattr(part, "runs", ()) if run.text
    )
    assert "trình bày trực tiếp tại buổi tiếp công dân của Bí thư Đảng ủy" in text
    assert "gửi trực tiếp" not in text


def test_its_page_leads_back_to_the_days_register_for_those_who_read_it(
    client, staff, dept_user, visit
):
    from sessions.selectors import received_at_reception

    client.force_login(staff)
    page = client.get(reverse("petitions:detail", args=[visit.petition.pk]))
    day_url = reverse("sessions:reception_day", args=[visit.day_id])
    assert [origin.url for origin in page.context["origins"]] == [day_url]
    assert f'href="{day_url}"' in page.content.decode()
    assert f"{visit.day.held_on:%d/%m/%Y}" in page.context["origins"][0].label
    # A unit does not read the register: no link to it.
    assert received_at_reception(dept_user, visit.petition) == []


def test_a_petition_of_another_channel_has_no_reception_origin(staff):
    from sessions.selectors import received_at_reception

    assert received_at_reception(staff, PetitionFactory()) == []

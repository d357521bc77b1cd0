import unicodedata
from datetime import date

import pytest

from petitions import services
from petitions.models import Petition, PetitionEvent, Topic
from tests.petitions.helpers import received

pytestmark = pytest.mark.django_db


def test_receiving_gives_sequential_receipt_codes_per_year(staff):
    first = received(staff)
    second = received(staff)
    earlier_year = received(staff, received_on=date(2025, 12, 30))
    assert first.code == "KN-2026-000001"
    assert second.code == "KN-2026-000002"
    assert earlier_year.code == "KN-2025-000001"


def test_receiving_writes_the_first_event_of_the_timeline(staff):
    petition = received(staff)
    event = petition.events.get()
    assert (event.kind, event.to_status, event.actor) == (
        PetitionEvent.Kind.RECEIVED,
        Petition.Status.RECEIVED,
        staff,
    )


def test_a_petition_received_with_a_topic_is_classified_at_once(staff):
    topic = Topic.objects.first()
    petition = received(staff, topic=topic)
    assert petition.status == Petition.Status.CLASSIFIED
    assert list(petition.events.values_list("kind", flat=True)) == ["received", "classified"]


def test_a_future_received_date_is_refused(staff):
    with pytest.raises(services.InvalidTransition, match="sau ngày hôm nay"):
        received(staff, received_on=date(2099, 1, 1))


def test_the_acknowledgement_is_due_ten_working_days_after_receipt(staff):
    # Received Monday 20/04/2026: Giỗ Tổ in lieu, 30/04 and 01/05 are not counted.
    petition = received(staff, received_on=date(2026, 4, 20))
    assert petition.acknowledgement_due == date(2026, 5, 7)


def test_no_acknowledgement_is_owed_without_an_address(staff):
    petition = received(staff, petitioner_address="")
    assert petition.acknowledgement_due is None
    group = received(staff, petitioner_address="", is_group=True, people_count=12)
    assert group.acknowledgement_due is not None


def test_a_complaint_with_its_legal_channel_is_routed_out_at_intake(staff):
    petition = received(
        staff,
        kind=Petition.Kind.COMPLAINT,
        legal_channel_note="Chuyển UBND xã giải quyết theo Luật Khiếu nại",
    )
    assert petition.status == Petition.Status.ROUTED_OUT
    assert petition.acknowledgement_due is None
    assert "Luật Khiếu nại" in petition.legal_channel_note


def test_a_denunciation_is_refused_without_its_legal_channel(staff):
    with pytest.raises(services.InvalidTransition, match="thủ tục riêng") as refusal:
        received(staff, kind=Petition.Kind.DENUNCIATION)
    assert refusal.value.field == "legal_channel_note"
    assert not Petition.objects.exists()


def test_a_petition_cannot_be_classified_as_a_complaint_for_an_answer(staff):
    petition = received(staff)
    with pytest.raises(services.InvalidTransition, match="thủ tục riêng"):
        services.petition_classify(
            petition=petition,
            actor=staff,
            topic=Topic.objects.first(),
            urgency="normal",
            kind=Petition.Kind.COMPLAINT,
        )


def test_a_group_needs_at_least_two_people(staff):
    with pytest.raises(services.InvalidTransition, match="ít nhất 2 người") as refusal:
        received(staff, is_group=True, people_count=1, petitioner_name="Cử tri xóm Đông Hồ")
    assert refusal.value.field == "people_count"


def test_search_text_is_folded_the_same_for_nfc_and_nfd_input(staff):
    nfd = unicodedata.normalize("NFD", "Quản lý đất đai")
    petition = received(staff, summary=nfd, petitioner_name="Nguyễn Văn Thưởng")
    assert "quan ly dat dai" in petition.search_text
    assert "nguyen van thuong" in petition.search_person


def test_editing_records_the_fields_that_changed(staff):
    petition = received(staff)
    services.petition_update(petition=petition, actor=staff, summary="Tóm tắt mới")
    event = petition.events.latest("id")
    assert event.kind == PetitionEvent.Kind.EDITED
    assert "tóm tắt" in event.note
    petition.refresh_from_db()
    assert "tom tat moi" in petition.search_text


def test_classifying_makes_the_topic_searchable(staff):
    petition = received(staff, summary="Chậm cấp giấy chứng nhận", content="Hồ sơ nộp năm 2024")
    assert "dat dai" not in petition.search_text
    topic = Topic.objects.get(name__startswith="Quản lý đất đai")
    petition = services.petition_classify(
        petition=petition, actor=staff, topic=topic, urgency="normal"
    )
    petition.refresh_from_db()
    assert "quan ly dat dai" in petition.search_text

"""A list uploaded again is seen in the preview: the same file, and rows whose petitioner and
content (folded: no accents, case or punctuation) equal a petition already recorded or an
earlier row. The uploader then chooses, for the whole list, what to do with those rows."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import (
    Assignment,
    ImportBatch,
    Petition,
    PetitionEvent,
    intake_fingerprint,
)
from petitions.permissions import Role
from tests.factories import UserFactory
from tests.petitions.helpers import received
from tests.petitions.import_files import (
    HEADER,
    give_each_a_member,
    sample_bytes,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

ROAD = "Đề nghị sửa đường liên xóm, đoạn qua chợ."
# The same petition as the Front's list may write it: capitals, no accents, no punctuation.
ROAD_ROW = [1, "LÊ VĂN BẢY", "", "de nghi sua duong lien xom doan qua cho", "Giao thông", "UBND xã"]
LIGHT_ROW = [2, "Lê Thị Tám", "", "Đề nghị lắp đèn đường.", "Giao thông", "UBND xã"]


@pytest.fixture(autouse=True)
def lead_unit(db):
    """The rows' agency ("UBND xã") has a member, so it can be assigned work."""
    give_each_a_member(["Văn phòng HĐND và UBND"])


@pytest.fixture
def road(staff) -> Petition:
    return received(staff, petitioner_name="Lê Văn Bảy", content=ROAD, summary="Sửa đường")


def preview_of(client, user, rows, **fields):
    client.force_login(user)
    data = workbook_bytes([HEADER, *rows]) if rows else sample_bytes()
    return client.post(
        reverse("petitions:import"),
        {
            "file": upload(data),
            "channel": Petition.Channel.FRONT,
            "received_on": "02/11/2026",
            **fields,
        },
    )


def confirm(client, preview, **choices):
    url = reverse("petitions:import_confirm", args=[preview.context["batch"].token])
    return client.post(url, choices, follow=True)


def imported(preview) -> list[Petition]:
    return list(Petition.objects.filter(import_batch=preview.context["batch"]).order_by("pk"))


# --- Seen in the preview --------------------------------------------------------------------


def test_the_same_file_again_warns_when_it_was_imported_and_how_many_it_created(client, staff):
    first = preview_of(client, staff, None)
    confirm(client, first)
    when = timezone.localtime(ImportBatch.objects.get().imported_at)

    again = preview_of(client, staff, None)

    warning = again.content.decode().split('data-testid="same-file"')[1].split("</div>")[0]
    assert "Tệp này đã được nhập trước đây." in warning
    assert f"Tệp đã được nhập lúc {when:%H:%M} ngày {when:%d/%m/%Y}, tạo 20 kiến nghị." in warning


def test_a_row_repeating_a_recorded_petition_is_marked_with_its_code(client, staff, road):
    response = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW])

    page = response.content.decode()
    detail = reverse("petitions:detail", args=[road.pk])
    assert f'trùng với <a class="font-monospace" href="{detail}">{road.code}</a>' in page
    assert page.count('data-testid="row-repeat"') == 1
    assert (
        f'1 dòng trùng với kiến nghị đã có (<span class="text-nowrap">{road.code}</span>).' in page
    )
    assert 'name="duplicates"' in page


def test_a_repeated_petition_the_uploader_may_not_see_is_named_but_not_linked(client, road):
    front = UserFactory(roles=[Role.FRONT])

    page = preview_of(client, front, [ROAD_ROW]).content.decode()

    assert f'trùng với <span class="font-monospace">{road.code}</span>' in page
    assert reverse("petitions:detail", args=[road.pk]) not in page


def test_two_equal_rows_of_one_list_are_flagged(client, staff):
    page = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW, [3, *ROAD_ROW[1:]]]).content.decode()

    assert "trùng dòng 2" in page
    assert "1 dòng trùng với một dòng phía trên trong danh sách." in page
    assert 'name="duplicates"' in page


def test_without_repeats_the_preview_asks_nothing(client, staff, road):
    page = preview_of(client, staff, [LIGHT_ROW]).content.decode()

    assert 'data-testid="row-repeat"' not in page
    assert 'data-testid="repeats-summary"' not in page
    assert 'data-testid="same-file"' not in page
    assert 'name="duplicates"' not in page
    assert "Sẽ tạo 1 kiến nghị." in page


def test_the_choice_is_a_radio_group_with_a_legend_and_no_default(client, staff, road):
    page = preview_of(client, staff, [ROAD_ROW]).content.decode()

    fieldset = page.split('<fieldset class="mb-3" id="duplicates"')[1].split("</fieldset>")[0]
    assert "<legend" in fieldset and "Các dòng trùng với kiến nghị đã có" in fieldset
    assert fieldset.count('type="radio" name="duplicates"') == 3
    assert "checked" not in fieldset


# --- The choice -------------------------------------------------------------------------------


def test_confirming_without_a_choice_shows_the_preview_again_and_imports_nothing(
    client, staff, road
):
    preview = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW])

    response = confirm(client, preview, assign="1")

    assert response.status_code == 200
    assert response.redirect_chain == []
    page = response.content.decode()
    assert "Hãy chọn cách xử lý các dòng trùng với kiến nghị đã có." in page
    assert 'data-testid="preview-table"' in page
    assert Petition.objects.count() == 1
    assert ImportBatch.objects.get().status == ImportBatch.Status.PENDING


def test_skipping_imports_the_other_rows_and_lists_the_skipped_ones(client, staff, road):
    preview = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW, [3, *LIGHT_ROW[1:]]])

    response = confirm(client, preview, duplicates="skip", assign="1")

    assert [p.petitioner_name for p in imported(preview)] == ["Lê Thị Tám"]
    assert Assignment.objects.count() == 1
    batch = ImportBatch.objects.get()
    assert batch.duplicate_action == ImportBatch.DuplicateAction.SKIP
    page = response.content.decode()
    assert "2 dòng trong danh sách không được nhập" in page
    assert f"Dòng 2 trùng với {road.code}." in page
    assert "Dòng 4 trùng dòng 3." in page


def test_merging_imports_each_row_as_a_duplicate_of_the_petition_it_repeats(client, staff, road):
    preview = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW, [3, *LIGHT_ROW[1:]]])

    response = confirm(client, preview, duplicates="merge", assign="1")

    road_again, light, light_again = imported(preview)
    assert (road_again.duplicate_of, road_again.outcome) == (road, Petition.Outcome.DUPLICATE)
    assert light.duplicate_of is None and light.status == Petition.Status.ASSIGNED
    assert light_again.duplicate_of == light
    # Only the petition that stays open is assigned, and so mailed.
    assert list(Assignment.objects.values_list("petition", flat=True)) == [light.pk]
    road.refresh_from_db()
    assert road.total_people == 2
    assert PetitionEvent.objects.filter(
        petition=road, kind=PetitionEvent.Kind.DUPLICATE_ADDED
    ).exists()
    page = response.content.decode()
    assert "Trong đó 2 kiến nghị đã được gộp vào kiến nghị trùng." in page
    assert page.count('data-testid="merged-into"') == 2


def test_a_row_repeating_a_merged_duplicate_is_merged_into_its_primary(client, staff, road):
    primary = received(staff, petitioner_name="Nguyễn Văn Thưởng")
    services.petition_merge(duplicate=road, primary=primary, actor=staff)
    preview = preview_of(client, staff, [ROAD_ROW])

    confirm(client, preview, duplicates="merge")

    (road_again,) = imported(preview)
    assert road_again.duplicate_of == primary


def test_a_row_repeating_a_routed_out_complaint_is_skipped_and_said_so(client, staff):
    complaint = received(
        staff,
        petitioner_name="Lê Văn Bảy",
        content=ROAD,
        kind=Petition.Kind.COMPLAINT,
        legal_channel_note="Chuyển UBND xã theo Luật Khiếu nại",
    )
    assert complaint.status == Petition.Status.ROUTED_OUT
    preview = preview_of(client, staff, [ROAD_ROW, LIGHT_ROW])

    response = confirm(client, preview, duplicates="merge")

    assert [p.petitioner_name for p in imported(preview)] == ["Lê Thị Tám"]
    assert ImportBatch.objects.get().skipped_rows == [
        {"row": 2, "code": complaint.code, "same_as_row": None, "reason": "routed_out"}
    ]
    assert (
        f"Dòng 2 trùng với {complaint.code} là khiếu nại, tố cáo đã chuyển theo thủ tục pháp luật"
        in response.content.decode()
    )


def test_importing_repeats_as_new_petitions_keeps_them_apart(client, staff, road):
    preview = preview_of(client, staff, [ROAD_ROW, [2, *ROAD_ROW[1:]]])

    confirm(client, preview, duplicates="new")

    assert [p.duplicate_of for p in imported(preview)] == [None, None]
    assert Petition.objects.filter(intake_fingerprint=road.intake_fingerprint).count() == 3
    assert ImportBatch.objects.get().duplicate_action == ImportBatch.DuplicateAction.NEW


# --- The fingerprint --------------------------------------------------------------------------


def test_the_fingerprint_ignores_accents_case_punctuation_and_spacing():
    assert intake_fingerprint("Lê Văn Bảy", ROAD) == intake_fingerprint(
        "LE  VAN BAY", "de nghi sua duong lien xom - doan qua cho"
    )
    assert intake_fingerprint("Lê Văn Bảy", ROAD) != intake_fingerprint("Lê Văn Bảy", "Khác.")


def test_the_fingerprint_follows_an_edit_of_the_petitioner_or_the_content(staff, road):
    services.petition_update(petition=road, actor=staff, content="Đề nghị lắp đèn đường.")
    road.refresh_from_db()

    assert road.intake_fingerprint == intake_fingerprint("Lê Văn Bảy", "Đề nghị lắp đèn đường.")


def test_the_migration_fingerprints_the_petitions_already_recorded(road):
    Petition.objects.filter(pk=road.pk).update(intake_fingerprint="")
    migration = importlib.import_module("petitions.migrations.0013_intake_fingerprint")

    migration.fill_fingerprints(apps, None)

    road.refresh_from_db()
    assert road.intake_fingerprint == intake_fingerprint("Lê Văn Bảy", ROAD)

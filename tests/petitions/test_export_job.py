"""A long list's Excel file is written by a worker: the request records one export and
returns at once; the requester's page offers the file when it is ready; nobody else sees it;
a double click makes one export; the files are removed after a week."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from openpyxl import load_workbook

from doluong_dialogue import side_effects
from doluong_dialogue.models import Notification, SideEffect
from petitions import exports
from petitions.models import Petition, PetitionExport
from tests.factories import PetitionFactory
from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db

EXPORT = reverse("petitions:export")


@pytest.fixture(autouse=True)
def short_lists(monkeypatch):
    """Lists of more than two rows are long here."""
    monkeypatch.setattr(exports, "DIRECT_LIMIT", 2)


@pytest.fixture
def export_now(client, django_capture_on_commit_callbacks):
    """Ask for the export as the browser does, and let what is left for after commit (the
    worker, inline here) run."""

    def call(params=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(EXPORT, params or {})
        assert response.status_code == 302
        return PetitionExport.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])

    return call


def page(client, export):
    return client.get(reverse("petitions:export_job", args=[export.pk]))


def workbook_codes(export) -> list[str]:
    export.refresh_from_db()
    with export.file.open("rb") as stored:
        sheet = load_workbook(BytesIO(stored.read())).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def workbook_rows(export) -> dict[str, tuple]:
    with export.file.open("rb") as stored:
        sheet = load_workbook(BytesIO(stored.read())).active
    return {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}


def list_codes(client, params) -> list[str]:
    response = client.get(reverse("petitions:list"), params)
    return [row.petition.code for row in response.context["rows"]]


def test_a_short_list_is_still_downloaded_at_once(client, staff):
    PetitionFactory()
    PetitionFactory()
    client.force_login(staff)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kien-nghi-')
    assert not PetitionExport.objects.exists()


def test_a_long_list_records_one_export_and_one_side_effect_and_returns_without_building(
    client, staff
):
    for _ in range(3):
        PetitionFactory(channel=Petition.Channel.DIRECT)
    client.force_login(staff)
    response = client.get(EXPORT, {"channel": "direct", "page": "2"})
    [export] = PetitionExport.objects.all()
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:export_job", args=[export.pk])
    assert export.requested_by == staff
    assert export.query == "channel=direct"
    assert export.status == PetitionExport.Status.PENDING
    assert not export.file
    [effect] = SideEffect.objects.all()
    assert effect.kind == exports.BUILD
    assert effect.payload == {"export_id": export.pk}
    assert side_effects.queue_of(effect.kind) == "documents"

    waiting = page(client, export)
    assert 'http-equiv="refresh"' in waiting.content.decode()
    assert waiting.context["list_url"] == f"{reverse('petitions:list')}?channel=direct"
    assert 'data-testid="export-pending"' in waiting.content.decode()


def test_the_file_holds_the_rows_the_list_shows_for_those_filters(client, staff, export_now):
    older = PetitionFactory(channel=Petition.Channel.DIRECT, received_on=date(2026, 10, 1))
    newer = PetitionFactory(channel=Petition.Channel.DIRECT, received_on=date(2026, 11, 1))
    middle = PetitionFactory(channel=Petition.Channel.DIRECT, received_on=date(2026, 10, 15))
    PetitionFactory(channel=Petition.Channel.FRONT)
    client.force_login(staff)
    params = {"channel": "direct", "sort": "received_asc"}

    export = export_now(params)
    export.refresh_from_db()
    assert export.status == PetitionExport.Status.READY
    assert export.rows == 3
    assert export.finished_at is not None
    assert workbook_codes(export) == list_codes(client, params)
    assert workbook_codes(export) == [older.code, middle.code, newer.code]

    ready = page(client, export)
    assert 'http-equiv="refresh"' not in ready.content.decode()
    download = reverse("petitions:export_file", args=[export.pk])
    assert f'href="{download}"' in ready.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="kien-nghi-')
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 4

    [told] = Notification.objects.filter(user=staff)
    assert told.url == reverse("petitions:export_job", args=[export.pk])
    assert told.title


def test_the_rows_are_read_when_the_file_is_built(
    client, staff, django_capture_on_commit_callbacks
):
    for _ in range(3):
        PetitionFactory(channel=Petition.Channel.DIRECT)
    client.force_login(staff)
    client.get(EXPORT, {"channel": "direct"})
    later = PetitionFactory(channel=Petition.Channel.DIRECT)
    [export] = PetitionExport.objects.all()
    side_effects.run(SideEffect.objects.get().pk)
    assert later.code in workbook_codes(export)
    assert len(workbook_codes(export)) == 4


def test_a_department_users_file_holds_only_their_petitions_identities_masked(
    client, staff, dept_user, department, other_department, export_now
):
    hidden, _a = assigned(staff, department, petitioner_name="Lê Đình Hòe", hide_identity=True)
    shown, _b = assigned(staff, department, petitioner_name="Trần Thị Lài")
    third, _c = assigned(staff, department, petitioner_name="Phan Văn Tú")
    theirs, _d = assigned(staff, other_department)
    client.force_login(dept_user)

    export = export_now()
    rows = workbook_rows(export)
    assert set(rows) == {hidden.code, shown.code, third.code}
    assert theirs.code not in rows
    assert rows[hidden.code][2] == "Đã giữ bí mật"
    assert rows[shown.code][2] == "Trần Thị Lài"
    assert sorted(rows) == sorted(list_codes(client, {}))


def test_nobody_but_the_requester_sees_the_export_or_its_file(
    client, staff, office, dept_user, other_dept_user, export_now
):
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    export = export_now()
    job = reverse("petitions:export_job", args=[export.pk])
    download = reverse("petitions:export_file", args=[export.pk])
    assert client.get(job).status_code == 200
    assert client.get(download).status_code == 200
    for other in (office, dept_user, other_dept_user):
        client.force_login(other)
        assert client.get(job).status_code == 404
        assert client.get(download).status_code == 404
        assert export.pk not in [
            e.pk for e, _url in client.get(reverse("petitions:exports")).context["exports"]
        ]
    client.logout()
    assert reverse("login") in client.get(job)["Location"]
    assert reverse("login") in client.get(download)["Location"]


def test_a_double_click_makes_one_export(client, staff, django_capture_on_commit_callbacks):
    for _ in range(3):
        PetitionFactory(channel=Petition.Channel.DIRECT)
    client.force_login(staff)
    first = client.get(EXPORT, {"channel": "direct", "page": "3"})
    # The same filters in another order, from another page of the list, with a parameter
    # that is no filter.
    second = client.get(EXPORT, {"page": "1", "channel": "direct", "q": "", "ref": "x" * 5000})
    assert first["Location"] == second["Location"]
    assert PetitionExport.objects.count() == 1
    assert SideEffect.objects.count() == 1

    # Built and asked for again a moment later: the same file.
    side_effects.run(SideEffect.objects.get().pk)
    third = client.get(EXPORT, {"channel": "direct"})
    assert third["Location"] == first["Location"]
    assert PetitionExport.objects.count() == 1

    # Other filters, or another user: another export.
    client.get(EXPORT, {"channel": "direct", "sort": "received_asc"})
    assert PetitionExport.objects.count() == 2


def test_the_same_list_asked_for_again_later_is_built_again(client, staff, clock):
    clock.set(date(2026, 12, 1), hour=9)
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    client.get(EXPORT)
    side_effects.run(SideEffect.objects.get().pk)
    clock.set(date(2026, 12, 1), hour=10)
    response = client.get(EXPORT)
    assert PetitionExport.objects.count() == 2
    newest = PetitionExport.objects.order_by("-created_at").first()
    assert response["Location"] == reverse("petitions:export_job", args=[newest.pk])


def test_a_failed_build_says_so_and_a_new_request_starts_again(client, staff, monkeypatch):
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    client.get(EXPORT)
    [export] = PetitionExport.objects.all()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports, "write_workbook", broken)
    assert side_effects.run(SideEffect.objects.get().pk) == "pending"  # tried again later
    export.refresh_from_db()
    assert export.status == PetitionExport.Status.FAILED
    assert not export.file
    shown = page(client, export)
    assert 'data-testid="export-failed"' in shown.content.decode()
    assert 'http-equiv="refresh"' not in shown.content.decode()
    assert client.get(reverse("petitions:export_file", args=[export.pk])).status_code == 302

    client.get(EXPORT)
    assert PetitionExport.objects.count() == 2


def test_files_are_removed_a_week_after_they_were_asked_for(client, staff, clock, export_now):
    for _ in range(3):
        PetitionFactory()
    clock.set(date(2026, 12, 1))
    client.force_login(staff)
    old = export_now()
    clock.set(date(2026, 12, 6))
    client.force_login(staff)
    recent = export_now({"sort": "received_asc"})
    old.refresh_from_db()
    recent.refresh_from_db()
    old_name, recent_name = old.file.name, recent.file.name
    assert default_storage.exists(old_name)

    clock.set(date(2026, 12, 9))
    client.force_login(staff)
    assert exports.exports_expire() == 1
    assert not default_storage.exists(old_name)
    assert default_storage.exists(recent_name)
    old.refresh_from_db()
    assert old.status == PetitionExport.Status.EXPIRED
    assert not old.file
    assert 'data-testid="export-expired"' in page(client, old).content.decode()
    assert client.get(reverse("petitions:export_file", args=[old.pk])).status_code == 302
    assert exports.exports_expire() == 0  # run again: nothing more


def test_the_nightly_task_removes_old_files(settings):
    from doluong_dialogue.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["petition-exports-remove"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_export_page_reads_the_same_queries_whatever_its_state(
    client, staff, django_assert_num_queries
):
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    client.get(EXPORT)
    [export] = PetitionExport.objects.all()
    # session, user, the export; the header's site configuration, roles, units and bell
    with django_assert_num_queries(7):
        waiting = page(client, export)
    side_effects.run(SideEffect.objects.get().pk)
    with django_assert_num_queries(7):
        ready = page(client, export)
    assert 'data-testid="export-pending"' in waiting.content.decode()
    assert 'data-testid="export-ready"' in ready.content.decode()


def test_my_exports_lists_the_users_own_newest_first(
    client, staff, export_now, django_assert_num_queries
):
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    first = export_now()
    second = export_now({"sort": "received_asc"})
    # session, user, the exports; the header's site configuration, roles, units and bell
    with django_assert_num_queries(7):
        response = client.get(reverse("petitions:exports"))
    assert [export.pk for export, _url in response.context["exports"]] == [second.pk, first.pk]
    assert reverse("petitions:export_file", args=[first.pk]) in response.content.decode()


def test_the_build_goes_to_the_documents_workers_under_the_long_time_limit(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from doluong_dialogue.tasks import run_long_side_effect, run_side_effect

    published = []
    monkeypatch.setattr(side_effects, "tasks_run_inline", lambda: False)
    monkeypatch.setattr(
        side_effects,
        "publish",
        lambda task, *args, queue=None: published.append((task.name, args, queue)),
    )
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(EXPORT)
    effect = SideEffect.objects.get()
    assert published == [(run_long_side_effect.name, (effect.pk,), "documents")]
    assert run_long_side_effect.time_limit > run_side_effect.time_limit
    assert run_long_side_effect.time_limit * 1.5 < side_effects.LEASE.total_seconds()
    assert PetitionExport.objects.get().status == PetitionExport.Status.PENDING


def test_an_export_never_built_stops_reloading_and_a_new_request_starts_again(client, staff, clock):
    clock.set(date(2026, 12, 1), hour=9)
    for _ in range(3):
        PetitionFactory()
    client.force_login(staff)
    client.get(EXPORT)
    [export] = PetitionExport.objects.all()  # its worker never came
    clock.set(date(2026, 12, 1), hour=11)
    client.force_login(staff)
    shown = page(client, export).content.decode()
    assert 'data-testid="export-stalled"' in shown
    assert 'http-equiv="refresh"' not in shown
    client.get(EXPORT)
    assert PetitionExport.objects.count() == 2

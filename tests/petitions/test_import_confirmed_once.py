"""An uploaded list is imported once, however many confirmations arrive: a double click, a
retry, two tabs. The first imports; the others are shown its result."""

import threading

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.urls import reverse

from petitions.models import Assignment, Department, ImportBatch, Petition, PetitionEvent
from petitions.permissions import Role
from tests.factories import UserFactory
from tests.petitions.import_files import SAMPLE_LEADS, give_each_a_member, sample_bytes, upload

ALREADY_IMPORTED = "Danh sách này đã được nhập lúc"


def give_every_department_an_address() -> None:
    """So that each assignment sends its e-mail, and a second one would show; the units
    the sample names to lead get a member, without whom they cannot be assigned work."""
    give_each_a_member(SAMPLE_LEADS)
    for department in Department.objects.all():
        department.email = f"ban{department.pk}@doluong.example"
        department.save(update_fields=["email"])


def preview(client, user) -> ImportBatch:
    client.force_login(user)
    response = client.post(
        reverse("petitions:import"),
        {"file": upload(sample_bytes()), "channel": Petition.Channel.FRONT},
    )
    assert response.context["plan"].errors == []
    return response.context["batch"]


def confirm(client, batch: ImportBatch):
    url = reverse("petitions:import_confirm", args=[batch.token])
    return client.post(url, {"assign": "1"}, follow=True)


def assert_imported_once(batch: ImportBatch) -> None:
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Petition.objects.count() == 20
    assert Petition.objects.filter(import_batch=batch).count() == 20
    assert PetitionEvent.objects.filter(kind=PetitionEvent.Kind.RECEIVED).count() == 20
    assert Assignment.objects.count() == 20
    assert len(mail.outbox) == 20
    assert len({message.subject for message in mail.outbox}) == 20


def shows_result(response, batch: ImportBatch) -> bool:
    return response.redirect_chain[-1][0] == reverse(
        "petitions:import_result", args=[batch.token]
    ) and all(
        code in response.content.decode()
        for code in Petition.objects.values_list("code", flat=True)
    )


@pytest.mark.django_db
def test_two_confirmations_in_a_row_import_the_list_once(
    client, staff, django_capture_on_commit_callbacks
):
    give_every_department_an_address()
    batch = preview(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        first = confirm(client, batch)
        second = confirm(client, batch)

    assert_imported_once(batch)
    assert "Đã nhập 20 kiến nghị" in first.content.decode()
    # The second is not an error: it is shown what the first imported.
    assert shows_result(second, batch)
    page = second.content.decode()
    assert ALREADY_IMPORTED in page
    assert 'class="alert alert-info' in page


@pytest.mark.django_db
def test_the_result_page_reads_the_import_from_the_database(client, staff):
    batch = preview(client, staff)
    confirm(client, batch)

    # Another browser, another session: the result is still there.
    elsewhere = Client()
    elsewhere.force_login(staff)
    response = elsewhere.get(reverse("petitions:import_result", args=[batch.token]))

    assert response.status_code == 200
    assert [p.pk for p in response.context["petitions"]] == list(
        Petition.objects.order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.postgres
def test_two_confirmations_at_the_same_time_import_the_list_once(reference_data):
    staff = UserFactory(roles=[Role.PARTY_BUILDING])
    give_every_department_an_address()
    batch = preview(Client(), staff)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(staff)
    start = threading.Barrier(len(clients))
    responses, failures = [], []

    def confirm_in_a_thread(client):
        try:
            start.wait()
            responses.append(confirm(client, batch))
        except Exception as failure:  # reported below, in the test's thread
            failures.append(failure)
        finally:
            connections.close_all()  # each thread has its own connection

    threads = [threading.Thread(target=confirm_in_a_thread, args=[c]) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert_imported_once(batch)
    assert all(shows_result(response, batch) for response in responses)
    pages = sorted(response.content.decode() for response in responses)
    assert sum("Đã nhập 20 kiến nghị" in page for page in pages) == 1
    assert sum(ALREADY_IMPORTED in page for page in pages) == 1

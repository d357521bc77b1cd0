"""A signed conclusion's words never change, whatever the path: the services, the pages, the
admin, the model, a QuerySet update, a link added, and the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conclusions import services
from conclusions.models import Conclusion, Directive, FrozenConclusion
from doluong_dialogue.rules import RuleError
from tests.conclusions.helpers import signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def conclusion(staff, office, secretary, clock, department):
    return signed(staff, office, secretary, clock, department)


def unchanged(conclusion):
    stored = Conclusion.objects.get(pk=conclusion.pk)
    assert stored.summary == conclusion.summary
    assert stored.dialogued == conclusion.dialogued
    directive = stored.directives.get()
    assert directive.task == conclusion.directives.get().task


def test_the_services_refuse(conclusion, staff, department):
    data = services.ConclusionData.of(conclusion)
    data.summary = "Khác"
    with pytest.raises(RuleError, match="chỉ sửa"):
        services.conclusion_update(conclusion=conclusion, data=data, actor=staff)
    directive = conclusion.directives.get()
    with pytest.raises(RuleError):
        services.directive_update(
            directive=directive, data=services.DirectiveData.of(directive), actor=staff
        )
    with pytest.raises(RuleError):
        services.directive_remove(directive=directive, actor=staff)
    with pytest.raises(RuleError):
        services.directive_add(
            conclusion=conclusion,
            data=services.DirectiveData(lead=department, task="Thêm", working_days=5),
            actor=staff,
        )
    unchanged(conclusion)


def test_the_pages_refuse(client, conclusion, staff):
    client.force_login(staff)
    edit = client.post(reverse("conclusions:edit", args=[conclusion.pk]), {"summary": "Khác"})
    assert edit.status_code == 302
    directive = conclusion.directives.get()
    client.post(reverse("conclusions:directive_edit", args=[directive.pk]), {"task": "Khác"})
    client.post(reverse("conclusions:directive_remove", args=[directive.pk]))
    assert client.get(reverse("conclusions:notice_docx", args=[conclusion.pk])).status_code == 302
    unchanged(conclusion)


def test_the_admin_shows_it_read_only(client, conclusion, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:conclusions_conclusion_change", args=[conclusion.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    client.post(url, {"summary": "Khác"})
    delete = client.post(
        reverse("admin:conclusions_conclusion_delete", args=[conclusion.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    unchanged(conclusion)


def test_the_model_refuses(conclusion):
    conclusion.summary = "Khác"
    with pytest.raises(FrozenConclusion):
        conclusion.save()
    with pytest.raises(FrozenConclusion):
        conclusion.save(update_fields=["summary"])
    conclusion.refresh_from_db()
    with pytest.raises(FrozenConclusion):
        Conclusion.objects.filter(pk=conclusion.pk).update(dialogued="Khác")
    with pytest.raises(FrozenConclusion):
        conclusion.delete()
    directive = conclusion.directives.get()
    directive.task = "Khác"
    with pytest.raises(FrozenConclusion):
        directive.save()
    with pytest.raises(FrozenConclusion):
        Directive.objects.filter(pk=directive.pk).update(task="Khác")
    with pytest.raises(FrozenConclusion):
        Directive.objects.filter(pk=directive.pk).delete()
    # (Related managers change links inside the caller's transaction: a savepoint each.)
    with pytest.raises(FrozenConclusion), transaction.atomic():
        directive.supporting.add(directive.lead)
    with pytest.raises(FrozenConclusion), transaction.atomic():
        directive.petitions.clear()
    with pytest.raises(FrozenConclusion), transaction.atomic():
        conclusion.recipient_units.clear()
    with pytest.raises(FrozenConclusion), transaction.atomic():
        directive.lead.directives_supported.add(directive)
    unchanged(conclusion)
    assert directive.petitions.count() == 2


def test_what_follows_the_signature_still_changes(conclusion):
    """The issue and the follow-up are not the notice's words."""
    directive = conclusion.directives.get()
    Directive.objects.filter(pk=directive.pk).update(progress=40)
    Conclusion.objects.filter(pk=conclusion.pk).update(status="issued")
    assert Directive.objects.get(pk=directive.pk).progress == 40


def test_the_database_refuses_an_update_behind_the_models_back(conclusion):
    directive = conclusion.directives.get()
    table = Conclusion._meta.db_table
    for sql, params in (
        (f"UPDATE {table} SET summary = %s WHERE id = %s", ["Khác", conclusion.pk]),
        (f"UPDATE {table} SET status = 'draft' WHERE id = %s", [conclusion.pk]),
        (
            f"UPDATE {Directive._meta.db_table} SET task = %s WHERE id = %s",
            ["Khác", directive.pk],
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    unchanged(conclusion)


@pytest.mark.postgres
def test_postgresql_refuses_a_deletion_behind_the_models_back(conclusion):
    """(SQLite leaves deletions to the models: its test runner empties tables with DELETE.)"""
    directive = conclusion.directives.get()
    for sql, params in (
        (f"DELETE FROM {Conclusion._meta.db_table} WHERE id = %s", [conclusion.pk]),
        (f"DELETE FROM {Directive._meta.db_table} WHERE id = %s", [directive.pk]),
        (
            f"DELETE FROM {Directive.petitions.through._meta.db_table} WHERE directive_id = %s",
            [directive.pk],
        ),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    unchanged(conclusion)
    assert directive.petitions.count() == 2

"""Every change made in the admin is in the administration log ("Nhật ký quản trị"): who,
when, which object and which fields, for additions, changes (inline ones included, and list
editing), deletions one by one or by the bulk action, users, groups, permissions, passwords,
and the project's own admin actions. Only superusers read the log, and nobody edits it."""

import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from doluong_dialogue.models import SideEffect
from petitions.models import Topic
from sessions import services as session_services
from sessions.models import AgendaItem, DialogueSession
from tests.doluong_dialogue.admin_forms import change_form_data
from tests.factories import UserFactory
from tests.petitions.helpers import assigned
from tests.sessions.helpers import planned

pytestmark = pytest.mark.django_db

LOG = "/admin/doluong_dialogue/administrationlog/"


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("quantri", "quantri@doluong.example", "Qu4n-tri-vien!")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def entries_for(model, **filters):
    content_type = ContentType.objects.get_for_model(model)
    return LogEntry.objects.filter(content_type=content_type, **filters).order_by("id")


def changed_fields(entry) -> list[str]:
    return [
        field
        for part in json.loads(entry.change_message)
        for field in part.get("changed", {}).get("fields", [])
    ]


def test_an_addition_is_logged_with_who_and_what(admin_client, admin_user):
    response = admin_client.post(
        "/admin/petitions/topic/add/",
        {"name": "Nước sạch nông thôn", "group": Topic.objects.first().group, "order": "99"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    topic = Topic.objects.get(name="Nước sạch nông thôn")
    entry = entries_for(Topic, action_flag=ADDITION).get()
    assert entry.user == admin_user
    assert entry.object_id == str(topic.pk)
    assert entry.object_repr == str(topic)
    assert entry.action_time is not None


def test_a_change_is_logged_with_the_fields_changed(admin_client, admin_user):
    topic = Topic.objects.first()
    url = f"/admin/petitions/topic/{topic.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["name"] = "Giao thông nông thôn và cầu dân sinh"
    assert admin_client.post(url, data).status_code == 302
    entry = entries_for(Topic, action_flag=CHANGE).get()
    assert entry.user == admin_user and entry.object_id == str(topic.pk)
    assert changed_fields(entry) == ["Name"]


def test_list_editing_logs_each_row_changed(admin_client):
    topics = list(Topic.objects.order_by("group", "order", "name")[:2])
    response = admin_client.get("/admin/petitions/topic/")
    formset = response.context["cl"].formset
    data = {
        formset.management_form.add_prefix(name): formset.management_form[name].value()
        for name in formset.management_form.fields
    }
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-id"] = form.instance.pk
        data[f"form-{index}-order"] = form.instance.order
        if form.instance.is_active:
            data[f"form-{index}-is_active"] = "on"
    target = formset.forms[0].instance
    data["form-0-order"] = target.order + 50
    data["_save"] = "Save"
    assert admin_client.post("/admin/petitions/topic/", data).status_code == 302
    entry = entries_for(Topic, action_flag=CHANGE).get()
    assert entry.object_id == str(target.pk)
    assert changed_fields(entry) == ["Order"]
    assert topics


def test_inline_changes_and_deletions_are_logged_on_the_parent(admin_client, staff, department):
    first, _ = assigned(staff, department, summary="Đường liên xóm xuống cấp")
    second, _ = assigned(staff, department, summary="Đèn đường bị hỏng")
    session = planned(staff)
    session_services.agenda_add(session=session, petitions=[first, second], actor=staff)
    url = f"/admin/dialogue_sessions/dialoguesession/{session.pk}/change/"
    data = change_form_data(admin_client.get(url))
    prefix = "agenda_items"
    items = {data[f"{prefix}-{i}-id"]: i for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))}
    kept = AgendaItem.objects.get(session=session, petition=first)
    dropped = AgendaItem.objects.get(session=session, petition=second)
    data[f"{prefix}-{items[str(kept.pk)]}-order"] = "7"
    data[f"{prefix}-{items[str(dropped.pk)]}-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    ]
    assert not AgendaItem.objects.filter(pk=dropped.pk).exists()
    entry = entries_for(DialogueSession, action_flag=CHANGE).get()
    message = json.loads(entry.change_message)
    assert {"changed": {"name": "agenda item", "object": str(kept), "fields": ["Order"]}} in [
        {"changed": {**part["changed"], "name": str(part["changed"]["name"])}}
        for part in message
        if "changed" in part and "object" in part["changed"]
    ]
    assert any(part.get("deleted", {}).get("object") == str(dropped) for part in message)


def test_a_deletion_is_logged(admin_client, admin_user):
    topic = Topic.objects.create(name="Chủ đề thử xóa", group=Topic.objects.first().group)
    url = f"/admin/petitions/topic/{topic.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    entry = entries_for(Topic, action_flag=DELETION).get()
    assert (entry.user, entry.object_id, entry.object_repr) == (
        admin_user,
        str(topic.pk),
        str(topic),
    )


def test_the_bulk_delete_action_logs_every_object_deleted(admin_client, admin_user):
    group = Topic.objects.first().group
    doomed = [Topic.objects.create(name=f"Chủ đề thử {n}", group=group) for n in range(3)]
    response = admin_client.post(
        "/admin/petitions/topic/",
        {
            "action": "delete_selected",
            "_selected_action": [topic.pk for topic in doomed],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Topic.objects.filter(pk__in=[topic.pk for topic in doomed]).exists()
    logged = entries_for(Topic, action_flag=DELETION)
    assert sorted(logged.values_list("object_id", flat=True)) == sorted(
        str(topic.pk) for topic in doomed
    )
    assert {entry.user for entry in logged} == {admin_user}


def test_users_groups_and_permissions_changes_are_logged(admin_client, admin_user):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "canbo_moi",
            "password1": "Đổi-ngay-lần-đầu-2026",
            "password2": "Đổi-ngay-lần-đầu-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="canbo_moi")
    assert entries_for(User, action_flag=ADDITION, object_id=str(user.pk)).exists()

    url = f"/admin/auth/user/{user.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["groups"] = [str(Group.objects.get(name="inspection").pk)]
    data["user_permissions"] = [str(Permission.objects.get(codename="view_topic").pk)]
    data["is_staff"] = "on"
    assert admin_client.post(url, data).status_code == 302
    change = entries_for(User, action_flag=CHANGE, object_id=str(user.pk)).get()
    assert {"Staff status", "Groups", "User permissions"} <= set(changed_fields(change))

    group = Group.objects.get(name="inspection")
    url = f"/admin/auth/group/{group.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["permissions"] = [*data.get("permissions", []), str(Permission.objects.first().pk)]
    assert admin_client.post(url, data).status_code == 302
    entry = entries_for(Group, action_flag=CHANGE, object_id=str(group.pk)).get()
    assert changed_fields(entry) == ["Permissions"] and entry.user == admin_user


def test_a_password_set_in_the_admin_is_logged(admin_client, admin_user):
    user = UserFactory(username="canbo_quen")
    response = admin_client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {
            "password1": "Mật-khẩu-mới-2026",
            "password2": "Mật-khẩu-mới-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    entry = entries_for(User, action_flag=CHANGE, object_id=str(user.pk)).get()
    assert entry.user == admin_user
    with translation.override("en"):
        assert "password" in entry.get_change_message().lower()


def test_a_user_changing_their_own_password_is_logged(client):
    user = UserFactory(username="canbo_doi")
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "matkhau-thu-nghiem",
            "new_password1": "Mật-khẩu-của-tôi-2026",
            "new_password2": "Mật-khẩu-của-tôi-2026",
        },
    )
    assert response.status_code == 302
    entry = entries_for(User, action_flag=CHANGE, object_id=str(user.pk)).get()
    assert entry.user == user
    assert changed_fields(entry) == ["password"]


def test_a_failed_password_change_is_not_logged(client):
    user = UserFactory(username="canbo_sai")
    client.force_login(user)
    client.post(
        "/accounts/password/",
        {"old_password": "sai", "new_password1": "x", "new_password2": "x"},
    )
    assert not LogEntry.objects.exists()


def test_the_projects_own_admin_actions_are_logged(admin_client, admin_user):
    failed = SideEffect.objects.create(
        kind="documents.render", key="thu:1", status=SideEffect.Status.FAILED, attempts=5
    )
    response = admin_client.post(
        "/admin/doluong_dialogue/sideeffect/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    entry = entries_for(SideEffect, action_flag=CHANGE).get()
    assert entry.user == admin_user and entry.object_id == str(failed.pk)
    # Written in the language of the request that ran it (Vietnamese, the site's only one).
    with translation.override("vi"):
        action = translation.gettext("Try the selected failed effects again")
        said = translation.gettext("Ran the action “%(action)s”.") % {"action": action}
    assert entry.get_change_message() == said


def test_the_superuser_reads_the_log_filtered_by_user_action_type_and_date(
    admin_client, admin_user
):
    someone = UserFactory(username="canbo_khac")
    topic = Topic.objects.first()
    LogEntry.objects.log_actions(admin_user.pk, [topic], CHANGE, "sửa tên")
    LogEntry.objects.log_actions(someone.pk, [someone], ADDITION, "")
    page = admin_client.get(LOG)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 2
    filters = {spec.title for spec in page.context["cl"].filter_specs}
    assert len(filters) == 4
    topic_type = ContentType.objects.get_for_model(Topic).pk
    for query, expected in (
        (f"user__id__exact={someone.pk}", {str(someone)}),
        (f"action_flag__exact={CHANGE}", {str(topic)}),
        (f"content_type__id__exact={topic_type}", {str(topic)}),
        (f"action_time__year={timezone.localdate().year}", {str(topic), str(someone)}),
        ("action_time__year=2001", set()),
    ):
        page = admin_client.get(f"{LOG}?{query}")
        assert page.status_code == 200, query
        assert {entry.object_repr for entry in page.context["cl"].result_list} == expected, query


def test_the_log_cannot_be_added_to_changed_or_deleted(admin_client, admin_user):
    LogEntry.objects.log_actions(admin_user.pk, [admin_user], CHANGE, "")
    entry = LogEntry.objects.get()
    assert admin_client.get(f"{LOG}add/").status_code == 403
    page = admin_client.get(f"{LOG}{entry.pk}/change/")
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert admin_client.post(f"{LOG}{entry.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        LOG, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code in (200, 302)


def test_staff_who_are_not_superusers_cannot_read_the_log(client):
    clerk = UserFactory(username="vanthu")
    clerk.is_staff = True
    clerk.save()
    clerk.user_permissions.add(*Permission.objects.filter(content_type__app_label="admin"))
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__endswith="administrationlog"),
        Permission.objects.get(codename="view_topic"),
    )
    client.force_login(clerk)
    assert client.get(LOG).status_code == 403
    assert client.get("/admin/admin/logentry/").status_code == 404
    index = client.get("/admin/").content.decode()
    assert "administrationlog" not in index


def test_the_log_is_named_for_the_administrator():
    from doluong_dialogue.models import AdministrationLog

    with translation.override("en"):
        assert str(AdministrationLog._meta.verbose_name_plural) == "administration log"
    assert reverse("admin:doluong_dialogue_administrationlog_changelist") == LOG


def test_the_log_names_each_field_as_its_own_model_does(admin_client):
    """Django stores "Name" and translates the word alone (a person's name); the log shows
    the topic's own word for it, and an inline row's fields by the row's model."""
    from doluong_dialogue import audit

    topic = Topic.objects.first()
    url = f"/admin/petitions/topic/{topic.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["name"] = "Giao thông nông thôn và cầu dân sinh"
    admin_client.post(url, data)
    entry = entries_for(Topic, action_flag=CHANGE).get()
    with translation.override("vi"):
        label = capfirst(Topic._meta.get_field("name").verbose_name)
        assert audit.describe(entry) == translation.gettext("Changed {fields}.").format(
            fields=label
        )
    entry.change_message = json.dumps(
        [{"changed": {"name": "agenda item", "object": "x", "fields": ["Order"]}}]
    )
    with translation.override("vi"):
        said = audit.describe(entry)
        assert str(AgendaItem._meta.verbose_name) in said
        assert str(capfirst(AgendaItem._meta.get_field("order").verbose_name)) in said


def test_every_admin_action_of_the_project_is_logged():
    """A new admin action must be decorated with audit.logged_action (Django logs only its
    own "delete selected")."""
    from django.contrib import admin

    ours = {"doluong_dialogue", "documents", "petitions", "dialogue_sessions", "conclusions"}
    unlogged = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ours:
            continue
        for action in model_admin.actions or []:
            function = getattr(model_admin, action) if isinstance(action, str) else action
            if not getattr(function, "logged", False):
                unlogged.append(f"{model.__name__}.{getattr(function, '__name__', action)}")
    assert unlogged == []


def test_changing_ones_own_password_in_the_admin_is_logged(admin_client, admin_user):
    response = admin_client.post(
        "/admin/password_change/",
        {
            "old_password": "Qu4n-tri-vien!",
            "new_password1": "Mật-khẩu-quản-trị-2027",
            "new_password2": "Mật-khẩu-quản-trị-2027",
        },
    )
    assert response.status_code == 302
    entry = entries_for(User, action_flag=CHANGE, object_id=str(admin_user.pk)).get()
    assert entry.user == admin_user and changed_fields(entry) == ["password"]
    refused = admin_client.post(
        "/admin/password_change/",
        {"old_password": "sai", "new_password1": "x", "new_password2": "x"},
    )
    assert refused.status_code == 200
    assert entries_for(User, action_flag=CHANGE).count() == 1

import importlib
import os

import pytest
from django.conf import settings

from petitions.models import Department
from petitions.permissions import Role
from tests.factories import UserFactory

# pytest-django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only and broker-backed tests skip on a plain checkout and must run on CI."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            reason = "needs DATABASE_URL=postgres://…"
        elif "broker" in item.keywords and not has_broker:
            reason = "needs CELERY_BROKER_URL=redis://…"
        else:
            continue
        if REQUIRE_SERVICES:
            raise pytest.UsageError(f"{item.nodeid} {reason}, but REQUIRE_SERVICES=1")
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def reference_data(transactional_db):
    """What the data migrations load, again: a transactional test's flush empties the tables."""
    from django.apps import apps

    for module, function in (
        ("doluong_dialogue.migrations.0002_initial_data", "create"),
        ("petitions.migrations.0002_reference_data", "create"),
        ("petitions.migrations.0004_reference_aliases", "add_aliases"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def department(db) -> Department:
    return Department.objects.get(name="Phòng Kinh tế")


@pytest.fixture
def other_department(db) -> Department:
    return Department.objects.get(name="Phòng Văn hóa - Xã hội")


@pytest.fixture
def staff(db):
    return UserFactory(username="bxd_test", roles=[Role.PARTY_BUILDING])


@pytest.fixture
def office(db):
    return UserFactory(username="vpdu_test", roles=[Role.PARTY_OFFICE])


@pytest.fixture
def secretary(db):
    return UserFactory(username="bithu_test", roles=[Role.SECRETARY])


@pytest.fixture
def inspector(db):
    return UserFactory(username="ubkt_test", roles=[Role.INSPECTION])


@pytest.fixture
def dept_user(db, department):
    return UserFactory(username="kinhte_test", roles=[Role.DEPARTMENT], departments=[department])


@pytest.fixture
def other_dept_user(db, other_department):
    return UserFactory(
        username="vhxh_test", roles=[Role.DEPARTMENT], departments=[other_department]
    )


@pytest.fixture
def front_user(db):
    return UserFactory(username="mttq_test", roles=[Role.FRONT])

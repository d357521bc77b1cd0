import importlib
import os
import shutil
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from petitions.models import Department
from petitions.permissions import Role
from tests.broker import RedisServer
from tests.factories import UserFactory
from tests.objectstore import Bucket, ObjectStoreUnavailable, S3Server

# pytest-django's live server and Playwright's sync API share the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# TEST_STORAGE=s3 runs every test with its files in a bucket of a local S3 server (moto),
# instead of the test settings' in-memory storage.
TEST_STORAGE = os.environ.get("TEST_STORAGE", "memory")

# Property-based tests (tests/hostile/): a modest number of examples with no deadline, as the
# suite runs on two shared cores. The default ("ci") tries the same inputs on every run, so
# that a commit passes or fails on its own merits, never by the luck of the draw;
# HYPOTHESIS_PROFILE=explore draws new ones each run and =thorough many more (run them when
# changing forms). No example database: a failure is reported with the input that made it.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
}
hypothesis_settings.register_profile("ci", max_examples=25, derandomize=True, **_HYPOTHESIS)
hypothesis_settings.register_profile("explore", max_examples=25, **_HYPOTHESIS)
hypothesis_settings.register_profile("thorough", max_examples=500, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _signing_test_certificates(tmp_path_factory):
    """A test certificate authority of the session's own, made on the first signature (not
    the one under var/ that a demonstration server uses)."""
    from django.test import override_settings

    with override_settings(SIGNING_TEST_DIR=tmp_path_factory.mktemp("signing")):
        yield


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only and broker-backed tests skip on a plain checkout and must run on CI."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_broker = bool(os.environ.get("CELERY_BROKER_URL"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            reason = "needs DATABASE_URL=postgres://…"
        elif "broker" in item.keywords and not has_broker:
            reason = "needs CELERY_BROKER_URL=redis://…"
        elif "smoke" in item.keywords and not shutil.which("redis-server"):
            reason = "needs redis-server to start a broker of its own"
        else:
            continue
        if REQUIRE_SERVICES:
            raise pytest.UsageError(f"{item.nodeid} {reason}, but REQUIRE_SERVICES=1")
        item.add_marker(pytest.mark.skip(reason=reason))


def _load_reference_data() -> None:
    from django.apps import apps

    from doluong_dialogue.models import Tally
    from petitions.models import Petition

    if not Petition.objects.exists():
        # SQLite empties a table row by row: the tally triggers count the flush's deletions
        # of the tables it empties after the tallies (-1 for a unit whose assignments are
        # gone). With no petition left, there is nothing to count.
        Tally.objects.all().delete()
    for module, function in (
        ("doluong_dialogue.migrations.0002_initial_data", "create"),
        ("petitions.migrations.0002_reference_data", "create"),
        ("petitions.migrations.0004_reference_aliases", "add_aliases"),
        ("petitions.migrations.0011_department_channel", "set_channels"),
        ("conclusions.migrations.0002_frozen_when_signed", "deputy_group"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def reference_data(transactional_db):
    """What the data migrations load, again: a transactional test's flush empties the tables."""
    _load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_present(request):
    """A transactional test (live server, worker process, race) empties every table when it
    ends; a database test that runs after it on the same worker finds the roles, topics and
    units the data migrations load put back, inside its own transaction."""
    if _is_transactional(request.node):
        return
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from petitions.models import Topic

    if not Topic.objects.exists():
        _load_reference_data()


def _with_a_member(name: str, username: str) -> Department:
    """A unit that can be assigned work: it has a member to answer for it."""
    unit = Department.objects.get(name=name)
    UserFactory(username=username, roles=[Role.DEPARTMENT], departments=[unit])
    return unit


@pytest.fixture
def department(db) -> Department:
    return _with_a_member("Phòng Kinh tế", "kinhte_member")


@pytest.fixture
def other_department(db) -> Department:
    return _with_a_member("Phòng Văn hóa - Xã hội", "vhxh_member")


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


class Clock:
    """The commune's date and time during a test: `clock.set(date(2026, 11, 25))` is 09:00 on
    that day in Asia/Ho_Chi_Minh, for the services, the pages and the timestamps alike."""

    def __init__(self) -> None:
        self._travel = None

    def set(self, day: date, hour: int = 9) -> None:
        import time_machine

        self.stop()
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        self._travel = time_machine.travel(moment, tick=False)
        self._travel.start()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture
def clock():
    current = Clock()
    yield current
    current.stop()


@pytest.fixture
def redis_server():
    """A Redis server of the test's own, on a free port, to stop, kill or pause."""
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto) on a free port, one per test process, started when a
    test first asks for it; skipped without moto, an error with REQUIRE_SERVICES=1."""
    server = S3Server()
    try:
        server.start()
    except ObjectStoreUnavailable as error:
        if REQUIRE_SERVICES or TEST_STORAGE == "s3":
            pytest.fail(f"{error}, but REQUIRE_SERVICES=1 or TEST_STORAGE=s3", pytrace=False)
        pytest.skip(f"needs an S3 server: {error}")
    yield server
    server.close()


@pytest.fixture
def s3_storage(s3_server, settings) -> Bucket:
    """The default storage is a new, empty bucket of the S3 server, configured as settings.py
    configures it from AWS_* variables."""
    bucket = Bucket(s3_server, s3_server.new_bucket())
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(bucket.name)}
    return bucket


@pytest.fixture(autouse=True)
def _object_store(request):
    """Tests marked `s3`, and every test under TEST_STORAGE=s3, keep their files in S3."""
    if TEST_STORAGE == "s3" or request.node.get_closest_marker("s3"):
        request.getfixturevalue("s3_storage")

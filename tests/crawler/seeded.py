"""The demo commune, seeded once for a test module (import `demo_commune` into it)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.conftest import _load_reference_data


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    """seed_demo, once for the module, in a transaction rolled back at its end; each test
    runs nested in it, as Django's setUpTestData does."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        # A transactional test before this module on the same worker emptied the tables
        # the data migrations fill (the roles among them); put them back for the seed.
        if not Group.objects.exists():
            _load_reference_data()
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)

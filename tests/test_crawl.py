"""Every URL of every app, requested by a visitor and by each demo role on the demo commune:
no page answers with a server error, and a visitor reaches only the public pages.

Patterns with ids are tried with a few ids (existing objects of the demo and one that does
not exist); their own tests check who sees which object.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# What a visitor may open without logging in.
PUBLIC_PAGES = ("/", "/healthz", "/favicon.ico", "/accounts/login/")
PUBLIC_SECTIONS = ("/cong-khai/", "/xac-thuc/", "/y-kien/")
SKIPPED = ("/admin/", "/accounts/logout/", "/static/", "/media/", "/__")
IDS = ("1", "999999")
# One account of each kind of user (their own tests check each role's matrix in detail).
ROLES = (None, "bxd", "vpdu", "bithu", "ubkt", "kinhte", "mttq")
WORDS = {"kind": ("assignment", "directive"), "code": ("7KQ2M9XD4T",)}


def _paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$")


def _fill(route: str) -> list[str]:
    """The route with its parameters filled: ids, and the few words some routes take."""
    paths = [route]
    for name_type in re.findall(r"<([^>]+)>", route):
        converter, _colon, name = name_type.rpartition(":")
        numeric = converter in ("int", "") and name not in WORDS
        values = IDS if numeric else WORDS.get(name, ("x",))
        paths = [path.replace(f"<{name_type}>", value, 1) for path in paths for value in values]
    return paths


def _urls() -> list[str]:
    urls = []
    for route in sorted(set(_paths())):
        if route.startswith(SKIPPED) or "(?P" in route:
            continue
        urls += _fill(route)
    return urls


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    from tests.conftest import _load_reference_data

    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        from django.contrib.auth.models import Group

        if not Group.objects.exists():
            _load_reference_data()
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_no_url_answers_with_a_server_error_and_visitors_see_only_public_pages(
    demo_commune, client
):
    urls = _urls()
    assert len(urls) > 150
    tried = 0
    for username in ROLES:
        client.logout()
        if username:
            client.force_login(User.objects.get(username=username))
        for url in urls:
            response = client.get(url)
            tried += 1
            assert response.status_code < 500, (username, url, response.status_code)
            if username is None and response.status_code == 200:
                assert url in PUBLIC_PAGES or url.startswith(PUBLIC_SECTIONS), url
    print(f"\n{tried} requests over {len(urls)} URLs, no server error")

"""What several web servers and workers share, chosen by environment: the files (local disk,
or an S3-compatible bucket) and the cache that counts the per-address limits (local memory,
or one Redis)."""

import json

import pytest
from django.core.cache import caches
from django.urls import reverse

from conclusions.views import public as public_views
from tests.doluong_dialogue.test_settings import PRODUCTION, manage

SHOW = (
    "import json; from django.conf import settings; "
    "default = settings.STORAGES['default']; "
    "print(json.dumps({'storage': default['BACKEND'], "
    "'bucket': default.get('OPTIONS', {}).get('bucket_name'), "
    "'endpoint': default.get('OPTIONS', {}).get('endpoint_url'), "
    "'acl': default.get('OPTIONS', {}).get('default_acl', 'unset'), "
    "'overwrite': default.get('OPTIONS', {}).get('file_overwrite'), "
    "'cache': settings.CACHES['default']['BACKEND'], "
    "'cache_at': settings.CACHES['default'].get('LOCATION', '')}))"
)

S3 = {
    "AWS_STORAGE_BUCKET_NAME": "doluong-files",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
}


def configured(**env: str) -> dict:
    result = manage("shell", "--no-imports", "-c", SHOW, **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_files_are_on_the_local_disk_and_the_cache_in_memory():
    found = configured()
    assert found["storage"] == "django.core.files.storage.FileSystemStorage"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_bucket_named_in_the_environment_holds_the_files_privately():
    found = configured(**S3)
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "doluong-files"
    assert found["endpoint"] == "http://127.0.0.1:9000"
    assert found["acl"] is None  # the bucket's own private policy; nothing made public
    assert found["overwrite"] is False


@pytest.mark.parametrize("variable", ["CACHE_URL", "REDIS_URL"])
def test_a_redis_url_makes_the_cache_shared(variable):
    found = configured(**{variable: "redis://127.0.0.1:6379/3"})
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_at"] == "redis://127.0.0.1:6379/3"


def test_check_deploy_is_clean_with_the_object_store_and_redis():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        REDIS_URL="redis://127.0.0.1:6379/3",
        **PRODUCTION,
        **S3,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_lookups_are_counted_in_the_shared_redis(client, redis_server, settings, monkeypatch):
    """Another web server counting against the same Redis holds this address back too."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "doluong",
        }
    }
    monkeypatch.setattr(public_views, "LOOKUP_LIMIT", 3)
    lookup = reverse("public:lookup")
    assert client.post(lookup, {"code": "KN-2026-000001"}).status_code == 200
    key = "doluong:1:public-lookup:127.0.0.1"
    store = redis_server.client()
    assert int(store.get(key)) == 1
    store.incrby(key, 2)  # two lookups from the same address on another server
    assert client.post(lookup, {"code": "KN-2026-000001"}).status_code == 429
    caches["default"].close()

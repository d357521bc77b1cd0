"""Where the shared files live: local disk, or an S3-compatible object store.

Uploaded attachments, rendered and signed PDFs, dossiers and import previews are written and
read only through Django's storage API (`default_storage`, FileFields and `.open()`), never by
a path on disk, so that several web servers and workers can share them. With
AWS_STORAGE_BUCKET_NAME set they go to that bucket (django-storages' S3Storage, boto3);
otherwise to MEDIA_ROOT on the local disk.

The files are private in both cases: nothing serves MEDIA_URL, objects get no public ACL, and
every download goes through the app's own view, which checks the user's permission and
streams the bytes. No bucket URL is ever handed to a browser.

Read by settings.py before Django is set up: it imports nothing from Django or the apps.
"""

from collections.abc import Mapping

S3_BACKEND = "storages.backends.s3.S3Storage"
# A web request must not hang on a store that is slow or unreachable.
CONNECT_TIMEOUT = 5
READ_TIMEOUT = 30


def s3_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry for the bucket the environment names."""
    from botocore.config import Config

    addressing = environ.get("AWS_S3_ADDRESSING_STYLE") or "auto"
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # A prefix inside the bucket, so that one bucket may hold several deployments.
            "location": environ.get("AWS_LOCATION", ""),
            # Objects take the bucket's own (private) policy; none is made public.
            "default_acl": None,
            "querystring_auth": True,
            # As on disk: a name already taken gets a suffix instead of replacing the file.
            "file_overwrite": False,
            "client_config": Config(
                s3={"addressing_style": addressing},
                signature_version="s3v4",
                connect_timeout=CONNECT_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        },
    }


def file_storage() -> dict:
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def default_storage(environ: Mapping[str, str]) -> dict:
    if environ.get("AWS_STORAGE_BUCKET_NAME"):
        return s3_storage(environ)
    return file_storage()

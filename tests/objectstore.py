"""A real S3-compatible server for the tests: moto's server, on a free port of 127.0.0.1.

moto (PyPI, `moto[server]`) is pure Python and installs with the test tools, where MinIO or
Ceph would need a binary or a container image that cannot be fetched here. It speaks the S3
HTTP API over a socket, so boto3 and django-storages talk to it as they would to any other
store: signed requests, multipart uploads, 404s. Each server keeps its buckets in memory and
is ended by its own pid.
"""

import contextlib
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass

from doluong_dialogue import objectstore
from tests.broker import free_port

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


class ObjectStoreUnavailable(RuntimeError):
    pass


class S3Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        try:
            import moto.server  # noqa: F401
        except ImportError as missing:
            raise ObjectStoreUnavailable(f"moto[server] is not installed ({missing})") from None
        command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1).close()
                return
            time.sleep(0.05)
        self.close()
        raise ObjectStoreUnavailable(f"the S3 server did not start on port {self.port}")

    def environ(self, bucket: str) -> dict[str, str]:
        """The environment a deployment would set for this server and bucket."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def storage(self, bucket: str) -> dict:
        """STORAGES["default"] for the bucket, exactly as settings.py builds it."""
        return objectstore.default_storage(self.environ(bucket))

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> str:
        name = f"test-{uuid.uuid4().hex[:20]}"
        self.client().create_bucket(Bucket=name)
        return name

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@dataclass(frozen=True)
class Bucket:
    server: S3Server
    name: str

    def objects(self) -> dict[str, bytes]:
        """Every object in the bucket, by key: what the store really holds."""
        client = self.server.client()
        listing = client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
            for item in listing
        }

    def public_grants(self, key: str) -> list[dict]:
        """The grants of an object to everyone or to any AWS user (none, for a private file)."""
        grants = self.server.client().get_object_acl(Bucket=self.name, Key=key)["Grants"]
        return [grant for grant in grants if "URI" in grant["Grantee"]]

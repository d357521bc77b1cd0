"""The production configuration in deploy/: the environment file lists every setting the app
reads, nginx accepts the site and its limits match the app's, gunicorn runs with its config
and leaves the request lines to the app."""

import datetime
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from doluong_dialogue.documents import verify
from petitions import uploads
from petitions.importing import reader
from tests.broker import free_port
from tests.doluong_dialogue.test_settings import PRODUCTION

BASE = settings.BASE_DIR
DEPLOY = BASE / "deploy"
SITE = DEPLOY / "nginx" / "doluong.conf"
GUNICORN_CONF = "deploy/gunicorn.conf.py"
READERS = [
    BASE / "doluong_dialogue" / "settings.py",
    BASE / "doluong_dialogue" / "objectstore.py",
    BASE / "conclusions" / "management" / "commands" / "seed_demo.py",
    DEPLOY / "gunicorn.conf.py",
]
ENV_READ = re.compile(
    r"""(?:environ(?:\.get)?\(\s*|environ\[|env_bool\(|env_list\(|_int\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def variables_read() -> set[str]:
    names = set()
    for source in READERS:
        names |= set(ENV_READ.findall(source.read_text()))
    # Read by dj-database-url, not by name in settings.py.
    return names | {"DATABASE_URL"}


def test_the_environment_file_lists_every_variable_the_app_reads():
    example = (DEPLOY / "doluong.env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.M))
    read = variables_read()
    assert {"SECRET_KEY", "AWS_STORAGE_BUCKET_NAME", "CACHE_URL", "GUNICORN_WORKERS"} <= read
    assert read - listed == set()
    assert listed - read == set()


def test_gunicorn_takes_its_workers_from_the_cpus_and_recycles_them_with_jitter(monkeypatch):
    for name in ("GUNICORN_WORKERS", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == os.cpu_count() * 2 + 1
    assert config["max_requests"] > 0 and config["max_requests_jitter"] > 0
    assert config["accesslog"] is None
    assert config["timeout"] == 60
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 3


def nginx_value(directive: str) -> str:
    return re.search(rf"^\s*{directive}\s+([^;]+);", SITE.read_text(), re.M).group(1)


def megabytes(value: str) -> int:
    assert value.endswith("m")
    return int(value[:-1]) * 1024 * 1024


def test_nginx_takes_the_largest_upload_the_app_accepts():
    limit = megabytes(nginx_value("client_max_body_size"))
    assert (
        limit
        >= uploads.MAX_FILES * uploads.MAX_UPLOAD_SIZE + settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 4
    )
    assert limit >= verify.MAX_UPLOAD and limit >= reader.MAX_FILE_SIZE


def test_nginx_sends_the_headers_the_app_reads_behind_a_proxy():
    text = SITE.read_text()
    # The app takes the last entry (security.client_ip), the one nginx appends.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    # SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") when BEHIND_PROXY.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "proxy_set_header X-Forwarded-Host $host;" in text  # USE_X_FORWARDED_HOST
    assert 'Strict-Transport-Security "max-age=31536000; includeSubDomains; preload" always' in text


def self_signed(folder) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "doithoai.doluong.example.vn")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "fullchain.pem", folder / "privkey.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (Debian's nginx-light)")
def test_nginx_accepts_the_site(tmp_path):
    cert, key = self_signed(tmp_path)
    site = SITE.read_text()
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_gunicorn_serves_with_its_config_and_the_app_logs_each_request(tmp_path):
    port = free_port()
    environment = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "DATABASE_URL")
        if name in os.environ
    }
    environment.update(
        PRODUCTION,
        DJANGO_SETTINGS_MODULE="doluong_dialogue.settings",
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(tmp_path),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF, "doluong_dialogue.wsgi"],
        cwd=BASE,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        answered = None
        deadline = time.monotonic() + 90
        while answered is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30)
                answered = True
            except urllib.error.HTTPError:
                answered = True
            except OSError:
                time.sleep(0.2)
        assert answered, "gunicorn did not answer"
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=40)
    lines = [line for line in output.splitlines() if "doluong.request" in line]
    assert lines, output
    assert re.search(r"user=- method=GET path=/healthz status=\d{3} ms=", lines[-1])
    # No access log of gunicorn's own beside it.
    assert '"GET /healthz' not in output


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_web_units(tmp_path):
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    for unit in ("doluong-web.socket", "doluong-web.service"):
        text = (DEPLOY / "systemd" / unit).read_text()
        (tmp_path / unit).write_text(text.replace("/srv/doluong/.venv/bin/gunicorn", gunicorn))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no"]
        + [str(tmp_path / unit) for unit in ("doluong-web.socket", "doluong-web.service")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr

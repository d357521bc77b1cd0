import os
import subprocess
import sys

from django.conf import settings

BASE = settings.BASE_DIR


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: the test settings' own variables must not leak into production.
    inherited = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "LANG", "DATABASE_URL")
        if name in os.environ
    }
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "doluong_dialogue.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k7#Qe9!vR2@mZx4^pL8&wT1*yN6%bH3$dF5+jC0-sA-u9(Lw2)Gz",
    "ALLOWED_HOSTS": "doituong.doluong.example",
    # Signing with the generated test certificate, as a demonstration server does (without
    # this, check --deploy warns: tests/documents/test_signing.py).
    "SIGNING_ALLOW_TEST_CERTIFICATE": "true",
}


def test_check_deploy_is_clean_under_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_embedded_default_is_vietnamese_in_ho_chi_minh_time():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"

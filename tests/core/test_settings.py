"""Production settings: `check --deploy` is clean, and a bad environment value stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    # The test run's own DJANGO_ALLOW_ASYNC_UNSAFE is itself a deployment error: leave it out.
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_check_deploy_prints_no_warning_with_production_values():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="sme.example.go.kr",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="sme.example.go.kr")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_stops_start_up_with_a_message():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_load_demo_refuses_to_run_in_production():
    result = run_manage(
        "load_demo", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x",
        DATABASE_URL="sqlite:///:memory:",
    )  # fmt: skip
    assert result.returncode != 0
    assert "운영 환경(DEBUG=0)에서는 시연 자료를 불러오지 않습니다" in result.stderr


def test_hsts_subdomains_and_preload_are_off_unless_set():
    code = "from django.conf import settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    production = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "x"}
    default = run_manage("shell", "-c", code, **production)
    assert default.stdout.split()[-2:] == ["False", "False"], default.stderr
    chosen = run_manage(
        "shell", "-c", code, SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1", **production
    )
    assert chosen.stdout.split()[-2:] == ["True", "True"], chosen.stderr

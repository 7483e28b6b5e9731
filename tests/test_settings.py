"""Start-up behaviour with production variables, checked in fresh processes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "crsys.settings",
    "SECRET_KEY": "k" * 20 + "-production-grade-secret-key-with-enough-entropy-8Hq2",
    "ALLOWED_HOSTS": "crsys.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://crsys.example.org",
    "DATABASE_URL": "sqlite:////tmp/crsys-settings-test.sqlite3",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_in_production_names_the_variable():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_runs_without_any_variable():
    result = manage("check", env={"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "crsys.settings"})
    assert result.returncode == 0, result.stderr

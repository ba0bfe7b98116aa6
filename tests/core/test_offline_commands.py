"""Offline code tools run in a checkout without a SECRET_KEY; serving commands still refuse."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "TREPART_OFFLINE_COMMAND")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_makemigrations_check_runs_without_secret_key():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_migrate_still_refuses_without_secret_key():
    result = _manage("migrate", "--plan")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr

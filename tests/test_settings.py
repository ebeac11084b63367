"""Settings that must refuse to start rather than run unsafely."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_settings(**env):
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import tracker.settings as s; print(s.DATABASES['default']"
            "['ENGINE'], s.DATABASES['default'].get('OPTIONS', {}).get('transaction_mode'))",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = import_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_with_nothing_configured_it_runs_on_sqlite_taking_write_locks_early():
    result = import_settings()
    assert result.stdout.split() == ["django.db.backends.sqlite3", "IMMEDIATE"]

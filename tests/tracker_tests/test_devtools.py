"""The development tools (bench, generate_dataset): an app of the checkout only."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)

# What a deployed install is: the project without tracker/devtools (import refused).
WITHOUT_DEVTOOLS = """
import sys
sys.modules["tracker.devtools"] = None
import django
django.setup()
from django.conf import settings
from django.core.management import call_command, get_commands
assert "tracker.devtools" not in settings.INSTALLED_APPS, settings.INSTALLED_APPS
assert "bench" not in get_commands() and "generate_dataset" not in get_commands()
assert "load_demo" in get_commands()  # the demo loader is the runtime's
call_command("check")
print("runs without devtools")
"""


def test_the_checkout_has_bench_and_generate_dataset_from_the_devtools_app():
    assert "tracker.devtools" in settings.INSTALLED_APPS
    commands = get_commands()
    assert commands["bench"] == commands["generate_dataset"] == "tracker.devtools"


def test_the_package_leaves_the_devtools_out():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["setuptools"]["packages"]["find"]["exclude"] == ["tracker.devtools*"]


def test_the_app_runs_without_the_devtools():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracker.settings"}
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEVTOOLS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "runs without devtools" in result.stdout


def test_no_runtime_module_imports_the_devtools():
    importers = [
        str(path.relative_to(ROOT))
        for package in ("tracker", "regions", "services", "reports")
        for path in (ROOT / package).rglob("*.py")
        if not path.is_relative_to(ROOT / "tracker" / "devtools")
        and "tracker.devtools" in path.read_text(encoding="utf-8")
    ]
    assert importers == ["tracker/settings.py"]  # which installs the app where it exists

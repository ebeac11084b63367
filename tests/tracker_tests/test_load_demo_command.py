"""`manage.py load_demo`, as `make run` calls it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from regions.models import User
from services.models import Service

pytestmark = pytest.mark.django_db


def test_the_demo_loader_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()
    assert not Service.objects.exists()


def test_the_command_loads_once_and_prints_the_logins_every_time(settings):
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    assert "Demo oblast loaded." in first.getvalue()
    assert "already loaded" in second.getvalue()
    for output in (first.getvalue(), second.getvalue()):
        assert "demo12345" in output
        assert "head.edu" in output
        assert "akim" in output
    # The oblast of the meeting, and the same 190 services in each of the 19 other regions
    # (made up, for the national view): loaded once, not twice.
    assert Service.objects.filter(department__region__code="KZ-31").count() == 190
    assert Service.objects.count() == 190 * 20

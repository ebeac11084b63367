"""The lists' target filters say what the report's judgement says, service by service."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from services.models import Service, Status
from services.targets import AT_RISK_WITHIN_DAYS, TargetState, service_target_state
from tests.conftest import make_service

pytestmark = pytest.mark.django_db


def test_the_at_risk_and_overdue_lists_hold_exactly_the_services_so_judged(world):
    today = timezone.localdate()
    deadlines = [-1, 0, 1, AT_RISK_WITHIN_DAYS, AT_RISK_WITHIN_DAYS + 1]
    statuses = [Status.PAPER, Status.PARTIAL, Status.ELECTRONIC]
    for number, (status, target, days) in enumerate(
        itertools.product(statuses, [Status.PARTIAL, Status.ELECTRONIC], deadlines)
    ):
        make_service(
            world.education,
            f"Услуга {number}",
            by=world.digital_office,
            status=status,
            target_status=target,
            target_date=today + timedelta(days=days),
        )
    judged = {
        state: {
            service.pk
            for service in Service.objects.all()
            if service_target_state(
                service.status, service.target_status, service.target_date, on=today
            )
            == state
        }
        for state in (TargetState.AT_RISK, TargetState.OVERDUE)
    }
    assert judged[TargetState.AT_RISK] and judged[TargetState.OVERDUE]
    at_risk = set(Service.objects.at_risk(on=today).values_list("pk", flat=True))
    overdue = set(Service.objects.overdue(on=today).values_list("pk", flat=True))
    assert at_risk == judged[TargetState.AT_RISK]
    assert overdue == judged[TargetState.OVERDUE]

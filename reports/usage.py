"""Deliveries and digital take-up in a report: online channels ÷ all, over the twelve
months up to its date."""

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import Q, Sum

from regions.models import Department
from reports.figures import DIGITAL, names, share
from reports.standing import short_names
from services.models import ONLINE_CHANNELS, Service, Usage

USAGE_MONTHS = 12
LITTLE_USED_BELOW = 0.2  # electronic, yet fewer than this share of deliveries online
LITTLE_USED_MIN_VOLUME = 10  # a year with fewer deliveries says little either way


@dataclass
class UsageTotals:
    by_service: dict  # service id -> [online, all] over the window
    by_month: dict  # month -> [online, all] for the whole region


def usage_of(region, as_of: date) -> UsageTotals:
    """Deliveries in the twelve months up to ``as_of``, online and all, summed by the
    database per service and per month (a few thousand rows, not one per service, month
    and channel). PostgreSQL does both sums in one pass over the usage (GROUPING SETS,
    which the ORM cannot say); other databases take two queries."""
    first_month = month_start(as_of, back=USAGE_MONTHS - 1)
    if connection.vendor == "postgresql":
        return _usage_in_one_pass(region.pk, first_month, as_of)
    window = Usage.objects.filter(
        service__department__region=region, month__gte=first_month, month__lte=as_of
    )
    sums = {
        "online": Sum("count", filter=Q(channel__in=ONLINE_CHANNELS), default=0),
        "total": Sum("count"),
    }
    by_service = window.values_list("service_id").annotate(**sums).order_by()
    by_month = window.values_list("month").annotate(**sums).order_by()
    return UsageTotals(
        by_service={service: [online, total] for service, online, total in by_service},
        by_month={month: [online, total] for month, online, total in by_month},
    )


# The region's services as one list read through the departments' and the services'
# indexes (ARRAY(subquery): read once, its size known), then each service's months
# through the usage's unique index, in service order, so the per-service sums need no
# hash table. Joined to the services instead, PostgreSQL misjudges how many a region
# holds and at ten times the country scans every service, in parallel, for each region.
USAGE_IN_ONE_PASS = """
    SELECT u.service_id, u.month,
           coalesce(sum(u.count) FILTER (WHERE u.channel = ANY(%(online)s)), 0),
           sum(u.count)
    FROM {usage} u
    WHERE u.service_id = ANY(ARRAY(
            SELECT s.id FROM {service} s
            WHERE s.department_id = ANY(ARRAY(
                SELECT d.id FROM {department} d WHERE d.region_id = %(region)s))))
      AND u.month >= %(first_month)s AND u.month <= %(as_of)s
    GROUP BY GROUPING SETS ((u.service_id), (u.month))
"""


def _usage_in_one_pass(region_id: int, first_month: date, as_of: date) -> UsageTotals:
    sql = USAGE_IN_ONE_PASS.format(
        usage=Usage._meta.db_table,
        service=Service._meta.db_table,
        department=Department._meta.db_table,
    )
    totals = UsageTotals(by_service={}, by_month={})
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "online": [str(channel) for channel in ONLINE_CHANNELS],
                "region": region_id,
                "first_month": first_month,
                "as_of": as_of,
            },
        )
        for service_id, month, online, total in cursor.fetchall():
            if service_id is not None:  # the per-service grouping set
                totals.by_service[service_id] = [online, total]
            else:
                totals.by_month[month] = [online, total]
    return totals


def take_up(pairs) -> dict:
    """Online ÷ all over the services that have usage data; None when none has."""
    known = [pair for pair in pairs if pair]
    online, total = sum(p[0] for p in known), sum(p[1] for p in known)
    return {"usage_total": total, "take_up": share(online, total)}


def little_used(services, usage, departments) -> list[dict]:
    """Electronic on paper, yet little used online: a name without substance."""
    department_names = {d.pk: short_names(d, "department_short_name") for d in departments}
    flagged = []
    for service in services:
        online, total = usage.by_service.get(service.pk) or (0, 0)
        if (
            service.status_on_day in DIGITAL
            and total >= LITTLE_USED_MIN_VOLUME
            and online / total < LITTLE_USED_BELOW
        ):
            flagged.append(
                names(service)
                | department_names[service.department_id]
                | {
                    "service_id": service.pk,
                    "department_id": service.department_id,
                    "take_up": share(online, total),
                    "usage_total": total,
                }
            )
    return sorted(flagged, key=lambda s: s["take_up"])


def take_up_by_service(services, usage, departments) -> list[dict]:
    """Every service with usage data: deliveries and the share online (for the XLSX)."""
    codes = {d.pk: d.code for d in departments}
    department_names = {d.pk: short_names(d, "department_short_name") for d in departments}
    by_service = usage.by_service
    rows = []
    for service in services:
        sums = by_service.get(service.pk)
        if sums is not None:
            online, total = sums
            rows.append(
                {  # one literal, not names() merged into it: a row for every service
                    "name_kk": service.name_kk,
                    "name_ru": service.name_ru,
                    "name_en": service.name_en,
                    "service_id": service.pk,
                    "department_id": service.department_id,
                    "department_code": codes[service.department_id],
                    **department_names[service.department_id],
                    "status": service.status_on_day,
                    "usage_total": total,
                    "take_up": share(online, total),
                }
            )
    return sorted(rows, key=lambda row: (row["department_code"], row["name_ru"]))


def month_start(day: date, *, back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - back
    return date(month_index // 12, month_index % 12 + 1, 1)

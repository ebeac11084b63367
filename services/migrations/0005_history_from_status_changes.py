"""Every service's history so far, from its status moves and the claims accepted.

Before this, only status moves were kept; the other fields' past values are unknown, so
each row carries the service's present fields with the status of that moment.
"""

from datetime import datetime, time

from django.db import migrations
from django.utils import timezone

STATE = (
    "department_id",
    "name_kk",
    "name_ru",
    "name_en",
    "sphere",
    "socially_significant",
    "blocker",
    "target_status",
    "target_date",
    "documents_required",
    "documents_before",
    "term_days",
    "term_days_before",
)
CHANNELS = ("office", "psc", "egov", "mgov", "video", "elicense", "akim")
BATCH = 2000


def backfill(apps, schema_editor):
    Service = apps.get_model("services", "Service")
    StatusChange = apps.get_model("services", "StatusChange")
    ClaimReview = apps.get_model("services", "ClaimReview")
    ServiceChange = apps.get_model("services", "ServiceChange")
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        moves = {}
        for move in StatusChange.objects.filter(service_id__in=chunk).order_by("changed_at", "pk"):
            moves.setdefault(move.service_id, []).append(move)
        accepted = {
            review.change_id: review
            for review in ClaimReview.objects.filter(
                change__service_id__in=chunk, decision="accepted"
            )
        }
        rows = []
        for service in Service.objects.filter(pk__in=chunk).order_by("pk"):
            rows.extend(_rows(ServiceChange, service, moves.get(service.pk, []), accepted))
        ServiceChange.objects.bulk_create(rows, batch_size=1000)


def _rows(ServiceChange, service, moves, accepted):
    state = {name: getattr(service, name) for name in STATE}
    channels = ",".join(c for c in CHANNELS if getattr(service, f"channel_{c}"))
    rows = []
    for move in moves:
        common = {
            "service_id": service.pk,
            "changed_by_id": move.changed_by_id,
            "status_change_id": move.pk,
            "status": move.new_status,
            "channels": channels,
            **state,
        }
        rows.append(
            ServiceChange(
                kind="created" if not move.old_status else "status",
                changed_at=move.changed_at,
                comment=move.comment,
                evidence_url=move.evidence_url,
                changes={} if not move.old_status else {"status": [move.old_status, move.new_status]},
                last_confirmed=timezone.localdate(move.changed_at),
                **common,
            )
        )
        review = accepted.get(move.pk)
        if review is not None:
            rows.append(
                ServiceChange(
                    kind="verified",
                    changed_at=review.reviewed_at,
                    changed_by_id=review.reviewed_by_id,
                    evidence_url=move.evidence_url,
                    last_confirmed=timezone.localdate(move.changed_at),
                    **{**common, "changed_by_id": review.reviewed_by_id},
                )
            )
    if not rows:
        return rows
    rows.sort(key=lambda row: row.changed_at)  # stable: a move before its review
    last = rows[-1]
    confirmed = service.last_confirmed
    if confirmed and confirmed > last.last_confirmed:
        moment = timezone.make_aware(datetime.combine(confirmed, time(12)))
        rows.append(
            ServiceChange(
                kind="confirmed",
                changed_at=min(max(moment, last.changed_at), timezone.now()),
                changed_by_id=last.changed_by_id,
                service_id=service.pk,
                status_change_id=last.status_change_id,
                status=last.status,
                channels=channels,
                last_confirmed=confirmed,
                changes={"last_confirmed": [last.last_confirmed.isoformat(), confirmed.isoformat()]},
                **state,
            )
        )
    elif confirmed:
        last.last_confirmed = confirmed
    return rows


class Migration(migrations.Migration):
    dependencies = [("services", "0004_withdrawn_and_change_history")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Snapshots built before the cutoff was kept read the history up to the end of their day."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone


def backfill(apps, schema_editor):
    ReportSnapshot = apps.get_model("reports", "ReportSnapshot")
    snapshots = list(ReportSnapshot.objects.filter(cutoff__isnull=True))
    for snapshot in snapshots:
        snapshot.cutoff = timezone.make_aware(
            datetime.combine(snapshot.as_of + timedelta(days=1), time.min)
        )
    ReportSnapshot.objects.bulk_update(snapshots, ["cutoff"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_snapshot_cutoff")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

"""Every department's first history row: as it is now, since before records began."""

from datetime import datetime

from django.db import migrations
from django.utils import timezone

STATE = (
    "code",
    "name_kk",
    "name_ru",
    "name_en",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "level",
    "closed_on",
)


def backfill(apps, schema_editor):
    Department = apps.get_model("regions", "Department")
    DepartmentChange = apps.get_model("regions", "DepartmentChange")
    since = timezone.make_aware(datetime(2000, 1, 1))
    DepartmentChange.objects.bulk_create(
        [
            DepartmentChange(
                department_id=department.pk,
                kind="created",
                changed_at=since,
                **{name: getattr(department, name) for name in STATE},
            )
            for department in Department.objects.all()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0004_closed_on_and_department_history")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

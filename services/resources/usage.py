"""Monthly deliveries by channel from the tables offices keep (django-import-export)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.fields import Field

from regions.access import scope_for
from regions.models import Department
from services.models import ImportRecord, Service, Usage
from services.resources.base import NAME_FIELDS, FileRowMessages, ReadableColumns, service_keys
from services.spreadsheets import vocabulary
from services.spreadsheets.dataset import FILE_ROW
from services.spreadsheets.widgets import RegisterCodeWidget


class MonthWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        month = vocabulary.month_of(value or "")
        if month is None:
            raise ValueError(
                _("“%(value)s” is not a month (write 01.2026 or январь 2026).") % {"value": value}
            )
        return month


class DeliveriesWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        digits = str(value).replace(" ", "").replace("\u00a0", "")
        if digits.endswith((".0", ",0")):
            digits = digits[:-2]
        if not digits.isdigit() or len(digits) > 9:
            raise ValueError(_("“%(value)s” is not a number of deliveries.") % {"value": value})
        return int(digits)


class UsageResource(ReadableColumns, FileRowMessages, resources.ModelResource):
    """Monthly deliveries by channel for one department's services; same rules as the
    service list: all or nothing, every problem with its row, only departments one may
    change."""

    file_row = Field(column_name=FILE_ROW, readonly=True)
    month = Field(attribute="month", column_name="month", widget=MonthWidget())
    channel = Field(attribute="channel", column_name="channel")
    count = Field(attribute="count", column_name="count", widget=DeliveriesWidget())

    class Meta:
        model = Usage
        fields = ("file_row", "month", "channel", "count")
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    import_kind = ImportRecord.Kind.USAGE

    def import_place(self):
        return self.department.region_id, self.department

    def __init__(self, *, department: Department | None, user, file_name: str = ""):
        super().__init__()
        self.department = department
        self.user = user

    def before_import(self, dataset, **kwargs):
        scope = scope_for(self.user)
        if self.department is None or not scope.may_edit_department(self.department):
            raise PermissionDenied(
                _("You may not change services of %(department)s; nothing was imported.")
                % {"department": self.department}
            )
        self.services = {}
        for service in Service.objects.filter(department=self.department):
            for key in service_keys(
                service.department_id,
                service.register_code,
                [getattr(service, name) for name in NAME_FIELDS],
            ):
                self.services.setdefault(key, service)
        self.existing = {
            (u.service_id, u.month, u.channel): u
            for u in Usage.objects.filter(service__department=self.department)
        }
        self.seen = {}

    def before_import_row(self, row, **kwargs):
        try:
            code = RegisterCodeWidget().clean(row.get("register_code")) or ""
        except ValueError:
            code = ""
        keys = service_keys(self.department.pk, code, [row.get(name) or "" for name in NAME_FIELDS])
        service = next((self.services[key] for key in keys if key in self.services), None)
        if service is None:
            named = next((row.get(n) for n in ("register_code", *NAME_FIELDS) if row.get(n)), "")
            raise self._row_error(
                row,
                _("%(department)s has no service “%(name)s”; add it to the service list first")
                % {"department": self.department, "name": named},
            )
        month = vocabulary.month_of(row.get("month") or "")
        key = (service.pk, month, row["channel"])
        if month and key in self.seen:
            raise self._row_error(
                row,
                _("the same service, month and channel as row %(row)s") % {"row": self.seen[key]},
            )
        self.seen[key] = row[FILE_ROW]
        row["_service"], row["_key"] = service, key

    def get_instance(self, instance_loader, row):
        return self.existing.get(row["_key"])

    def init_instance(self, row=None):
        return Usage(service=row["_service"])

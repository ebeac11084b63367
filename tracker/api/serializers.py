"""The public fields, and only those, of every API answer.

Each serializer names its fields one by one (no ``__all__``): a field added to a model
is not published until it is added here, and tests/api_tests/test_public_fields.py
fails on any field it does not expect. Never published: evidence links, blockers,
comments, people, claims and their verification, targets, confirmation dates, history.

Titles are the models' own verbose names (or a label here), translated: the schema and
/api/v1/meta/ show them in the reader's language, or in all three.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from regions.kinds import DepartmentKind
from regions.models import Department, Region
from services.levels import LEVEL_NAMES
from services.models import Channel, LifeEvent, Service
from tracker.api import figures


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = [
            "code",
            "kind",
            "name_kk",
            "name_ru",
            "name_en",
            "centre_kk",
            "centre_ru",
            "centre_en",
            "published_on",
        ]
        read_only_fields = fields


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_code", read_only=True, label=_("region code"))

    class Meta:
        model = Department
        fields = [
            "id",
            "region",
            "code",
            "name_kk",
            "name_ru",
            "name_en",
            "short_name_kk",
            "short_name_ru",
            "short_name_en",
            "kind",
            "level",
        ]
        read_only_fields = fields
        extra_kwargs = {"id": {"label": _("department id")}}


class LevelField(serializers.IntegerField):
    """A service's verified level (services.levels): its names are meta's enumeration."""

    choices = dict(LEVEL_NAMES)


class LifeEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeEvent
        fields = ["code", "name_kk", "name_ru", "name_en"]
        read_only_fields = fields


class ServiceSerializer(serializers.ModelSerializer):
    department = serializers.IntegerField(
        source="department_id", read_only=True, label=_("department id")
    )
    region = serializers.CharField(source="region_code", read_only=True, label=_("region code"))
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices),
        read_only=True,
        label=_("channels"),
        help_text=_("Where a person can receive the service: channel codes (see /api/v1/meta/)."),
    )
    level = LevelField(
        source="level_verified",
        read_only=True,
        label=_("level, verified"),
        help_text=_(
            "How electronic the service is, 0 to 4, from its criteria as the digital office "
            "verified them (see /api/v1/meta/)."
        ),
    )
    life_events = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="code",
        label=_("life events"),
        help_text=_("Codes of the life events the service serves (see /api/v1/life-events/)."),
    )

    class Meta:
        model = Service
        fields = [
            "id",
            "register_code",
            "name_kk",
            "name_ru",
            "name_en",
            "sphere",
            "status",
            "channels",
            "term_days",
            "term_working_days",
            "term_hours",
            "documents_required",
            "socially_significant",
            "level",
            "life_events",
            "department",
            "region",
        ]
        read_only_fields = fields
        extra_kwargs = {"id": {"label": _("service id")}}


# The columns a list of services reads: its public fields and what filters need, never
# the blocker, evidence or comments (not even loaded).
SERVICE_COLUMNS = [
    "id",
    "department_id",
    "register_code",
    "name_kk",
    "name_ru",
    "name_en",
    "sphere",
    "status",
    *(channel.field_name for channel in Channel),
    "term_days",
    "term_working_days",
    "term_hours",
    "documents_required",
    "socially_significant",
    "level_verified",
]


def _figure(label, kind=serializers.IntegerField, **kwargs):
    return kind(read_only=True, label=label, allow_null=True, **kwargs)


# A report's headline columns (reports.headline). No docstring: the schema would show it.
class RegionFiguresSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code", read_only=True, label=_("region code"))
    as_of = serializers.DateField(read_only=True, label=_("report as of"))
    services_total = _figure(_("services"))
    services_digital = _figure(_("electronic, claims included"))
    services_verified = _figure(
        _("electronic, verified"), serializers.SerializerMethodField, method_name="get_verified"
    )
    share_digital = _figure(_("share electronic"), serializers.FloatField)
    share_verified = _figure(_("share electronic, verified"), serializers.FloatField)
    share_digital_change = _figure(
        _("change of the verified share since the previous report"), serializers.FloatField
    )
    socially_significant = _figure(_("socially significant services"))
    socially_significant_digital = _figure(_("socially significant services electronic, verified"))
    share_socially_significant = _figure(
        _("share of socially significant services electronic, verified"), serializers.FloatField
    )
    take_up = _figure(_("digital take-up"), serializers.FloatField)
    usage_total = _figure(_("deliveries over the last year"))
    departments_count = _figure(_("departments"))
    levels = _figure(
        _("services by level, verified"),
        serializers.ListField,
        child=serializers.IntegerField(),
        help_text=_("How many services are at each level, 0 to 4 (see /api/v1/meta/)."),
    )
    level_two_or_above = _figure(_("services at level 2 or above"))
    electronic_needing_visit = _figure(_("electronic services still needing a visit"))

    def get_verified(self, report) -> int | None:
        return figures.verified(report)


# A report's department row, its public part (figures.public_department_row).
class DepartmentFiguresSerializer(serializers.Serializer):
    region = serializers.CharField(read_only=True, label=_("region code"))
    as_of = serializers.DateField(read_only=True, label=_("report as of"))
    department = serializers.IntegerField(read_only=True, label=_("department id"))
    code = serializers.CharField(read_only=True, label=_("code"))
    kind = serializers.ChoiceField(choices=DepartmentKind.choices, read_only=True, label=_("kind"))
    name_kk = serializers.CharField(read_only=True, label=_("name (Kazakh)"))
    name_ru = serializers.CharField(read_only=True, label=_("name (Russian)"))
    name_en = serializers.CharField(read_only=True, label=_("name (English)"))
    total = _figure(_("services"))
    paper = _figure(_("paper"))
    partial = _figure(_("partially automated"))
    electronic = _figure(_("electronic"))
    proactive = _figure(_("proactive"))
    digital = _figure(_("electronic, claims included"))
    digital_verified = _figure(_("electronic, verified"))
    share_digital = _figure(_("share electronic"), serializers.FloatField)
    share_verified = _figure(_("share electronic, verified"), serializers.FloatField)
    share_digital_change = _figure(
        _("change of the verified share since the previous report"), serializers.FloatField
    )
    usage_total = _figure(_("deliveries over the last year"))
    take_up = _figure(_("digital take-up"), serializers.FloatField)
    rank = _figure(_("place in the report, laggards first"))

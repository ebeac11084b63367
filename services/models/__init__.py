"""The services app's models, one module per subject; import them from here."""

from services.models.criteria import (
    AWAITING_YES,
    MAX_LEVEL,
    Answer,
    Criterion,
    CriterionChange,
    CriterionGroup,
    CriterionReview,
    LifeEvent,
    ServiceCriterion,
)
from services.models.exports import ExportJob
from services.models.history import ServiceChange, ServiceChangeQuerySet
from services.models.imports import ImportRecord
from services.models.service import (
    CHANNEL_SHORT_LABELS,
    DIGITAL_STATUSES,
    Channel,
    LinkField,
    Service,
    ServiceQuerySet,
    Sphere,
    Status,
    end_of_day,
)
from services.models.status import (
    ClaimReview,
    HistoryIsImmutable,
    StatusChange,
    StatusChangeQuerySet,
)
from services.models.usage import ONLINE_CHANNELS, Usage, UsageQuerySet

__all__ = [
    "AWAITING_YES",
    "CHANNEL_SHORT_LABELS",
    "DIGITAL_STATUSES",
    "MAX_LEVEL",
    "ONLINE_CHANNELS",
    "Answer",
    "Channel",
    "ClaimReview",
    "Criterion",
    "CriterionChange",
    "CriterionGroup",
    "CriterionReview",
    "ExportJob",
    "HistoryIsImmutable",
    "ImportRecord",
    "LifeEvent",
    "LinkField",
    "Service",
    "ServiceChange",
    "ServiceChangeQuerySet",
    "ServiceCriterion",
    "ServiceQuerySet",
    "Sphere",
    "Status",
    "StatusChange",
    "StatusChangeQuerySet",
    "Usage",
    "UsageQuerySet",
    "end_of_day",
]

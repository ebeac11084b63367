"""/api/v1/: the open-data endpoints, their OpenAPI schema and its Swagger UI."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tracker.api import views

app_name = "api"


class RowId:
    """A row's id: up to 18 digits, so every id a table holds (bigint) and nothing the
    database would refuse to compare with — a longer number is simply no address (404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RowId, "row_id")


def pair(prefix: str, viewset, basename: str, key: str | None):
    """A list at ``prefix/`` and, where rows have a key, a row at ``prefix/<key>/``."""
    found = [path(f"{prefix}/", viewset.as_view({"get": "list"}), name=f"{basename}-list")]
    if key:
        row = viewset.as_view({"get": "retrieve"})
        found.append(path(f"{prefix}/<{key}>/", row, name=f"{basename}-detail"))
    return found


urlpatterns = [
    *pair("regions", views.RegionViewSet, "region", "str:code"),
    *pair("departments", views.DepartmentViewSet, "department", "row_id:pk"),
    *pair("services", views.ServiceViewSet, "service", "row_id:pk"),
    *pair("life-events", views.LifeEventViewSet, "life-event", "str:code"),
    *pair("figures/regions", views.RegionFiguresViewSet, "region-figures", "str:code"),
    *pair("figures/departments", views.DepartmentFiguresViewSet, "department-figures", None),
    path("meta/", views.MetaView.as_view(), name="meta"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

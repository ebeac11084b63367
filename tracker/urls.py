from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tracker.languages import set_language

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("reports/", include("reports.urls")),
    path("exports/", include("services.urls")),
]

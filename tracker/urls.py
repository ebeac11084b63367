from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from tracker import admin_search, choice_words, health
from tracker.languages import set_language

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/setlang/", set_language, name="set_language"),
    # For monitoring, without signing in (tracker.health).
    path("health/", health.health, name="health"),
    path("choice-words/<str:language>.js", choice_words.choice_words, name="choice_words"),
    # Ahead of the admin's own search: see tracker.admin_search.
    path(f"{settings.ADMIN_PATH}search/", admin_search.search),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("reports/", include("reports.urls")),
    path("exports/", include("services.urls")),
    # The open-data API, for anyone (tracker.api).
    path("api/v1/", include("tracker.api.urls")),
]

handler400 = "tracker.bad_requests.bad_request"

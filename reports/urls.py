from django.urls import path

from reports import downloads, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national_page, name="national"),
    path("national/compare/", views.across_regions_page, name="across_regions"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("snapshots/<int:pk>/progress/", views.progress, name="progress"),
    path("snapshots/<int:pk>.xlsx", downloads.xlsx, name="xlsx"),
    path("snapshots/<int:pk>.pdf", downloads.pdf, name="pdf"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/build/", views.build, name="build"),
    path("<str:code>/compare/", views.comparison, name="compare"),
]

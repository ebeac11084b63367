from django.urls import path

from reports import downloads, national_views, ranking_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", national_views.national_page, name="national"),
    path("national/compare/", national_views.across_regions_page, name="across_regions"),
    path("national/ranking/", ranking_views.latest, name="ranking"),
    path("national/ranking/build/", ranking_views.build, name="ranking_build"),
    path("national/ranking/<int:pk>/", ranking_views.one, name="ranking_one"),
    path("national/ranking/<int:pk>/progress/", ranking_views.progress, name="ranking_progress"),
    path("national/ranking/<int:pk>.pdf", ranking_views.pdf, name="ranking_pdf"),
    path("national/ranking/<int:pk>.xlsx", ranking_views.xlsx, name="ranking_xlsx"),
    path("snapshots/<int:pk>/", views.snapshot, name="snapshot"),
    path("snapshots/<int:pk>/progress/", views.progress, name="progress"),
    path(
        "snapshots/<int:pk>/departments/<int:department_id>/",
        views.department,
        name="department",
    ),
    path("snapshots/<int:pk>.xlsx", downloads.xlsx, name="xlsx"),
    path("snapshots/<int:pk>.pdf", downloads.pdf, name="pdf"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/build/", views.build, name="build"),
    path("<str:code>/compare/", views.comparison, name="compare"),
]

from django.urls import path

from services import views

app_name = "exports"

urlpatterns = [
    path("services.csv", views.services_csv, name="services_csv"),
    path("services.xlsx", views.services_xlsx, name="services_xlsx"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]

from django.urls import path

from services import views

app_name = "exports"

urlpatterns = [
    path("services.csv", views.services_csv, name="services_csv"),
    path("services.xlsx", views.services_xlsx, name="services_xlsx"),
]

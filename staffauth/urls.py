from django.urls import path

from . import views

app_name = "staffauth"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pruefen/", views.verify, name="verify"),
    path("einrichten/", views.setup, name="setup"),
    path("ersatzcodes/", views.backup_codes, name="backup_codes"),
    path("ausschalten/", views.disable, name="disable"),
]

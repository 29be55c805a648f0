from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("termin/<int:date_id>/", views.enrol, name="enrol"),
    path("termin/<int:date_id>/gesendet/", views.enrol_sent, name="sent"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("abmelden/<str:token>/", views.cancel, name="cancel"),
]

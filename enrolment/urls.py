from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("termin/<int:date_id>/", views.enrol, name="enrol"),
]

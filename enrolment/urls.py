from django.urls import path

from . import booking_views, views

app_name = "enrolment"

urlpatterns = [
    path("termin/<int:date_id>/", views.enrol, name="enrol"),
    path("termin/<int:date_id>/gesendet/", views.enrol_sent, name="sent"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("abmelden/<str:token>/", views.cancel, name="cancel"),
    path("termin/<int:date_id>/gruppe/", booking_views.book, name="booking"),
    path("termin/<int:date_id>/gruppe/gesendet/", booking_views.booking_sent, name="booking_sent"),
    path(
        "buchung/bestaetigen/<str:token>/",
        booking_views.booking_confirm,
        name="booking_confirm",
    ),
    path("buchung/<str:token>/", booking_views.booking_manage, name="booking_manage"),
    path("buchung/<str:token>/stornieren/", booking_views.booking_cancel, name="booking_cancel"),
    path(
        "buchung/<str:token>/ersetzen/<int:enrolment_id>/",
        booking_views.booking_swap,
        name="booking_swap",
    ),
]

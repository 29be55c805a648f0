from django.urls import path

from . import attendance_views, learner_views

app_name = "learner"

urlpatterns = [
    path("", learner_views.home, name="home"),
    path("anmelden/", learner_views.signin, name="signin"),
    path("anmelden/gesendet/", learner_views.signin_sent, name="signin_sent"),
    path("link/<str:token>/", learner_views.link, name="link"),
    path("abmelden/", learner_views.signout, name="signout"),
    path("abgemeldet/", learner_views.signed_out, name="signed_out"),
    path("lektion/<int:page_id>/erledigt/", learner_views.lesson_done, name="lesson_done"),
    path("lektion/<int:page_id>/selbsttest/", learner_views.quiz, name="quiz"),
    path(
        "bescheinigung/<int:enrolment_id>.pdf",
        learner_views.certificate_pdf,
        name="certificate",
    ),
    path("daten/", learner_views.data_export, name="data_export"),
    path("konto-loeschen/", learner_views.delete_account, name="delete_account"),
    path("konto-geloescht/", learner_views.deleted, name="deleted"),
    path("kalender/", learner_views.calendar_new, name="calendar_new"),
    path("kalender/<str:secret>.ics", learner_views.calendar, name="calendar"),
    path("trainer/", attendance_views.overview, name="trainer"),
    path("trainer/termin/<int:date_id>/", attendance_views.date_attendance, name="attendance"),
    path(
        "trainer/termin/<int:date_id>/unterschriftenliste.pdf",
        attendance_views.signin_sheet,
        name="signin_sheet",
    ),
]

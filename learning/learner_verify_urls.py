from django.urls import path

from . import learner_views

app_name = "certificates"

urlpatterns = [
    path("", learner_views.verify_form, name="check"),
    path("<str:number>/", learner_views.verify, name="verify"),
]

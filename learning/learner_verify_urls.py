from django.urls import path

from . import learner_views

app_name = "certificates"

urlpatterns = [path("<str:number>/", learner_views.verify, name="verify")]

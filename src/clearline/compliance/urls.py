from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [path("procedure/", views.complaint_procedure, name="procedure")]

from django.urls import path

from . import intake, tracking, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("contact/", views.contact, name="contact"),
    path("contact/new/", intake.new_case, name="new_case"),
    path("contact/sent/", intake.case_submitted, name="case_submitted"),
    path("track/", tracking.track, name="track"),
    path("track/case/", tracking.tracked_case, name="tracked_case"),
    path("track/<str:token>", tracking.open_link, name="track_link"),
]

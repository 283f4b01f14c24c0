from django.urls import path

from . import views

urlpatterns = [
    path("<slug:event>", views.webhook, name="voice-webhook"),
    path("<slug:event>/<int:ident>", views.webhook, name="voice-webhook-for"),
]

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "clearline.web"
    label = "web"
    verbose_name = "Help centre (public pages)"

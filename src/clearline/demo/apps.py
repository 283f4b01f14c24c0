from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "clearline.demo"
    label = "demo"
    verbose_name = "Demo organisation"

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "clearline.console"
    label = "console"
    verbose_name = "Agent console"

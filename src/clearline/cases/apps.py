from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "clearline.cases"
    label = "cases"
    verbose_name = "Cases"

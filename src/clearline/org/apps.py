from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "clearline.org"
    label = "org"
    verbose_name = "Organisation profile"

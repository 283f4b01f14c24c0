from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "clearline.kb"
    label = "kb"
    verbose_name = "FAQ and knowledge base"

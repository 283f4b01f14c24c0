from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clearline.audit"
    label = "audit"
    verbose_name = "Audit trail"

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "clearline.compliance"
    label = "compliance"
    verbose_name = "Compliance: the DFS quarterly pack, registers and examiner exports"

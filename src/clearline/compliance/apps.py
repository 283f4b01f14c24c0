from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "clearline.compliance"
    label = "compliance"
    verbose_name = "Compliance: the DFS quarterly pack, registers and examiner exports"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from clearline.cases.models import Case, Message

        from .models import FrozenPack
        from .retention import refuse_early_deletion

        for model in (Case, Message, FrozenPack):
            pre_delete.connect(
                refuse_early_deletion, sender=model, dispatch_uid=f"retention.{model.__name__}"
            )

from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "clearline.notices"
    label = "notices"
    verbose_name = "Planned events, incidents and the status page"

    def ready(self) -> None:
        from clearline.cases.signals import case_opened

        from .services import link_new_case

        case_opened.connect(link_new_case, dispatch_uid="notices.link_new_case")

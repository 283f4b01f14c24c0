from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "clearline.feedback"
    label = "feedback"
    verbose_name = "Satisfaction surveys"

    def ready(self) -> None:
        from clearline.cases.signals import case_resolved

        from .services import schedule_survey

        case_resolved.connect(schedule_survey, dispatch_uid="feedback.schedule_survey")

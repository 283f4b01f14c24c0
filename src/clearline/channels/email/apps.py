from django.apps import AppConfig


class EmailChannelConfig(AppConfig):
    name = "clearline.channels.email"
    label = "channels_email"
    verbose_name = "Email channel"

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_sending_address

        checks.register(check_sending_address)

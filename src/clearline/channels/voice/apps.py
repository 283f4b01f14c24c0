from django.apps import AppConfig


class VoiceChannelConfig(AppConfig):
    name = "clearline.channels.voice"
    label = "channels_voice"
    verbose_name = "Phone channel"

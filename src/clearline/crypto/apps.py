from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "clearline.crypto"
    label = "crypto"
    verbose_name = "Networks, assets and crypto formats"

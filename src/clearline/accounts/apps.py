from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "clearline.accounts"
    label = "accounts"
    verbose_name = "Staff, customers and access"

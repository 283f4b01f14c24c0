"""The networks customers transact on: their address format, assets and block explorers (CRY-02)."""

from __future__ import annotations

from django.db import models

from .formats import AddressFormat


class IntakeForm(models.TextChoices):
    """The structured fields a topic asks for at intake."""

    NONE = "", "Message only"
    TRANSACTION = "transaction", "Transaction"
    ACCOUNT = "account", "Account"


class Network(models.Model):
    """A chain the firm supports. Explorer links are configuration: each firm picks explorers it trusts."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    address_format = models.CharField(
        max_length=20, choices=[(value.value, value.name.title()) for value in AddressFormat]
    )
    assets = models.JSONField(
        default=list, help_text='Asset symbols carried on this network, e.g. ["ETH", "USDC"].'
    )
    explorer_tx_url = models.URLField(max_length=300, blank=True, help_text="With {value} for the hash.")
    explorer_address_url = models.URLField(
        max_length=300, blank=True, help_text="With {value} for the address."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def format(self) -> AddressFormat:
        return AddressFormat(self.address_format)

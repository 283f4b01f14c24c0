"""The structured part of an intake (CRY-02): which fields a topic asks for, and their validation.

Transaction topics ask for the network, asset, hash, amount, addresses, memo or tag and time; account topics
for the account id and last successful login. Values are checked against the chosen network's formats and
stored normalised, with the explorer links configured for that network. Errors name the field and the
expected format in the active language; free text passes secret redaction like every other text (CRY-03).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearline.core.errors import DomainError

from .formats import FormatError, normalise_address, normalise_memo, normalise_tx_hash
from .models import IntakeForm, Network
from .redaction import redact_secrets

TRANSACTION_FIELDS = (
    "network",
    "asset",
    "tx_hash",
    "amount",
    "from_address",
    "to_address",
    "memo",
    "occurred_at",
)
ACCOUNT_FIELDS = ("account_id", "last_login_at")
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    IntakeForm.NONE: (),
    IntakeForm.TRANSACTION: TRANSACTION_FIELDS,
    IntakeForm.ACCOUNT: ACCOUNT_FIELDS,
}
FIELD_LABELS = {
    "network": gettext_lazy("Network"),
    "asset": gettext_lazy("Asset"),
    "tx_hash": gettext_lazy("Transaction hash"),
    "amount": gettext_lazy("Amount"),
    "from_address": gettext_lazy("Sending address"),
    "to_address": gettext_lazy("Receiving address"),
    "memo": gettext_lazy("Memo or destination tag"),
    "occurred_at": gettext_lazy("Date and time of the transaction"),
    "account_id": gettext_lazy("Account ID"),
    "last_login_at": gettext_lazy("Last successful sign-in"),
}
MAX_TEXT = 120


def _invalid(field: str, expected: str) -> DomainError:
    return DomainError(
        _("%(field)s: expected %(format)s.") % {"field": FIELD_LABELS[field], "format": _(expected)},
        field=f"details.{field}",
    )


def clean_details(form: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validated, normalised details for a topic's form; blank values are dropped, unknown fields refused."""
    allowed = FORM_FIELDS.get(form, ())
    given = {key: value for key, value in (values or {}).items() if value not in (None, "")}
    for key, value in given.items():
        if key not in allowed:
            names = ", ".join(allowed) or _("none")
            raise DomainError(
                _("Unknown detail %(field)s for this topic; allowed: %(allowed)s.")
                % {"field": key, "allowed": names},
                field=f"details.{key}",
            )
        if not isinstance(value, str | int | float | Decimal) or len(str(value)) > MAX_TEXT:
            raise DomainError(
                _("%(field)s: at most %(count)d characters.")
                % {"field": FIELD_LABELS[key], "count": MAX_TEXT},
                field=f"details.{key}",
            )
    text = {key: str(value).strip() for key, value in given.items()}
    if form == IntakeForm.TRANSACTION and text:
        return _transaction(text)
    if form == IntakeForm.ACCOUNT:
        cleaned: dict[str, Any] = {}
        if "account_id" in text:
            cleaned["account_id"] = redact_secrets(text["account_id"]).text
        if "last_login_at" in text:
            cleaned["last_login_at"] = _moment("last_login_at", text["last_login_at"])
        return cleaned
    return {}


def _transaction(text: dict[str, str]) -> dict[str, Any]:
    network = Network.objects.filter(key=text.get("network", ""), is_active=True).first()
    if network is None:
        raise DomainError(_("Network: choose one of the networks listed."), field="details.network")
    cleaned: dict[str, Any] = {"network": network.key}
    links: dict[str, str] = {}
    if "asset" in text:
        asset = text["asset"].upper()
        if network.assets and asset not in network.assets:
            raise _invalid("asset", ", ".join(network.assets))
        cleaned["asset"] = asset
    for field, normalise, explorer in (
        ("tx_hash", normalise_tx_hash, network.explorer_tx_url),
        ("from_address", normalise_address, network.explorer_address_url),
        ("to_address", normalise_address, network.explorer_address_url),
    ):
        if field in text:
            try:
                cleaned[field] = normalise(network.format, text[field])
            except FormatError as error:
                raise _invalid(field, error.expected) from error
            if explorer:
                links[field] = explorer.replace("{value}", cleaned[field])
    if "memo" in text:
        try:
            cleaned["memo"] = redact_secrets(normalise_memo(network.format, text["memo"])).text
        except FormatError as error:
            raise _invalid("memo", error.expected) from error
    if "amount" in text:
        cleaned["amount"] = _amount(text["amount"])
    if "occurred_at" in text:
        cleaned["occurred_at"] = _moment("occurred_at", text["occurred_at"])
    if links:
        cleaned["explorer_links"] = links
    return cleaned


def _amount(value: str) -> str:
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        amount = Decimal(-1)
    too_precise = amount.is_finite() and int(amount.as_tuple().exponent) < -18
    if not amount.is_finite() or amount <= 0 or amount.adjusted() > 30 or too_precise:
        raise _invalid("amount", _("a positive number, for example 0.25"))
    return format(amount.normalize(), "f")


def _moment(field: str, value: str) -> str:
    """ISO 8601; a time without zone (a browser's datetime-local field) is the customer's local time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise _invalid(field, _("a date and time such as 2026-03-14 09:30")) from error
    if moment.tzinfo is None:
        return moment.isoformat(timespec="minutes")
    if moment > datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10):
        raise _invalid(field, _("a time that is not in the future"))
    return moment.astimezone(UTC).isoformat(timespec="minutes")

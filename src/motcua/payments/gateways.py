"""Payment gateway adapters. A real provider (VNPay, MoMo, the national portal's PayGov) implements
`PaymentGateway`; the sandbox below behaves like them: a redirect to the provider's page, then a callback
signed with HMAC-SHA256 that we verify before believing anything in it.
"""

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from motcua.payments.models import Payment

OUTCOMES = ("paid", "failed", "cancelled")


@dataclass(frozen=True)
class CallbackResult:
    """A verified callback: which payment, what happened, the provider's transaction number."""

    reference: str
    outcome: str  # one of OUTCOMES
    amount_vnd: int
    provider_ref: str
    data: dict[str, str]


class BadSignature(Exception):
    """The callback is not from the provider (or was altered): nothing may change."""


class PaymentGateway(Protocol):
    name: str

    def start(self, payment: Payment) -> str:
        """The URL to send the payer's browser to."""
        ...

    def verify_callback(self, request_data: dict[str, str]) -> CallbackResult:
        """Check the provider's signature and read the result; BadSignature when it does not verify."""
        ...


def sandbox_secret() -> bytes:
    secret = getattr(settings, "MOTCUA_SANDBOX_PAYMENT_SECRET", "")
    if secret:
        return secret.encode()
    return hashlib.sha256(f"motcua-sandbox-payment|{settings.SECRET_KEY}".encode()).digest()


SIGNED_FIELDS = ("ref", "outcome", "amount", "txn")


def sign(fields: dict[str, str], secret: bytes | None = None) -> str:
    """HMAC-SHA256 over the signed fields in a fixed order ("key=value&..."), hex encoded."""
    message = "&".join(f"{name}={fields.get(name, '')}" for name in SIGNED_FIELDS)
    return hmac.new(secret or sandbox_secret(), message.encode(), hashlib.sha256).hexdigest()


class SandboxGateway:
    """A provider inside the project for the demo and the tests (`/thanh-toan/sandbox/<ref>/`)."""

    name = "sandbox"

    def start(self, payment: Payment) -> str:
        return reverse("payments:sandbox", args=[payment.reference])

    def callback_url(self, fields: dict[str, str]) -> str:
        """What the sandbox's page redirects the browser to (as real providers do with a return URL)."""
        signed = {name: fields[name] for name in SIGNED_FIELDS} | {"sig": sign(fields)}
        return f"{reverse('payments:callback', args=[self.name])}?{urlencode(signed)}"

    def verify_callback(self, request_data: dict[str, str]) -> CallbackResult:
        fields = {name: str(request_data.get(name, "")) for name in SIGNED_FIELDS}
        given = str(request_data.get("sig", ""))
        if not hmac.compare_digest(sign(fields).encode(), given.encode()):
            raise BadSignature
        if fields["outcome"] not in OUTCOMES or not fields["amount"].isdigit():
            raise BadSignature
        return CallbackResult(
            reference=fields["ref"],
            outcome=fields["outcome"],
            amount_vnd=int(fields["amount"]),
            provider_ref=fields["txn"],
            data=fields,
        )


DEFAULT_GATEWAYS = {"sandbox": "motcua.payments.gateways.SandboxGateway"}


def sandbox_enabled() -> bool:
    """The sandbox's page marks any payment paid and signs the callback itself: it exists only when DEBUG
    is on or MOTCUA_PAYMENT_SANDBOX chooses it (settings.py); otherwise its pages and callback are 404."""
    return bool(getattr(settings, "MOTCUA_PAYMENT_SANDBOX", False))


def gateway(name: str | None = None) -> PaymentGateway:
    """The configured gateway (MOTCUA_PAYMENT_GATEWAY, default the sandbox), or the one named;
    LookupError when unknown, or when it is the sandbox and the sandbox is off."""
    gateways = getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", DEFAULT_GATEWAYS)
    name = name or getattr(settings, "MOTCUA_PAYMENT_GATEWAY", "sandbox")
    if name not in gateways or (name == "sandbox" and not sandbox_enabled()):
        raise LookupError(name)
    make_gateway: Callable[[], PaymentGateway] = import_string(gateways[name])
    return make_gateway()


def gateway_available() -> bool:
    try:
        gateway()
    except LookupError:
        return False
    return True

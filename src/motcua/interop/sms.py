"""SMS / Zalo notifications to applicants: an adapter interface and a logging implementation.

The adapter is chosen by the setting MOTCUA_SMS_BACKEND (a dotted path; default the logging one). A real
provider (an SMS brand-name gateway, Zalo ZNS) implements `send(phone, text)` and raises on failure, so the
outbox retries the message.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("motcua.sms")

DEFAULT_BACKEND = "motcua.interop.sms.LoggingSms"


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def mask(phone: str) -> str:
    """'0912345678' → '*******678': logs carry no full phone numbers."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


class LoggingSms:
    """Sends nothing: logs that a message would have gone, and its length (embedded deployment, demo)."""

    def send(self, phone: str, text: str) -> None:
        # Never the text (it names the applicant's dossier and appointment), and the number masked.
        log.info("sms to %s not sent (logging backend): %d characters", mask(phone), len(text))


class MemorySms:
    """Keeps the messages in `MemorySms.outbox`, like Django's locmem email backend (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySms.outbox.append((phone, text))


def sender() -> SmsSender:
    return import_string(getattr(settings, "MOTCUA_SMS_BACKEND", DEFAULT_BACKEND))()


def send(phone: str, text: str) -> None:
    """Send `text` to `phone` through the configured adapter; nothing when there is no phone."""
    if phone.strip():
        sender().send(phone.strip(), text)

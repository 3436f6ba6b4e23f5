"""SMS / Zalo notifications to applicants: an adapter interface and a logging implementation.

The adapter is chosen by the setting MOTCUA_SMS_BACKEND (a dotted path; default the logging one). A real
provider (an SMS brand-name gateway, Zalo ZNS) implements `send(phone, text)` and raises on failure, so the
outbox retries the message.
"""

import logging
from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.core.text import strip_marks

log = logging.getLogger("motcua.sms")

DEFAULT_BACKEND = "motcua.interop.sms.LoggingSms"

# GSM 03.38: the basic alphabet (one septet each) and its extension table (two septets: escape + char).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
SEGMENT = 160  # GSM-7 characters in a single SMS
CONCATENATED_SEGMENT = 153  # per part of a longer one (the rest holds the concatenation header)
_PUNCTUATION = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def mask(phone: str) -> str:
    """'0912345678' → '*******678': logs carry no full phone numbers."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


def unaccented(text: str) -> str:
    """'Hồ sơ Đã tiếp nhận – hẹn trả' → 'Ho so Da tiep nhan - hen tra': the case kept (unlike
    `core.text.fold`, made for searching), whitespace collapsed to single spaces, and every character left
    outside the GSM-7 alphabet replaced by '?'. Brand-name SMS in Vietnam is sent unaccented: a text with
    one Vietnamese letter goes as UCS-2, 70 characters a segment instead of 160."""
    stripped = strip_marks(text.translate(_PUNCTUATION))
    return "".join(
        ch if ch in GSM7_BASIC or ch in GSM7_EXTENDED else "?" for ch in " ".join(stripped.split())
    )


def gsm7_length(text: str) -> int | None:
    """Septets `text` takes in the GSM-7 alphabet; None when it cannot be sent in it (UCS-2 then)."""
    if not all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        return None
    return len(text) + sum(ch in GSM7_EXTENDED for ch in text)


def segments(text: str) -> int:
    """How many SMS `text` is billed as: GSM-7 160 / 153 a part, otherwise UCS-2 70 / 67."""
    septets = gsm7_length(text)
    single, part, size = (
        (SEGMENT, CONCATENATED_SEGMENT, septets) if septets is not None else (70, 67, len(text))
    )
    return 1 if size <= single else -(-size // part)


class LoggingSms:
    """Sends nothing: logs that a message would have gone, and its length (embedded deployment, demo)."""

    def send(self, phone: str, text: str) -> None:
        # Never the text (it names the applicant's dossier and appointment), and the number masked.
        log.info(
            "sms to %s not sent (logging backend): %d characters, %d segment(s)",
            mask(phone),
            len(text),
            segments(text),
        )


class MemorySms:
    """Keeps the messages in `MemorySms.outbox`, like Django's locmem email backend (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySms.outbox.append((phone, text))


def sender() -> SmsSender:
    make_sender: Callable[[], SmsSender] = import_string(
        getattr(settings, "MOTCUA_SMS_BACKEND", DEFAULT_BACKEND)
    )
    return make_sender()


def send(phone: str, text: str) -> None:
    """Send `text` to `phone` through the configured adapter; nothing when there is no phone."""
    if phone.strip():
        sender().send(phone.strip(), text)

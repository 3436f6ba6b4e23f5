"""Notifications through the Center's Zalo Official Account: ZNS template messages (Zalo Notification
Service, `POST https://business.openapi.zalo.me/message/template`, the OA's `access_token` in a header;
body `phone` as 84xxxxxxxxx, `template_id`, `template_data`, `tracking_id`; answer `{"error": 0,
"message": "Success", "data": {"msg_id": ...}}`).

The same acts as the SMS are told (`handlers.notify_applicant`, in the outbox), with the same short text
(with its Vietnamese marks) and the link to follow the dossier, to a citizen whose portal account gave its
consent (`core.consent`), at the Zalo number given with it; read when the message is sent, so a consent
withdrawn in between stops it. The adapter is chosen by MOTCUA_ZALO_BACKEND: the logging one (default)
sends nothing; `ZnsZalo` calls Zalo, or the in-project sandbox (`zalo_sandbox`). A failure raises, so the
outbox retries; the delivery is recorded (a `Notification` on channel "zalo": the request with the number
masked, and Zalo's answer) as soon as it is made, so a retry or a second dispatch sends nothing twice.
"""

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from motcua.core import consent
from motcua.dossiers.models import Dossier
from motcua.interop import http, sms
from motcua.interop.models import Notification
from motcua.interop.notifications import link, short_text
from motcua.outbox.models import OutboxMessage

log = logging.getLogger("motcua.zalo")

CHANNEL = "zalo"
DEFAULT_BACKEND = "motcua.interop.zalo.LoggingZalo"
ZNS_URL = "https://business.openapi.zalo.me/message/template"


class ZaloFailed(Exception):
    """Zalo did not take the message (unreachable, no answer in time, or an error code): retried."""


class ZaloSender(Protocol):
    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one ZNS request; Zalo's answer, or ZaloFailed."""
        ...


class LoggingZalo:
    """Sends nothing: logs that a Zalo message would have gone (embedded deployment, demo)."""

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        log.info(
            "zalo to %s not sent (logging backend): template %s",
            sms.mask(str(request.get("phone", ""))),
            request.get("template_id"),
        )
        return {"error": 0, "message": "not sent (logging backend)"}


class ZnsZalo:
    """Zalo's ZNS API (or the sandbox at the same path), over HTTP with an overall deadline."""

    def __init__(self, url: str | None = None, access_token: str | None = None, timeout: float | None = None):
        self.url = url or str(getattr(settings, "MOTCUA_ZALO_URL", "") or ZNS_URL)
        self.access_token = access_token or str(getattr(settings, "MOTCUA_ZALO_ACCESS_TOKEN", ""))
        self.timeout = timeout or float(getattr(settings, "MOTCUA_ZALO_TIMEOUT", 10))

    def send(self, request: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(request, ensure_ascii=False).encode()
        headers = {"access_token": self.access_token, "Content-Type": "application/json"}
        try:
            answer = http.post(self.url, body, headers=headers, deadline=self.timeout)
        except http.CallFailed as error:
            raise ZaloFailed(str(error)) from error
        data = first_json(answer.text)
        if answer.status != 200 or data is None:
            raise ZaloFailed(f"HTTP {answer.status}: {answer.text[:200]}")
        if data.get("error") != 0:
            raise ZaloFailed(f"error {data.get('error')}: {str(data.get('message', ''))[:200]}")
        return data


def first_json(text: str) -> dict[str, Any] | None:
    """The answer's JSON object; a body that repeats its answer is read once (its first object)."""
    try:
        data, _end = json.JSONDecoder().raw_decode(text.lstrip())
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def sender() -> ZaloSender:
    make_sender: Callable[[], ZaloSender] = import_string(
        getattr(settings, "MOTCUA_ZALO_BACKEND", DEFAULT_BACKEND)
    )
    return make_sender()


def zalo_phone(phone: str) -> str | None:
    """'0912345678' → '84912345678', the form ZNS takes; None when not a Vietnamese mobile number."""
    number = consent.normalised_phone(phone)
    return f"84{number[1:]}" if number else None


def template_data(payload: Mapping[str, Any]) -> dict[str, str]:
    """The ZNS template's parameters: the dossier, its status, the short text and the link to follow it."""
    return {
        "ma_ho_so": str(payload["code"]),
        "thu_tuc": str(payload.get("procedure", ""))[:200],
        "trang_thai": str(payload.get("status_label", ""))[:100],
        "ngay_hen": str(payload.get("appointment", "")),
        "noi_dung": short_text(payload)[:400],
        "lien_ket": link(payload),
    }


def zalo_request(message: OutboxMessage, phone: str) -> dict[str, Any]:
    return {
        "phone": phone,
        "template_id": str(getattr(settings, "MOTCUA_ZALO_TEMPLATE_ID", "")),
        "template_data": template_data(message.payload),
        # Ours, stable for the message: Zalo returns it in its delivery events, the sandbox keeps it.
        "tracking_id": f"motcua-{message.pk}-{CHANNEL}",
    }


def deliver(message: OutboxMessage) -> Notification | None:
    """Send the message's notification through Zalo when the applicant's account consents now, and
    record it; None when there is no consent (nothing sent, nothing recorded)."""
    code = message.payload["code"]
    applicant = Dossier.objects.filter(code=code).values_list("applicant_user_id", flat=True).first()
    given = consent.current(applicant)
    phone = zalo_phone(given.phone) if given is not None else None
    if phone is None:
        return None
    request = zalo_request(message, phone)
    answer = sender().send(request)
    msg_id = str((answer.get("data") or {}).get("msg_id", ""))
    kept = request | {"phone": sms.mask(phone)}
    return Notification.objects.create(
        dossier_code=code,
        channel=CHANNEL,
        recipient=sms.mask(phone),
        subject=msg_id[:255],
        body=json.dumps({"request": kept, "answer": answer}, ensure_ascii=False),
        outbox_message=message,
    )

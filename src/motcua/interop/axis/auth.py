"""Client authentication on an axis: an OAuth2 access token by client credentials (RFC 6749 §4.4),
cached until shortly before it expires and fetched again when the axis answers 401; and/or mutual TLS,
the client certificate and key presented on every connection (`tls_context`)."""

import base64
import json
import ssl
import threading
import time
import uuid
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from motcua.interop import http
from motcua.interop.axis.registry import Axis
from motcua.interop.models import Exchange

EARLY = 30.0  # seconds before its expiry a token is fetched again


class AuthFailed(Exception):
    """No token: the token endpoint refused the client or could not be reached."""

    def __init__(self, message: str, *, status: int | None = None, text: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.text = text


@dataclass
class _Token:
    value: str
    expires_at: float  # time.monotonic()


_tokens: dict[tuple[str, str, str], _Token] = {}
_lock = threading.Lock()


def token(axis: Axis, *, fresh: bool = False) -> str:
    """The axis's access token: the cached one while it is valid, else a new one (`fresh`: always new)."""
    key = (axis.name, axis.token_endpoint, axis.client_id)
    with _lock:
        cached = _tokens.get(key)
        if cached is not None and not fresh and time.monotonic() < cached.expires_at - EARLY:
            return cached.value
    new = _fetch(axis)
    with _lock:
        _tokens[key] = new
    return new.value


def forget(axis: Axis) -> None:
    with _lock:
        _tokens.pop((axis.name, axis.token_endpoint, axis.client_id), None)


def forget_all() -> None:
    with _lock:
        _tokens.clear()


def _fetch(axis: Axis) -> _Token:
    credentials = base64.b64encode(f"{axis.client_id}:{axis.client_secret}".encode()).decode()
    body = urlencode({"grant_type": "client_credentials"})
    started = time.monotonic()
    try:
        answer = http.post(
            axis.token_endpoint,
            body.encode(),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            deadline=axis.timeout,
            context=tls_context(axis),
        )
    except http.CallFailed as exc:
        _log(axis, body, started, error=str(exc))
        raise AuthFailed(f"{axis.name} token: {exc}") from exc
    try:
        data = json.loads(answer.text) if answer.status == 200 else {}
        value = str(data["access_token"]) if answer.status == 200 else ""
        lifetime = float(data.get("expires_in", 300))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        _log(axis, body, started, status=answer.status, text=answer.text, error="unreadable answer")
        raise AuthFailed(f"{axis.name} token: unreadable answer", text=answer.text[:500]) from exc
    _log(axis, body, started, status=answer.status, text=answer.text)
    if answer.status != 200:
        raise AuthFailed(f"{axis.name} token: HTTP {answer.status}", status=answer.status, text=answer.text)
    return _Token(value, started + lifetime)


def _log(
    axis: Axis, body: str, started: float, *, status: int | None = None, text: str = "", error: str = ""
) -> None:
    """The token call in the exchange log, the token itself left out."""
    try:
        shown = json.loads(text) if text else {}
    except ValueError:
        shown = {}
    if isinstance(shown, dict) and "access_token" in shown:
        shown["access_token"] = "***"
    outcome = (
        Exchange.Outcome.UNREACHABLE
        if status is None
        else Exchange.Outcome.DELIVERED
        if status == 200 and not error
        else Exchange.Outcome.REFUSED
        if 400 <= status < 500
        else Exchange.Outcome.FAILED
    )
    Exchange.objects.create(
        service=f"{axis.name}.token",
        axis=axis.name,
        direction=Exchange.Direction.OUT,
        url=axis.token_endpoint[:500],
        request_body=body,
        response_body=json.dumps(shown, ensure_ascii=False) if shown else text[:2000],
        http_status=status,
        duration_ms=int((time.monotonic() - started) * 1000),
        outcome=outcome,
        error=error,
        idempotency_key=f"token:{uuid.uuid4().hex}",
        correlation_id=uuid.uuid4().hex,
    )


def tls_context(axis: Axis) -> ssl.SSLContext | None:
    """The TLS context of an https axis: with the client certificate when mutual TLS is configured."""
    if not axis.url.startswith("https://"):
        return None
    return _context(axis.client_cert, axis.client_key, axis.ca)


@cache
def _context(certificate: str, key: str, ca: str) -> ssl.SSLContext:
    return http.client_context(certificate=certificate, key=key, ca=ca)

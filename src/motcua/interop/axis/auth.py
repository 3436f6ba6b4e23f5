"""Client authentication on an axis: an OAuth2 access token by client credentials (RFC 6749 §4.4),
cached until shortly before it expires and fetched again when the axis answers 401; and/or mutual TLS,
the client certificate and key presented on every connection (`tls_context`)."""

import base64
import json
import ssl
import threading
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

from motcua.interop import http
from motcua.interop.axis.registry import Axis

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
    started = time.monotonic()
    try:
        answer = http.post(
            axis.token_endpoint,
            urlencode({"grant_type": "client_credentials"}).encode(),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
            deadline=axis.timeout,
            context=tls_context(axis),
        )
    except http.CallFailed as exc:
        raise AuthFailed(f"{axis.name} token: {exc}") from exc
    if answer.status != 200:
        raise AuthFailed(f"{axis.name} token: HTTP {answer.status}", status=answer.status, text=answer.text)
    try:
        data = json.loads(answer.text)
        value = str(data["access_token"])
        lifetime = float(data.get("expires_in", 300))
    except (ValueError, KeyError, TypeError) as exc:
        raise AuthFailed(f"{axis.name} token: unreadable answer", text=answer.text[:500]) from exc
    return _Token(value, started + lifetime)


def tls_context(axis: Axis) -> ssl.SSLContext | None:
    """The TLS context of an https axis: with the client certificate when mutual TLS is configured."""
    if not axis.url.startswith("https://"):
        return None
    return _context(axis.client_cert, axis.client_key, axis.ca)


@cache
def _context(certificate: str, key: str, ca: str) -> ssl.SSLContext:
    return http.client_context(certificate=certificate, key=key, ca=ca)

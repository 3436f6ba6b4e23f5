"""How payloads reach the National Public Service Portal (DVCQG): session login, then one POST per call.

`HttpTransport` talks to `MOTCUA_DVCQG_URL` (the base URL; `<base>login`, `<base><service>`), with
`MOTCUA_DVCQG_USERNAME` / `MOTCUA_DVCQG_PASSWORD`. It raises `TransportError` on network and HTTP errors,
so the outbox retries with back-off. `DisabledTransport` (no URL configured) sends nothing and says so: the
call is recorded as pending, never as sent. The request body is `{"session": ..., "service": ..., "data":
[payload]}`; the answer is DVCQG-style JSON `{"error_code": 0, "message": ...}` (0: accepted).
"""

import json
import logging
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin

from django.conf import settings

from motcua.interop import http

log = logging.getLogger("motcua.dvcqg")
DEFAULT_TIMEOUT = 10.0  # seconds a whole call may take, connect to last byte (interop.http)


@dataclass(frozen=True)
class Response:
    delivered: bool  # False: nothing left this system (sync disabled)
    error_code: int
    text: str

    @property
    def accepted(self) -> bool:
        return self.delivered and self.error_code == 0


class TransportError(Exception):
    """The portal could not be reached or answered with an HTTP error; `text` is what came back."""

    def __init__(self, message: str, *, text: str = "", http_status: int | None = None) -> None:
        super().__init__(message)
        self.text = text
        self.http_status = http_status


class Transport(Protocol):
    def login(self) -> None: ...

    def send(self, service: str, payload: dict[str, Any]) -> Response: ...


class DisabledTransport:
    """Sync not configured (MOTCUA_DVCQG_URL empty): nothing is sent, nothing is claimed sent."""

    def login(self) -> None:
        return None

    def send(self, service: str, payload: dict[str, Any]) -> Response:
        return Response(delivered=False, error_code=-1, text="")


class HttpTransport:
    def __init__(self, *, url: str, username: str, password: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("MOTCUA_DVCQG_URL must be an http(s) URL")
        self.url = url if url.endswith("/") else url + "/"
        self.username = username
        self.password = password
        self.timeout = timeout
        self.session = ""

    def login(self) -> None:
        answer = self._post("login", {"username": self.username, "password": self.password})
        data = _json(answer)
        session = data.get("session") if isinstance(data, dict) else None
        if not session or data.get("error_code", 0) != 0:
            raise TransportError("DVCQG login refused", text=answer)
        self.session = str(session)

    def send(self, service: str, payload: dict[str, Any]) -> Response:
        if not self.session:
            self.login()
        body = {"session": self.session, "service": service, "data": [payload]}
        try:
            answer = self._post(service, body)
        except TransportError as exc:
            if exc.http_status != 401:
                raise
            self.login()  # the session expired: log in again once
            body["session"] = self.session
            answer = self._post(service, body)
        data = _json(answer)
        code = data.get("error_code") if isinstance(data, dict) else None
        if not isinstance(code, int):
            raise TransportError(f"DVCQG {service}: unreadable answer", text=answer)
        return Response(delivered=True, error_code=code, text=answer)

    def _post(self, path: str, body: dict[str, Any]) -> str:
        return post(self.url, path, body, timeout=self.timeout)


def post(base_url: str, path: str, body: dict[str, Any], *, timeout: float) -> str:
    """POST `body` as JSON to `<base_url><path>`; the answer's text, or `TransportError` on a network error,
    the deadline passed or an HTTP error (the outbound sync and the inbound side alike)."""
    try:
        answer = http.post(
            urljoin(base_url, path),
            json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
            deadline=timeout,
        )
    except http.CallFailed as exc:
        raise TransportError(f"DVCQG {path}: {exc}") from exc
    if answer.status >= 400:
        text = answer.text[:2000]
        raise TransportError(f"DVCQG {path}: HTTP {answer.status}", text=text, http_status=answer.status)
    return answer.text


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def configured() -> bool:
    """Whether a portal is configured (MOTCUA_DVCQG_URL): if not, nothing is built or sent."""
    return bool(getattr(settings, "MOTCUA_DVCQG_URL", ""))


def get_transport() -> Transport:
    """The configured transport: HTTP when MOTCUA_DVCQG_URL is set, else the disabled one."""
    if not configured():
        return DisabledTransport()
    return HttpTransport(
        url=settings.MOTCUA_DVCQG_URL,
        username=getattr(settings, "MOTCUA_DVCQG_USERNAME", ""),
        password=getattr(settings, "MOTCUA_DVCQG_PASSWORD", ""),
        timeout=float(getattr(settings, "MOTCUA_DVCQG_TIMEOUT", DEFAULT_TIMEOUT)),
    )

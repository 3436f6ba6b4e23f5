"""HTTP calls to other systems with a hard overall deadline.

A socket timeout bounds each wait for bytes, not the call: a server trickling one byte every few seconds
would hold the outbox worker (and its lease) indefinitely. Here a watchdog shuts the connection's socket
when the deadline passes, whatever http.client is waiting for (connect, headers, body), so the call
ends, as a `CallFailed`, at most `deadline` seconds after it began.

`request` makes any call (GET, POST...) with the caller's headers and, for mutual TLS, the caller's
`ssl.SSLContext` (client certificate and key, the CA trusted for the server: `client_context`); `post`
and `get` are its short forms. The answer keeps the server's headers (lower-cased names).
"""

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

MAX_ANSWER_BYTES = 10 * 1024 * 1024


class CallFailed(Exception):
    """No complete answer: unreachable, cut off at the deadline, or too large."""


@dataclass(frozen=True)
class Answer:
    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)


def client_context(
    *, certificate: str = "", key: str = "", ca: str = "", key_password: str | None = None
) -> ssl.SSLContext:
    """A TLS context for mutual TLS: the client `certificate` and `key` (PEM files) presented to the
    server, and the server verified against `ca` (a PEM bundle; the system's roots when empty). A file
    missing or unreadable raises `ssl.SSLError`/`OSError` at once, not at the first call."""
    context = ssl.create_default_context(cafile=ca or None)
    if certificate:
        context.load_cert_chain(certificate, keyfile=key or None, password=key_password)
    return context


def post(
    url: str,
    body: bytes,
    *,
    headers: dict[str, str],
    deadline: float,
    context: ssl.SSLContext | None = None,
) -> Answer:
    """POST `body` to `url`; the whole call (connect, send, headers, body) takes at most `deadline` s."""
    return request("POST", url, body, headers=headers, deadline=deadline, context=context)


def get(
    url: str, *, headers: dict[str, str], deadline: float, context: ssl.SSLContext | None = None
) -> Answer:
    """GET `url` within `deadline` seconds."""
    return request("GET", url, None, headers=headers, deadline=deadline, context=context)


def request(
    method: str,
    url: str,
    body: bytes | None,
    *,
    headers: dict[str, str],
    deadline: float,
    context: ssl.SSLContext | None = None,
) -> Answer:
    """Any HTTP call to `url`, ended as a `CallFailed` at most `deadline` seconds after it began. `context`
    (https only): the TLS context, e.g. `client_context(...)` for mutual TLS."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "",
            parts.port,
            timeout=deadline,
            context=context or ssl.create_default_context(),
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=deadline)
    else:
        raise CallFailed(f"not an http(s) URL: {url!r}")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    started = time.monotonic()
    watchdog = threading.Timer(deadline, _cut, args=(connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise CallFailed(f"answer larger than {MAX_ANSWER_BYTES} bytes")
            chunks.append(chunk)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if time.monotonic() - started >= deadline:
            raise CallFailed(f"no complete answer within {deadline:g} s") from exc
        raise CallFailed(str(exc) or type(exc).__name__) from exc
    finally:
        watchdog.cancel()
        connection.close()
    return Answer(
        status=response.status,
        text=b"".join(chunks).decode("utf-8", "replace"),
        headers={name.lower(): value for name, value in response.getheaders()},
    )


def _cut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)

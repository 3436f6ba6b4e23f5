"""Request signing on the axis: HMAC-SHA256 over the method, the path (with its query), a timestamp, a
nonce and the body's SHA-256, with the secret the axis shares with the province. The receiver checks the
digest against the body, the timestamp within `MAX_SKEW` of its clock, the nonce never seen in that window
(a replay is refused), then the signature. The same scheme signs what the axis delivers to the province
(a ministry's callback), checked by `verify`.
"""

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache

MAX_SKEW = 300  # seconds
TIMESTAMP, NONCE, DIGEST, SIGNATURE, CLIENT = (
    "X-Axis-Timestamp",
    "X-Axis-Nonce",
    "X-Axis-Content-SHA256",
    "X-Axis-Signature",
    "X-Axis-Client",
)


def _canonical(method: str, path: str, timestamp: str, nonce: str, digest: str) -> bytes:
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode()


def _mac(secret: str, message: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def sign(
    method: str,
    path: str,
    body: bytes,
    *,
    secret: str,
    client: str = "",
    now: float | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The headers that sign this request."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = nonce or uuid.uuid4().hex
    digest = hashlib.sha256(body).hexdigest()
    headers = {
        TIMESTAMP: timestamp,
        NONCE: nonce,
        DIGEST: digest,
        SIGNATURE: _mac(secret, _canonical(method, path, timestamp, nonce, digest)),
    }
    if client:
        headers[CLIENT] = client
    return headers


@dataclass(frozen=True)
class Refused:
    reason: str


def verify(
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: str,
    now: float | None = None,
    scope: str = "axis",
) -> Refused | None:
    """None when the request is signed with `secret`, fresh and not seen before; else why not. The
    nonce is remembered (cache) for twice the allowed skew, under `scope`."""
    timestamp, nonce, digest, signature = (headers.get(h, "") for h in (TIMESTAMP, NONCE, DIGEST, SIGNATURE))
    if not (timestamp and nonce and digest and signature and secret):
        return Refused("chữ ký thiếu")
    if not hmac.compare_digest(digest, hashlib.sha256(body).hexdigest()):
        return Refused("nội dung không khớp chữ ký (đã bị sửa)")
    expected = _mac(secret, _canonical(method, path, timestamp, nonce, digest))
    if not hmac.compare_digest(expected, signature):
        return Refused("chữ ký không hợp lệ")
    try:
        stamped = int(timestamp)
    except ValueError:
        return Refused("thời điểm ký không hợp lệ")
    if abs((now if now is not None else time.time()) - stamped) > MAX_SKEW:
        return Refused("chữ ký đã quá hạn")
    if not cache.add(f"axis-nonce:{scope}:{nonce}", 1, timeout=2 * MAX_SKEW):
        return Refused("yêu cầu đã được gửi trước đó (phát lại)")
    return None

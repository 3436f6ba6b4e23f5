"""A stand-in for the data axes and the ministries' systems behind them, served by the project itself at
`/lien-thong/truc-sandbox/<axis>/...`, so that the real transport (tokens, mutual TLS aside, signatures,
deadlines, retries) is exercised over HTTP in tests and demos.

What it does, as an axis would: issues OAuth2 tokens by client credentials (`<axis>/token`); refuses a
call without a valid bearer token (401), with a signature that does not verify, a stale timestamp or a
nonce already used (403); answers a repeated `Idempotency-Key` with its first answer, without handing it
to the ministry again; routes the call by its path to the ministry's sandbox registered for the service
(`serves`). A ministry answers at once and queues what it will send back later (callbacks, e.g. the
judicial record): `deliver_callbacks()` posts them, signed as the axis signs, to the province; after
`MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY` seconds on its own (a thread), or when a test calls it.

Test controls (`control()`, or POST `dieu-khien` with the same fields as JSON): the next `fail` calls are
answered 503; the next `slow` calls are answered after `delay` seconds (longer than the caller's deadline:
a timeout); `twice` delivers every callback twice; `revoke_tokens()` makes every token issued so far
invalid (a 401, then a new token). Its state lives in the cache (shared by the threads of one process).

Enabled by MOTCUA_AXIS_SANDBOX (default: DEBUG); otherwise every endpoint is 404. Its client id, secret
and signing secret are MOTCUA_AXIS_SANDBOX_CLIENT_ID / _CLIENT_SECRET / _SIGNING_SECRET.
"""

import base64
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing as django_signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from motcua.interop import http
from motcua.interop.axis import signing
from motcua.interop.axis.registry import SERVICES

log = logging.getLogger("motcua.axis.sandbox")
SALT = "motcua.axis.sandbox.token"
TOKEN_SECONDS = 600
CONTROLS, CALLBACKS, RECEIVED, GENERATION, TOKENS = (
    "axis-sandbox:controls",
    "axis-sandbox:callbacks",
    "axis-sandbox:received",
    "axis-sandbox:generation",
    "axis-sandbox:tokens",
)
KEEP = 24 * 3600
UNICODE = {"ensure_ascii": False}
_lock = threading.Lock()


@dataclass
class Reply:
    """A ministry's answer to a call, and what it will send back later."""

    status: int
    body: dict[str, Any]
    callbacks: list[dict[str, Any]] = field(default_factory=list)  # {"url", "body"}


Ministry = Callable[[dict[str, Any], HttpRequest], Reply]
_ministries: dict[str, Ministry] = {}


def serves(service_code: str) -> Callable[[Ministry], Ministry]:
    """Register a ministry's sandbox for an axis service."""

    def register(func: Ministry) -> Ministry:
        _ministries[service_code] = func
        return func

    return register


# --- settings and state --------------------------------------------------------------------------------


def enabled() -> bool:
    return bool(getattr(settings, "MOTCUA_AXIS_SANDBOX", settings.DEBUG))


def client_id() -> str:
    return str(getattr(settings, "MOTCUA_AXIS_SANDBOX_CLIENT_ID", "motcua-sandbox"))


def client_secret() -> str:
    return str(getattr(settings, "MOTCUA_AXIS_SANDBOX_CLIENT_SECRET", "sandbox-secret"))


def signing_secret() -> str:
    return str(getattr(settings, "MOTCUA_AXIS_SANDBOX_SIGNING_SECRET", "sandbox-signing"))


def control(*, fail: int = 0, slow: int = 0, delay: float = 0.0, twice: bool = False) -> None:
    """Set the test controls (replacing the previous ones)."""
    cache.set(CONTROLS, {"fail": fail, "slow": slow, "delay": delay, "twice": twice}, KEEP)


def _controls() -> dict[str, Any]:
    return dict(cache.get(CONTROLS) or {"fail": 0, "slow": 0, "delay": 0.0, "twice": False})


def _take(name: str) -> bool:
    """Use one of the `name` control's count, if any is left."""
    with _lock:
        controls = _controls()
        if controls.get(name, 0) <= 0:
            return False
        controls[name] -= 1
        cache.set(CONTROLS, controls, KEEP)
        return True


def revoke_tokens() -> None:
    with _lock:
        cache.set(GENERATION, int(cache.get(GENERATION) or 0) + 1, KEEP)


def received() -> list[dict[str, Any]]:
    """The calls the sandbox handed to a ministry, oldest first: {"service", "key", "payload"}."""
    return list(cache.get(RECEIVED) or [])


def tokens_issued() -> int:
    return int(cache.get(TOKENS) or 0)


def pending_callbacks() -> list[dict[str, Any]]:
    return list(cache.get(CALLBACKS) or [])


def reset() -> None:
    cache.delete_many([CONTROLS, CALLBACKS, RECEIVED, GENERATION, TOKENS])


def _append(key: str, items: list[dict[str, Any]]) -> None:
    with _lock:
        cache.set(key, [*(cache.get(key) or []), *items], KEEP)


# --- the axis ------------------------------------------------------------------------------------------


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"statusCode": str(status), "message": message}, status=status, json_dumps_params=UNICODE
    )


@csrf_exempt
def token(request: HttpRequest, axis: str) -> HttpResponse:
    if not enabled():
        raise Http404
    if request.method != "POST":
        return _refuse(405, "Chỉ nhận POST.")
    header = request.headers.get("Authorization", "")
    given = ("", "")
    if header.startswith("Basic "):
        try:
            name, _sep, secret = base64.b64decode(header[6:]).decode().partition(":")
            given = (name, secret)
        except ValueError:
            pass
    else:
        given = (request.POST.get("client_id", ""), request.POST.get("client_secret", ""))
    if request.POST.get("grant_type") != "client_credentials":
        return JsonResponse({"error": "unsupported_grant_type"}, status=400)
    if given != (client_id(), client_secret()):
        return JsonResponse({"error": "invalid_client"}, status=401)
    with _lock:
        cache.set(TOKENS, int(cache.get(TOKENS) or 0) + 1, KEEP)
    value = django_signing.dumps({"c": given[0], "a": axis, "g": int(cache.get(GENERATION) or 0)}, salt=SALT)
    return JsonResponse({"access_token": value, "token_type": "Bearer", "expires_in": TOKEN_SECONDS})


def _token_valid(request: HttpRequest, axis: str) -> bool:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return False
    try:
        data = django_signing.loads(header[7:], salt=SALT, max_age=TOKEN_SECONDS)
    except django_signing.BadSignature:
        return False
    return bool(data.get("a") == axis and data.get("g") == int(cache.get(GENERATION) or 0))


@csrf_exempt
def gateway(request: HttpRequest, axis: str, path: str) -> HttpResponse:
    if not enabled():
        raise Http404
    service = next((s for s in SERVICES.values() if s.axis == axis and s.path == path), None)
    if service is None or service.code not in _ministries:
        raise Http404
    if request.method != service.method:
        return _refuse(405, f"Dịch vụ nhận {service.method}.")
    if not _token_valid(request, axis):
        return _refuse(401, "Token không hợp lệ hoặc đã hết hạn.")
    target = request.get_full_path()
    refused = signing.verify(
        request.method, target, request.body, request.headers, secret=signing_secret(), scope="sandbox"
    )
    if refused is not None:
        return _refuse(403, f"Chữ ký không hợp lệ: {refused.reason}.")
    if _take("fail"):
        return _refuse(503, "Hệ thống bộ/ngành tạm thời không phản hồi.")
    key = request.headers.get("Idempotency-Key", "")
    idem = f"axis-sandbox:idem:{service.code}:{key}"
    if key and not cache.add(idem, {"pending": True}, KEEP):
        remembered = cache.get(idem) or {"pending": True}
        if remembered.get("pending"):  # the first call with this key is still being handled
            return _refuse(409, "Yêu cầu cùng khóa đang được xử lý.")
        # a repeat: the first answer again, the ministry is not asked twice
        return JsonResponse(remembered["body"], status=remembered["status"], json_dumps_params=UNICODE)
    if _take("slow"):
        time.sleep(float(_controls().get("delay") or 0.0))
    payload = _payload(request, service.method)
    reply = _ministries[service.code](payload, request)
    if key:
        cache.set(idem, {"status": reply.status, "body": reply.body}, KEEP)
    _append(RECEIVED, [{"service": service.code, "key": key, "payload": payload}])
    if reply.callbacks:
        _append(CALLBACKS, reply.callbacks)
    response = JsonResponse(reply.body, status=reply.status, json_dumps_params=UNICODE)
    delay = getattr(settings, "MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY", 2.0)
    if reply.callbacks and delay is not None and delay >= 0:
        timer = threading.Timer(delay, deliver_callbacks)
        timer.daemon = True
        timer.start()
    return response


def _payload(request: HttpRequest, method: str) -> dict[str, Any]:
    if method == "GET":
        return {k: v for k, v in request.GET.items()}
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@csrf_exempt
def controls(request: HttpRequest) -> HttpResponse:
    """POST {"fail", "slow", "delay", "twice"} sets the controls; {"revoke_tokens": true} revokes the
    tokens; {"deliver": true} sends the queued callbacks now."""
    if not enabled():
        raise Http404
    if request.method != "POST":
        return JsonResponse({"controls": _controls(), "callbacks": len(pending_callbacks())})
    try:
        data = json.loads(request.body or b"{}")
        if data.get("revoke_tokens"):
            revoke_tokens()
        if data.get("deliver"):
            return JsonResponse({"delivered": deliver_callbacks()})
        control(
            fail=int(data.get("fail", 0)),
            slow=int(data.get("slow", 0)),
            delay=float(data.get("delay", 0.0)),
            twice=bool(data.get("twice", False)),
        )
    except (ValueError, TypeError, AttributeError):
        return _refuse(400, "Dữ liệu điều khiển không hợp lệ.")
    return JsonResponse({"controls": _controls()})


def deliver_callbacks() -> int:
    """Post the queued callbacks to the province, each signed as the axis signs (twice each under the
    `twice` control); returns how many posts were answered 2xx. A callback not answered 2xx stays queued."""
    with _lock:
        queued = list(cache.get(CALLBACKS) or [])
        cache.set(CALLBACKS, [], KEEP)
    twice = bool(_controls().get("twice"))
    left, answered = [], 0
    for callback in queued:
        ok = True
        for _time in range(2 if twice else 1):
            ok = _post_callback(callback) and ok
            answered += ok
        if not ok:
            left.append(callback)
    if left:
        _append(CALLBACKS, left)
    return answered


def _post_callback(callback: dict[str, Any]) -> bool:
    body = json.dumps(callback["body"], ensure_ascii=False, sort_keys=True).encode()
    url = str(callback["url"])
    path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
    headers = {"Content-Type": "application/json; charset=utf-8"} | signing.sign(
        "POST", path, body, secret=signing_secret(), client="axis-sandbox"
    )
    try:
        answer = http.post(url, body, headers=headers, deadline=10.0)
    except http.CallFailed:
        log.warning("axis sandbox: callback to %s not delivered", url, exc_info=True)
        return False
    return 200 <= answer.status < 300

"""A stand-in for Zalo's ZNS API inside the project (`/lien-thong/zalo-sandbox/`), so that the real HTTP
adapter (`zalo.ZnsZalo`) is exercised in tests and the demo without Zalo.

`POST message/template` checks what Zalo checks first (the phone as 84xxxxxxxxx, a template id and its
data) and answers as Zalo does (`{"error": 0, "message": "Success", "data":
{"msg_id": ...}}`), keeping each message it delivered. Its controls (`POST controls`, JSON
`{"fail": n, "timeout": n, "twice": n}`: how many of the next calls) make it fail (503, nothing delivered),
time out (hold the call past the adapter's deadline, nothing delivered), or answer twice (deliver, then
send its answer twice in the body). `GET` lists the controls and the messages delivered. Its state is
kept in the cache (shared by the server's threads, and by its processes with Redis).

Enabled by MOTCUA_ZALO_SANDBOX (default: DEBUG); otherwise every endpoint is 404.
"""

import re
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from motcua.interop.sandboxes import json_object

CONTROLS = "zalo-sandbox:controls"
MESSAGES = "zalo-sandbox:messages"
FAULTS = ("fail", "timeout", "twice")
PHONE = re.compile(r"^84\d{9}$")
KEEP = 60 * 60 * 24


def enabled() -> bool:
    return bool(getattr(settings, "MOTCUA_ZALO_SANDBOX", settings.DEBUG))


def _enabled() -> None:
    if not enabled():
        raise Http404


def controls() -> dict[str, int]:
    stored = cache.get(CONTROLS) or {}
    return {fault: int(stored.get(fault, 0)) for fault in FAULTS}


def delivered() -> list[dict[str, Any]]:
    return list(cache.get(MESSAGES) or [])


def _take_fault() -> str | None:
    """The next call's fault, if one is set (each set count applies to that many calls)."""
    current = controls()
    for fault in FAULTS:
        if current[fault] > 0:
            current[fault] -= 1
            cache.set(CONTROLS, current, KEEP)
            return fault
    return None


def _answer(error: int, message: str, status: int = 200, **data: Any) -> JsonResponse:
    body: dict[str, Any] = {"error": error, "message": message}
    if data:
        body["data"] = data
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def send_template(request: HttpRequest) -> HttpResponse:
    _enabled()
    # Zalo reads the OA's token from the `access_token` header; a WSGI server (Django's, as nginx by
    # default) drops header names with an underscore, so the sandbox cannot see it and does not check it.
    body = json_object(request)
    phone, template_id = str(body.get("phone", "")), str(body.get("template_id", ""))
    if not PHONE.match(phone):
        return _answer(-108, "Phone number is invalid")
    if not template_id or not isinstance(body.get("template_data"), dict):
        return _answer(-100, "Template id or template data is invalid")
    fault = _take_fault()
    if fault == "fail":
        return _answer(-1, "Service unavailable (sandbox)", status=503)
    if fault == "timeout":
        time.sleep(float(getattr(settings, "MOTCUA_ZALO_TIMEOUT", 10)) + 1)
        return _answer(-1, "Timed out (sandbox)", status=504)
    msg_id = secrets.token_hex(16)
    cache.set(
        MESSAGES,
        [
            *delivered(),
            {
                "msg_id": msg_id,
                "phone": phone,
                "template_id": template_id,
                "template_data": body["template_data"],
                "tracking_id": str(body.get("tracking_id", "")),
                "at": timezone.now().isoformat(),
            },
        ],
        KEEP,
    )
    sent_time = str(int(time.time() * 1000))
    answer = _answer(0, "Success", msg_id=msg_id, sent_time=sent_time, quota={"remainingQuota": "999"})
    if fault == "twice":
        answer.content = answer.content + b"\n" + answer.content
    return answer


@csrf_exempt
@require_POST
def set_controls(request: HttpRequest) -> JsonResponse:
    """JSON `{"fail": n, "timeout": n, "twice": n}`; `{"reset": true}` also forgets the messages."""
    _enabled()
    body = json_object(request)
    if body.get("reset"):
        cache.delete(MESSAGES)
    current = controls()
    for fault in FAULTS:
        value = body.get(fault)
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
            current[fault] = value
    cache.set(CONTROLS, current, KEEP)
    return JsonResponse({"controls": current})


@require_GET
def state(request: HttpRequest) -> JsonResponse:
    _enabled()
    return JsonResponse(
        {"controls": controls(), "messages": delivered()}, json_dumps_params={"ensure_ascii": False}
    )


app_name = "zalo_sandbox"
urlpatterns = [
    path("zalo-sandbox/", state, name="state"),
    path("zalo-sandbox/controls", set_controls, name="controls"),
    path("zalo-sandbox/message/template", send_template, name="send"),
]

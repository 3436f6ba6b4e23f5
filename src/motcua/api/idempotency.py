"""`Idempotency-Key`: a retried create request replays the first response instead of creating again.

Same key, same user, same body → the stored status and body. Same key with another body → 422. The key
row is written in the transaction that creates the dossier; two concurrent requests with one key both
try to insert it, the unique constraint stops the second, and it replays the first one's response.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core.errors import FieldError, ValidationFailed

from .auth import caller
from .errors import IdempotencyKeyReused
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 100


def key_of(request: Request) -> str:
    key = request.headers.get(HEADER)
    if key is None:
        raise ValidationFailed(
            _("Thiếu tiêu đề Idempotency-Key: gửi một chuỗi duy nhất (1–100 ký tự) cho mỗi yêu cầu tạo mới."),
            code="idempotency_key_required",
            fields={HEADER: FieldError("required", _("Bắt buộc."))},
        )
    key = key.strip()
    if not 1 <= len(key) <= MAX_LENGTH:
        raise ValidationFailed(
            _("Idempotency-Key phải dài từ 1 đến 100 ký tự."),
            code="idempotency_key_invalid",
            fields={HEADER: FieldError("invalid_length", _("Từ 1 đến 100 ký tự."))},
        )
    return key


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def run_once(*, request: Request, key: str, produce: Callable[[], tuple[int, Any]]) -> Response:
    """Replay the stored response for (user, key), or `produce` one and store it in the same transaction."""
    digest = fingerprint(request)
    stored = _stored(request, key)
    if stored is not None:
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            status, data = produce()
            body = json.loads(JSONRenderer().render(data))
            IdempotencyKey.objects.create(
                key=key, user=caller(request), fingerprint=digest, response_status=status, response_body=body
            )
    except IntegrityError:
        stored = _stored(request, key)
        if stored is None:
            raise
        return _replay(stored, digest)
    return Response(body, status=status)


def _stored(request: Request, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=caller(request), key=key).first()


def _replay(stored: IdempotencyKey, digest: str) -> Response:
    if stored.fingerprint != digest:
        raise IdempotencyKeyReused(
            _("Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới.")
        )
    return Response(
        stored.response_body, status=stored.response_status, headers={"Idempotent-Replayed": "true"}
    )

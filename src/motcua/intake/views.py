"""The portal's webhook (`POST /lien-thong/dvcqg/webhook`): the National Public Service Portal tells the
province a dossier was submitted, with the dossier itself or a notice naming it (`intake.inbound`).

The body is believed only when its `X-DVCQG-Signature` is its HMAC-SHA256 under
MOTCUA_DVCQG_WEBHOOK_SECRET (no secret configured: 404, the webhook does not exist). The delivery is
recorded (once per portal code) and answered at once, 202; fetching the files and creating the dossier run
in the outbox. A body that is not a dossier or a notice is answered 400 with the reason, nothing recorded.
"""

import json
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.core.errors import ValidationFailed
from motcua.intake import inbound
from motcua.intake.models import InboundDossier
from motcua.interop.dvcqg.inbound import SIGNATURE_HEADER, signature_valid, webhook_secret


def _answer(error_code: int, message: Any, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse(
        {"error_code": error_code, "message": str(message), **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt  # the portal calls it, authenticated by the signature of its body
@require_POST
def webhook(request: HttpRequest) -> JsonResponse:
    secret = webhook_secret()
    if not secret:
        raise Http404
    if not signature_valid(request.body, request.headers.get(SIGNATURE_HEADER, ""), secret):
        return _answer(401, _("Chữ ký không hợp lệ."), 401)
    try:
        body = json.loads(request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _answer(2, _("Nội dung không phải đối tượng JSON."), 400)
    dossier = body.get("HoSo")
    code = body.get("MaHoSo") or (dossier.get("MaHoSo") if isinstance(dossier, dict) else None)
    if dossier is not None and not isinstance(dossier, dict):
        return _answer(2, _("HoSo phải là đối tượng JSON."), 400)
    try:
        delivery = inbound.record_delivery(
            code=str(code or ""), via=InboundDossier.Via.WEBHOOK, payload=dossier
        )
    except ValidationFailed as error:
        return _answer(2, error.message, 400)
    return _answer(0, _("Đã nhận."), 202, MaHoSo=delivery.portal_code)

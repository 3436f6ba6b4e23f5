"""`/lien-thong/truc/nhan/<system>`: where the axis delivers what a ministry's system sends back (its
statuses, its result). The axis signs each delivery (`axis.signing`) with the secret it shares with the
province; an unsigned, tampered, stale or replayed delivery is refused (403) and logged, nothing applied."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.interop.axis import signing, transport
from motcua.interop.axis.registry import axis, service
from motcua.interop.ministries import services
from motcua.interop.ministries.connectors import connectors

UNICODE = {"ensure_ascii": False}


@csrf_exempt
@require_POST
def receive(request: HttpRequest, system: str) -> HttpResponse:
    found = connectors().get(system)
    if found is None:
        return JsonResponse({"statusCode": "01", "message": "Không có hệ thống này."}, status=404)
    axis_name = service(found.service).axis
    correlation_id = request.headers.get("X-Correlation-ID", "")
    refused = signing.verify(
        "POST",
        request.get_full_path(),
        request.body,
        request.headers,
        secret=axis(axis_name).signing_secret,
        scope=f"inbound:{axis_name}",
    )
    if refused is not None:
        transport.record_inbound(
            service_code=f"{system}.ket_qua",
            axis_name=axis_name,
            body=request.body.decode("utf-8", "replace"),
            message_id=request.headers.get(signing.NONCE, "")[:120],
            dossier_id=None,
            correlation_id=correlation_id,
            refused=refused.reason,
        )
        return JsonResponse(
            {"statusCode": "01", "message": refused.reason}, status=403, json_dumps_params=UNICODE
        )
    exchange, outcome = services.receive(
        system=system, body=request.body, axis_name=axis_name, correlation_id=correlation_id
    )
    if outcome not in ("received", "duplicate"):
        return JsonResponse({"statusCode": "01", "message": outcome}, status=400, json_dumps_params=UNICODE)
    message = "Đã nhận." if outcome == "received" else "Đã nhận trước đó."
    return JsonResponse(
        {"statusCode": "00", "message": message, "id": exchange.pk}, json_dumps_params=UNICODE
    )

"""The national portal's inbound side: dossiers submitted on the National Public Service Portal (DVCQG) that
the province must receive. One interface, `InboundPortal`, for both ways they arrive:

- pull: `list_new(cursor)` — `LayDanhSachHoSo` with the cursor the portal gave last time, answering the
  codes (`MaHoSo`) of the dossiers submitted since and the next cursor; `fetch(code)` — `LayChiTietHoSo`,
  the whole dossier with its files (base64 in `TaiLieuNop[].DuLieuTepDinhKem`); `acknowledge(...)` —
  `XacNhanHoSo`, telling the portal the dossier was received (with the province's own code) or refused
  (with the reason), after which the portal stops offering it;
- webhook: the portal POSTs a dossier or a notice naming one; its body is signed with HMAC-SHA256 under a
  shared secret (`X-DVCQG-Signature: sha256=<hex>`, checked with `signature_valid`); the receiver answers
  at once and the work goes through the outbox (`motcua.intake.inbound`).

Same session login, base URL, credentials and timeout as the outbound sync (`transport.HttpTransport`,
MOTCUA_DVCQG_URL / _USERNAME / _PASSWORD / _TIMEOUT); with no URL the pull is disabled (`DisabledPortal`
lists nothing). Every call is bounded by the deadline of `interop.http`; network and HTTP errors raise
`TransportError`, so that the outbox retries.

What this follows: the receiving side of a provincial one-stop system that takes dossiers from a national
system (HuanVu201/DichVuCong_KhoaLuan_PASETO,
`DichVuCongApi/src/Infrastructure/KetNoi/KhaiSinhKhaiTu/KhaiSinhKhaiTuService.cs` and its
`KhaiSinhKhaiTuSettings.cs`): a list call (`LayDanhSachHoSo`), a detail call per dossier whose attachments
come base64 with their names (`tenTepDinhKem`, `duLieuTepDinhKem`), a check that the dossier was not taken
in already (kept under the other system's code, `MaHoSoKhac`) before one is created with the province's own
code, and an acknowledgement that it was received (`CapNhatDaNhanHoSo`, `{maHoSo, daNhan}`). The field
names of the dossier are those of the outbound `DongBoHoSoMC` (docs/domain.md "Sync with DVCQG").
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from motcua.interop.dvcqg.transport import DEFAULT_TIMEOUT, TransportError, configured, post

LIST, DETAIL, ACKNOWLEDGE = "LayDanhSachHoSo", "LayChiTietHoSo", "XacNhanHoSo"
SIGNATURE_HEADER = "X-DVCQG-Signature"
RECEIVED, REFUSED = "1", "0"  # XacNhanHoSo.TrangThaiTiepNhan


@dataclass(frozen=True)
class Listing:
    codes: list[str]  # the portal's dossier codes, as listed (duplicates and any order possible)
    cursor: str  # where the next list call starts


class PortalRefused(TransportError):
    """The portal answered, with an error_code other than 0 (e.g. no such dossier)."""

    def __init__(self, message: str, *, error_code: int, text: str = "") -> None:
        super().__init__(message, text=text)
        self.error_code = error_code


class InboundPortal(Protocol):
    def list_new(self, cursor: str) -> Listing: ...

    def fetch(self, code: str) -> dict[str, Any]: ...

    def acknowledge(self, *, code: str, received: bool, local_code: str, reason: str, at: str) -> None: ...


class DisabledPortal:
    """No portal configured: nothing is listed; nothing can be fetched or acknowledged."""

    def list_new(self, cursor: str) -> Listing:
        return Listing(codes=[], cursor=cursor)

    def fetch(self, code: str) -> dict[str, Any]:
        raise TransportError("DVCQG inbound is not configured (MOTCUA_DVCQG_URL)")

    def acknowledge(self, *, code: str, received: bool, local_code: str, reason: str, at: str) -> None:
        raise TransportError("DVCQG inbound is not configured (MOTCUA_DVCQG_URL)")


class HttpPortal:
    """The portal over HTTP: `<base>login`, then `<base><service>` with `{"session": ..., ...}`."""

    def __init__(self, *, url: str, username: str, password: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError("MOTCUA_DVCQG_URL must be an http(s) URL")
        self.url = url if url.endswith("/") else url + "/"
        self.username, self.password, self.timeout = username, password, timeout
        self.session = ""

    def list_new(self, cursor: str) -> Listing:
        data = self._call(LIST, {"TuCursor": cursor})
        items = data.get("data")
        if not isinstance(items, list):
            raise TransportError(f"DVCQG {LIST}: no list in the answer", text=json.dumps(data)[:2000])
        codes = [str(item.get("MaHoSo", "")).strip() for item in items if isinstance(item, dict)]
        return Listing(codes=[code for code in codes if code], cursor=str(data.get("Cursor") or cursor))

    def fetch(self, code: str) -> dict[str, Any]:
        data = self._call(DETAIL, {"MaHoSo": code})
        dossier = data.get("data")
        if not isinstance(dossier, dict):
            raise TransportError(f"DVCQG {DETAIL}: no dossier in the answer", text=json.dumps(data)[:2000])
        return dossier

    def acknowledge(self, *, code: str, received: bool, local_code: str, reason: str, at: str) -> None:
        item = {
            "MaHoSo": code,
            "TrangThaiTiepNhan": RECEIVED if received else REFUSED,
            "MaHoSoTinh": local_code,
            "LyDo": reason,
            "ThoiDiem": at,
        }
        self._call(ACKNOWLEDGE, {"data": [item]})

    def _login(self) -> None:
        data = self._post("login", {"username": self.username, "password": self.password})
        session = data.get("session")
        if not session or data.get("error_code", 0) != 0:
            raise TransportError("DVCQG login refused", text=json.dumps(data)[:2000])
        self.session = str(session)

    def _call(self, service: str, body: dict[str, Any]) -> dict[str, Any]:
        if not self.session:
            self._login()
        try:
            data = self._post(service, {"session": self.session, "service": service, **body})
        except TransportError as exc:
            if exc.http_status != 401:
                raise
            self._login()  # the session expired: log in again once
            data = self._post(service, {"session": self.session, "service": service, **body})
        code = data.get("error_code")
        if code != 0:
            raise PortalRefused(
                f"DVCQG {service}: error_code {code}: {data.get('message', '')}",
                error_code=code if isinstance(code, int) else -1,
                text=json.dumps(data, ensure_ascii=False)[:2000],
            )
        return data

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        text = post(self.url, path, body, timeout=self.timeout)
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise TransportError(f"DVCQG {path}: unreadable answer", text=text[:2000])
        return data


def get_portal() -> InboundPortal:
    """The configured portal: HTTP when MOTCUA_DVCQG_URL is set, else the disabled one."""
    if not configured():
        return DisabledPortal()
    return HttpPortal(
        url=settings.MOTCUA_DVCQG_URL,
        username=getattr(settings, "MOTCUA_DVCQG_USERNAME", ""),
        password=getattr(settings, "MOTCUA_DVCQG_PASSWORD", ""),
        timeout=float(getattr(settings, "MOTCUA_DVCQG_TIMEOUT", DEFAULT_TIMEOUT)),
    )


def webhook_secret() -> str:
    """The secret shared with the portal for its webhook (MOTCUA_DVCQG_WEBHOOK_SECRET); "" = webhook off."""
    return str(getattr(settings, "MOTCUA_DVCQG_WEBHOOK_SECRET", ""))


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for `body`: `sha256=<hex HMAC-SHA256>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, signature: str, secret: str) -> bool:
    """Whether `signature` is `body`'s under `secret` (compared in constant time); never with no secret."""
    return bool(secret) and hmac.compare_digest(sign(body, secret), (signature or "").strip())

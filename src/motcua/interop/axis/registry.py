"""Which axis each service goes over, and how each axis is reached (configured from the environment).

An axis (`settings.MOTCUA_AXES["lgsp"|"ngsp"]`, from MOTCUA_LGSP_* / MOTCUA_NGSP_*): its base URL (empty:
the axis is not configured, nothing is sent), OAuth2 client credentials (token URL, client id, secret),
mutual TLS files (client certificate, key, CA), the HMAC secret requests are signed with, and the hard
deadline of a call. A service: its code, the axis it goes over, its path under the axis's base URL.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

LGSP, NGSP = "lgsp", "ngsp"
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Axis:
    name: str
    url: str  # base URL, ending with "/"; empty: not configured
    token_url: str = ""  # empty: <url>token
    client_id: str = ""
    client_secret: str = ""
    client_cert: str = ""  # PEM files for mutual TLS
    client_key: str = ""
    ca: str = ""
    signing_secret: str = ""
    timeout: float = DEFAULT_TIMEOUT

    @property
    def configured(self) -> bool:
        return bool(self.url)

    @property
    def uses_oauth2(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @property
    def uses_mtls(self) -> bool:
        return bool(self.client_cert)

    @property
    def token_endpoint(self) -> str:
        return self.token_url or f"{self.url}token"


@dataclass(frozen=True)
class Service:
    code: str
    axis: str
    path: str
    label: str
    timeout: float | None = None  # None: the axis's
    method: str = "POST"


# Services of the ministries' systems (interop.ministries), each over the axis that reaches it.
SERVICES: dict[str, Service] = {
    s.code: s
    for s in (
        Service("lltp.tiep_nhan", LGSP, "btp/lltp/tiepNhanHoSo", "Bộ Tư pháp – LLTP: gửi hồ sơ"),
        Service("dkkd.tiep_nhan", NGSP, "bkhdt/dkkd/nhanHoSo", "Cổng ĐKKD quốc gia: gửi hồ sơ"),
        Service("gplx.tiep_nhan", NGSP, "bca/gplx/nhanHoSo", "Quản lý GPLX: gửi hồ sơ"),
    )
}


def axis(name: str) -> Axis:
    raw: dict[str, Any] = dict(getattr(settings, "MOTCUA_AXES", {}).get(name) or {})
    url = str(raw.pop("url", "") or "")
    if url and not url.endswith("/"):
        url += "/"
    timeout = float(raw.pop("timeout", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)
    return Axis(name=name, url=url, timeout=timeout, **{k: str(v or "") for k, v in raw.items()})


def service(code: str) -> Service:
    try:
        return SERVICES[code]
    except KeyError:
        raise LookupError(f"unknown axis service {code!r}") from None


def deadline(svc: Service) -> float:
    return svc.timeout if svc.timeout is not None else axis(svc.axis).timeout

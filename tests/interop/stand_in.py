"""A stand-in for the national portal's transport in tests of the DVCQG sync (no HTTP)."""

import json

from motcua.interop.dvcqg import services as sync_services
from motcua.interop.dvcqg.transport import Response

DONG_BO, CAP_NHAT = "DongBoHoSoMC", "CapNhatTienDoHoSoMC"
URL = "https://dvcqg.example.vn/api/"


class Portal:
    """A stand-in transport: keeps every call; `refuse` lists the services it answers error_code 2."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.refuse: set[str] = set()

    def login(self) -> None:
        return None

    def send(self, service: str, payload: dict) -> Response:
        self.calls.append((service, payload))
        code = 2 if service in self.refuse else 0
        return Response(delivered=True, error_code=code, text=json.dumps({"error_code": code}))

    def of(self, code: str) -> list[tuple[str, str]]:
        """(service, status) of the calls for the dossier `code`, in order."""
        return [
            (service, p.get("TrangThaiHoSo") or p.get("TrangThai"))
            for service, p in self.calls
            if p["MaHoSo"] == code
        ]


def connect(settings, monkeypatch) -> Portal:
    """Configure sync and route its calls to a new stand-in."""
    settings.MOTCUA_DVCQG_URL = URL
    stand_in = Portal()
    monkeypatch.setattr(sync_services, "get_transport", lambda: stand_in)
    return stand_in

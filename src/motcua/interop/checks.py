"""The national portal's and Zalo's sandboxes must not run in production unnoticed (the axes' own check is
`interop.axis.checks`): a system check (`motcua check --deploy`, `migrate`, `runserver`) whenever one is on
with DEBUG off. The DVCQG sandbox accepts any login and lets anyone file a dossier "on the portal" for the
pull; Zalo's answers every message as sent."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

SANDBOXES = (
    (
        "MOTCUA_DVCQG_SANDBOX",
        "interop.W003",
        "The national portal's SANDBOX is ON with DEBUG off (MOTCUA_DVCQG_SANDBOX): a fake portal answers at "
        "/lien-thong/dvcqg-sandbox/, takes any login and lets anyone file dossiers for the inbound pull.",
        "Unset MOTCUA_DVCQG_SANDBOX and set MOTCUA_DVCQG_URL to the national portal.",
    ),
    (
        "MOTCUA_ZALO_SANDBOX",
        "interop.W004",
        "Zalo's SANDBOX is ON with DEBUG off (MOTCUA_ZALO_SANDBOX): a fake ZNS API answers at "
        "/lien-thong/zalo-sandbox/.",
        "Unset MOTCUA_ZALO_SANDBOX and point MOTCUA_ZALO_URL at Zalo's ZNS API.",
    ),
)


@checks.register(checks.Tags.security)
def check_sandboxes(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.DEBUG:
        return []
    return [
        checks.Warning(message, hint=hint, id=check_id)
        for setting, check_id, message, hint in SANDBOXES
        if getattr(settings, setting, False)
    ]

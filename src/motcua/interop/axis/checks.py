"""The axes' sandbox must not run in production unnoticed: a system check (`motcua check --deploy`,
`migrate`, `runserver`) whenever it is on with DEBUG off, and a warning when an axis is configured with
OAuth2 or mutual TLS but without the secret its requests are signed with."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from motcua.interop.axis import sandbox
from motcua.interop.axis.registry import LGSP, NGSP, axis


@checks.register(checks.Tags.security)
def check_axes(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if sandbox.enabled() and not settings.DEBUG:
        found.append(
            checks.Warning(
                "The data axes' SANDBOX is ON with DEBUG off (MOTCUA_AXIS_SANDBOX): its fake ministries "
                "answer at /lien-thong/truc-sandbox/ and sign their callbacks with a known secret.",
                hint="Unset MOTCUA_AXIS_SANDBOX and set MOTCUA_LGSP_URL / MOTCUA_NGSP_URL to the real axes.",
                id="interop.W001",
            )
        )
    for name in (LGSP, NGSP):
        configured = axis(name)
        if configured.configured and not configured.signing_secret:
            found.append(
                checks.Warning(
                    f"The {name.upper()} axis has a URL but no signing secret: its requests cannot be signed "
                    "nor its deliveries checked.",
                    hint=f"Set MOTCUA_{name.upper()}_SIGNING_SECRET.",
                    id="interop.W002",
                )
            )
    return found

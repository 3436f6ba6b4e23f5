"""The payment sandbox must not run in production unnoticed: a system check (shown by `motcua check
--deploy`, `migrate`, `runserver`) and a start-up log line, whenever it is on with DEBUG off."""

import logging
from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from motcua.payments.gateways import sandbox_enabled

log = logging.getLogger(__name__)

SANDBOX_IN_PRODUCTION = (
    "The payment SANDBOX is ON with DEBUG off (MOTCUA_PAYMENT_SANDBOX): anyone can open "
    "/thanh-toan/sandbox/<ref>/ and mark a payment paid, the server signing the callback itself."
)


def sandbox_in_production() -> bool:
    return sandbox_enabled() and not settings.DEBUG


@checks.register(checks.Tags.security)
def check_payment_sandbox(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not sandbox_in_production():
        return []
    return [
        checks.Warning(
            SANDBOX_IN_PRODUCTION,
            hint="Unset MOTCUA_PAYMENT_SANDBOX (or set it to 0) and configure a real payment gateway.",
            id="payments.W001",
        )
    ]


def warn_if_sandbox_in_production() -> bool:
    """Log a loud warning at start-up when the sandbox is on with DEBUG off; True when it did."""
    if not sandbox_in_production():
        return False
    log.warning(
        "\n%s\nSECURITY: %s\nSwitch it off in production.\n%s", "!" * 78, SANDBOX_IN_PRODUCTION, "!" * 78
    )
    return True

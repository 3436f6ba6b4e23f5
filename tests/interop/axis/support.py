"""Helpers of the axis and ministries tests: the sandbox axes served by `live_server`."""

import time
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from motcua.interop.axis import auth, sandbox
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage

CLIENT_ID, CLIENT_SECRET, SIGNING_SECRET = "motcua-h40", "client-secret-h40", "signing-secret-h40"


def connect(settings, live_url: str, *, timeout: float = 5.0) -> None:
    """Point both axes at the sandbox served by the live server (callbacks delivered by the test)."""
    settings.MOTCUA_AXIS_SANDBOX = True
    settings.MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY = None
    settings.MOTCUA_AXIS_SANDBOX_CLIENT_ID = CLIENT_ID
    settings.MOTCUA_AXIS_SANDBOX_CLIENT_SECRET = CLIENT_SECRET
    settings.MOTCUA_AXIS_SANDBOX_SIGNING_SECRET = SIGNING_SECRET
    settings.MOTCUA_AXES = {
        name: {
            "url": f"{live_url}/lien-thong/truc-sandbox/{name}/",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "signing_secret": SIGNING_SECRET,
            "timeout": timeout,
        }
        for name in ("lgsp", "ngsp")
    }
    sandbox.reset()
    auth.forget_all()


def retry_now() -> int:
    """The outbox's back-off elapsed: offer the waiting messages now and dispatch them."""
    OutboxMessage.objects.filter(dispatched_at__isnull=True).update(
        available_at=timezone.now() - timedelta(seconds=1)
    )
    return outbox.dispatch_pending()


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    """Wait until `check()` holds (what another thread of the live server is still doing)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True

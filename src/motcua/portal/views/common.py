"""What the portal's pages share: the citizen-only guard (refused acts are shown by `core.forms`)."""

from collections.abc import Callable

from django.http import HttpResponse

from motcua.core.decorators import role_required
from motcua.core.roles import Role

LOGIN_URL = "portal:login"


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in through the portal, as a citizen or business: officers get the portal's 403 page."""
    return role_required({Role.CITIZEN}, forbidden_template="portal/403.html", login_url=LOGIN_URL)(view)

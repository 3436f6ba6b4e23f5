"""What the portal's pages share: the citizen-only guard and the account it lets through (refused acts are
shown by `core.forms`)."""

from django.http import HttpRequest

from motcua.core.decorators import View, role_required
from motcua.core.models import User
from motcua.core.roles import Role

LOGIN_URL = "portal:login"


def citizen_required(view: View) -> View:
    """Signed in through the portal, as a citizen or business: officers get the portal's 403 page."""
    return role_required({Role.CITIZEN}, forbidden_template="portal/403.html", login_url=LOGIN_URL)(view)


def citizen(request: HttpRequest) -> User:
    """The signed-in account of a page behind `citizen_required` (which lets only citizens through)."""
    user = request.user
    assert isinstance(user, User)
    return user

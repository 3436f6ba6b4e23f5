"""Who signs in how: the login lockout, the officers' second factor and their working-day sessions.

- Every login (portal, back office, admin, API token) goes through `django.contrib.auth.authenticate`
  with the request, so django-axes counts its failures per user name *and* client address
  (`core.ratelimit.client_ip`): a stranger elsewhere cannot lock a citizen out. After too many failures
  the name is locked at that address for AXES_COOLOFF_TIME, even with the right password; each login
  form shows `lockout_message()` and Axes answers 429.
- Officers, center administrators, system accounts and staff need a second factor (TOTP, django-otp):
  until their session is verified, `SecondFactorMiddleware` treats them as anonymous everywhere but the
  second-factor pages, so no guard anywhere can forget to ask.
- An officer's session ends after a working day (MOTCUA_OFFICER_SESSION_HOURS), set at login.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from axes.backends import AxesStandaloneBackend
from axes.middleware import AxesMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, lazy
from django.utils.translation import gettext as _

from motcua.core.roles import Role

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from motcua.core.models import User


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME / timedelta(minutes=1))


def _lockout_text() -> str:
    return _(
        "Bạn đã đăng nhập sai quá %(failures)d lần. Vì an toàn, vui lòng thử lại sau %(minutes)d phút."
    ) % {"failures": settings.AXES_FAILURE_LIMIT - 1, "minutes": lockout_minutes()}


_lazy_lockout_text = lazy(_lockout_text, str)


def lockout_message() -> "StrPromise":
    """Lazy: the message is translated when shown (the API gives it in Vietnamese and English)."""
    return cast("StrPromise", _lazy_lockout_text())  # lazy() returns a lazy string, not what the stubs say


def is_locked_out(request: HttpRequest | None) -> bool:
    """Whether Axes refused (or just locked) the login attempt made with this request."""
    return bool(getattr(request, "axes_locked_out", False))


class LoginLockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Axes' lockout check, for logins made with a request; scripts and tests calling
    `authenticate()` without one are not web logins and are not counted (Axes would raise)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, **kwargs)  # raises when locked out, else None
        return None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login pages already show `lockout_message()`; Axes only sets 429."""
    if original_response is None:
        return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    original_response.status_code = 429
    return original_response


# --- the second factor -----------------------------------------------------------------------------


def needs_second_factor(user: Any) -> bool:
    """Everyone but citizens and businesses, once signed in (MOTCUA_OFFICER_OTP=0 turns it off)."""
    if not settings.MOTCUA_OFFICER_OTP or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user.role != Role.CITIZEN)


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_pending(user: Any) -> bool:
    return needs_second_factor(user) and not is_verified(user)


def second_factor_paths() -> tuple[str, ...]:
    """The pages a password-only session may see: the two second-factor steps and logging out."""
    return tuple(
        reverse(name)
        for name in ("backoffice:second_factor", "backoffice:second_factor_enrol", "backoffice:logout")
    )


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session that still owes its second factor is anonymous
    except on `second_factor_paths()`; the real user stays at `request.pending_user`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        request.pending_user = None  # type: ignore[attr-defined]

        def effective() -> Any:
            if second_factor_pending(user) and request.path not in second_factor_paths():
                request.pending_user = user  # type: ignore[attr-defined]
                return AnonymousUser()
            return user

        # As Django's AuthenticationMiddleware: the lazy object stands for the user it evaluates to.
        request.user = cast("User | AnonymousUser", SimpleLazyObject(effective))
        return self.get_response(request)


def pending_user(request: HttpRequest) -> Any:
    """The officer who gave their password but not yet their second factor, or None."""
    bool(request.user)  # evaluate the lazy user, which records the pending one
    return getattr(request, "pending_user", None)


def start_session(request: HttpRequest, user: Any) -> None:
    """At login: officers' and staff's sessions end after a working day; citizens keep the default."""
    if user.is_staff or user.is_superuser or user.role != Role.CITIZEN:
        request.session.set_expiry(int(settings.MOTCUA_OFFICER_SESSION_HOURS * 3600))


# --- django-axes under ASGI --------------------------------------------------------------------------


class LoginLockoutMiddleware(AxesMiddleware):  # type: ignore[misc]
    """AxesMiddleware run synchronously also under ASGI: its async path (django-axes 8.3) calls the lockout
    callable with the credentials in place of the view's response, so a locked-out login answered 500
    instead of the login page with its message and 429 (seen through the production shape)."""

    async_capable = False

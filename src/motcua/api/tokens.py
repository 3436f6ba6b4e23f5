"""API tokens: issued after a login (with the second factor for officers), expiring, revocable.

A token is `Authorization: Token <key>`; the key is random, shown once, stored as its SHA-256.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device

from motcua.core.auth import is_locked_out, lockout_message, needs_second_factor
from motcua.core.errors import DomainError, FieldError, PermissionDenied, ValidationFailed
from motcua.core.models import User

from .models import ApiToken


class LoginLocked(DomainError):
    code = "login_locked"
    http_status = 429


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    http_status = 401


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(*, user: User) -> tuple[ApiToken, str]:
    """A new token of `user` for MOTCUA_API_TOKEN_HOURS; returns it and its key (shown once)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(hours=settings.MOTCUA_API_TOKEN_HOURS),
    )
    return token, key


def obtain(*, request: HttpRequest, username: str, password: str, otp: str = "") -> tuple[ApiToken, str]:
    """Log in for the API: the password (counted by the login lockout), then for officers the TOTP code."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        if is_locked_out(request):
            raise LoginLocked(lockout_message())
        raise InvalidCredentials(_("Tên đăng nhập hoặc mật khẩu không đúng."))
    if needs_second_factor(user):
        if not user_has_device(user):
            raise PermissionDenied(
                _("Tài khoản cán bộ cần đăng ký xác thực hai yếu tố tại trang cán bộ trước khi lấy mã API."),
                code="second_factor_not_enrolled",
            )
        if not otp.strip():
            raise ValidationFailed(
                _("Tài khoản cán bộ cần mã xác thực (OTP) từ ứng dụng xác thực."),
                fields={"otp": FieldError("required", _("Bắt buộc với tài khoản cán bộ."))},
            )
        if match_token(user, otp.strip()) is None:
            raise InvalidCredentials(_("Mã xác thực (OTP) không đúng hoặc đã hết hạn."), code="invalid_otp")
    return issue(user=user)


def authenticate_key(key: str) -> tuple[User, ApiToken] | None:
    """The user and token of a valid key (not expired, not revoked, user active), else None."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=digest(key), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


@transaction.atomic
def revoke(*, token: ApiToken, acting_user: Any) -> ApiToken:
    """Revoke the token (its owner, or staff in the admin); revoking twice changes nothing."""
    if acting_user.pk != token.user_id and not acting_user.is_staff:
        raise PermissionDenied(_("Bạn không có quyền thu hồi mã truy cập này."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token

"""`Authorization: Token <key>` with the expiring, revocable tokens of `api.tokens`."""

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from motcua.core.models import User

from . import tokens


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        found = tokens.authenticate_key(key)
        if found is None:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        return found


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "motcua.api.auth.ExpiringTokenAuthentication"
    name = "tokenAuth"
    priority = 1  # before drf-spectacular's own extension for TokenAuthentication and its subclasses

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Mã từ POST /api/v1/auth/token, gửi dạng "Token <mã>".',
        }


def caller(request: Request) -> User:
    """The signed-in caller of an endpoint behind IsAuthenticated (so never the anonymous user)."""
    return cast(User, request.user)

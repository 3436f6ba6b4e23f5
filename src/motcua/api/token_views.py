"""POST /api/v1/auth/token: log in for the API; DELETE: revoke the token the request carries."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core.errors import ValidationFailed

from . import tokens
from .auth import ExpiringTokenAuthentication
from .models import ApiToken
from .serializers import ErrorSerializer


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(min_length=1, max_length=150)
    password = serializers.CharField(min_length=1, max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        help_text="Mã 6 số của ứng dụng xác thực: bắt buộc với tài khoản cán bộ.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text='Gửi kèm mỗi yêu cầu: "Authorization: Token <token>".')
    token_type = serializers.CharField()
    expires_at = serializers.DateTimeField()


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: OpenApiResponse(ErrorSerializer) for code in codes}


class TokenView(APIView):
    authentication_classes = [ExpiringTokenAuthentication]

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        operation_id="obtain_token",
        tags=["auth"],
        auth=[],
        request=TokenRequestSerializer,
        responses={201: TokenSerializer, **_errors(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, key = tokens.obtain(
            request=request._request,  # the HttpRequest: django-axes counts failures on it
            username=data.validated_data["username"],
            password=data.validated_data["password"],
            otp=data.validated_data.get("otp", ""),
        )
        body = {"token": key, "token_type": "Token", "expires_at": token.expires_at}
        return Response(TokenSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(operation_id="revoke_token", tags=["auth"], responses={204: None, **_errors(400, 401)})
    def delete(self, request: Request) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationFailed(_("Yêu cầu này không gửi kèm mã truy cập nào để thu hồi."))
        tokens.revoke(token=request.auth, acting_user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

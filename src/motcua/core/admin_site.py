"""The admin site: staff sign in with their password and the code of their authenticator app.

django-otp's OTPAdminSite treats a session without a verified device as not staff; its login form asks
for the code. The site keeps the usual name "admin", so `admin:` URLs stay as they are. Staff enrol their
authenticator at the back office's second-factor page (`/can-bo/xac-thuc-hai-buoc/dang-ky/`) after a
password login. With MOTCUA_OFFICER_OTP off (development, most tests) it is Django's plain admin login.
"""

from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.admin import OTPAdminSite as BaseOTPAdminSite
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.auth import is_locked_out, lockout_message, start_session


class LockoutMessageMixin(AdminAuthenticationForm):
    """Comes first in the bases: OTPAdminAuthenticationForm is an AdminAuthenticationForm too."""

    def get_invalid_login_error(self) -> ValidationError:
        if is_locked_out(self.request):
            return ValidationError(lockout_message(), code="blocked")
        return super().get_invalid_login_error()


class AdminPasswordLoginForm(LockoutMessageMixin):
    pass


class AdminLoginForm(LockoutMessageMixin, OTPAdminAuthenticationForm):  # type: ignore[misc]
    """Password and code in one step: staff have one authenticator app, so it is the device to check
    unless the form names another (django-otp would first ask which device)."""

    def _chosen_device(self, user: AbstractBaseUser) -> Device | None:
        device = super()._chosen_device(user)
        if device is None:
            device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        return device


class OTPAdminSite(BaseOTPAdminSite):  # type: ignore[misc]
    site_header = _("Quản trị hệ thống một cửa")
    site_title = _("Quản trị một cửa")
    index_title = _("Cấu hình và tra cứu")

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)

    @property
    def login_form(self) -> type[AdminAuthenticationForm]:
        return AdminLoginForm if settings.MOTCUA_OFFICER_OTP else AdminPasswordLoginForm

    @property
    def login_template(self) -> str | None:
        return BaseOTPAdminSite.login_template if settings.MOTCUA_OFFICER_OTP else None

    def has_permission(self, request: HttpRequest) -> bool:
        if not settings.MOTCUA_OFFICER_OTP:
            return AdminSite.has_permission(self, request)
        allowed: bool = super().has_permission(request)
        return allowed

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response: HttpResponse = super().login(request, extra_context)
        if request.method == "POST" and request.user.is_authenticated:
            start_session(request, request.user)
        return response

"""Signing in and out of the back office: the password, then the code of the officer's authenticator app.

A first login leads to the enrolment page (a QR code to scan, then one code to confirm it); later logins to
the verification page. Until then the session is anonymous everywhere else (`core.auth`). Failed
passwords are counted per user name and client address (django-axes).
"""

import base64
from typing import Any

import segno
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.core.auth import (
    is_locked_out,
    lockout_message,
    needs_second_factor,
    pending_user,
    second_factor_pending,
    start_session,
)


class OfficerAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")

    def get_invalid_login_error(self) -> ValidationError:
        if is_locked_out(self.request):
            return ValidationError(lockout_message(), code="blocked")
        return super().get_invalid_login_error()


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("backoffice:work_lists")


def _second_factor_url(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class LoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = OfficerAuthenticationForm
    redirect_authenticated_user = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if pending_user(request) is not None:  # password given already: on to the second factor
            return redirect(_second_factor_url("backoffice:second_factor", _next(request)))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        start_session(self.request, user)
        if needs_second_factor(user):
            return redirect(_second_factor_url("backoffice:second_factor", self.get_success_url()))
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if any(e.code == "blocked" for e in form.non_field_errors().as_data()):
            response.status_code = 429
        return response


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view(next_page="backoffice:login")


# --- the second factor -----------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Mã xác thực (6 chữ số trong ứng dụng xác thực)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _check_code(form: CodeForm, device: TOTPDevice) -> bool:
    """Whether the form's code is the device's; a refusal (wrong code, too many tries) goes on the form."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Nhập sai quá nhiều lần. Vui lòng đợi một lúc rồi thử lại."))
        return False
    if not device.verify_token(form.cleaned_data["code"].strip()):
        form.add_error("code", _("Mã xác thực không đúng hoặc đã hết hạn."))
        return False
    return True


def _finish(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    start_session(request, request.user)
    return redirect(_next(request))


def _guard(request: HttpRequest) -> HttpResponse | None:
    """Where to go instead when this session has no second factor to give."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('backoffice:login')}?{urlencode({'next': _next(request)})}")
    if not second_factor_pending(request.user):
        return redirect(_next(request))
    return None


def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: the code of the officer's authenticator app."""
    elsewhere = _guard(request)
    if elsewhere is not None:
        return elsewhere
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect(_second_factor_url("backoffice:second_factor_enrol", _next(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        return _finish(request, device)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "backoffice/second_factor.html", {"form": form, "next": _next(request)}, status=status
    )


def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First login: scan the QR code with an authenticator app, then type one code to confirm it."""
    elsewhere = _guard(request)
    if elsewhere is not None:
        return elsewhere
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(_second_factor_url("backoffice:second_factor", _next(request)))
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=str(_("Ứng dụng xác thực")), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _finish(request, device)
    context = {
        "form": form,
        "next": _next(request),
        "qr": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("Mã QR"))),
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/second_factor_enrol.html", context, status=status)

"""Signing in and out of the back office (Django's auth views with the back office's templates)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class OfficerAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")


login = auth_views.LoginView.as_view(
    template_name="backoffice/login.html",
    authentication_form=OfficerAuthenticationForm,
    redirect_authenticated_user=False,
)
logout = auth_views.LogoutView.as_view(next_page="backoffice:login")

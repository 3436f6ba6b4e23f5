"""Registering, signing in and out of the portal (`/tai-khoan/…`)."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.portal import accounts
from motcua.portal.forms import PortalLoginForm, RegisterForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "portal:my_dossiers"


VERIFIED = gettext_lazy("Danh tính của bạn đã được xác thực với Cơ sở dữ liệu quốc gia về dân cư.")
NOT_VERIFIED = gettext_lazy(
    "Tài khoản chưa được xác thực danh tính: giấy tờ trong kho dữ liệu điện tử và kết quả điện tử chỉ dùng "
    "được sau khi xác thực (mục “Xác thực danh tính”)."
)


def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = accounts.register(
                    kind=data["kind"],
                    id_number=data["id_number"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password"],
                    birth_date=data["birth_date"],
                    organisation_name=data["organisation_name"],
                )
            except accounts.RecoveryNeeded:
                return redirect("portal:recover")
            except DomainError as error:
                add_domain_error(form, error)
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Đăng ký tài khoản thành công."))
                if user.identity_verified_at is not None:
                    messages.success(request, VERIFIED)
                elif user.citizen_id:
                    messages.info(request, NOT_VERIFIED)
                return redirect(_next(request))
        status = 400
    return render(request, "portal/register.html", {"form": form, "next": _next(request)}, status=status)


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PortalLoginForm

    def get_default_redirect_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:my_dossiers")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        blocked = any(e.code == "blocked" for e in form.non_field_errors().as_data())
        response.status_code = 429 if blocked else 400
        return response


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view(next_page="portal:login")

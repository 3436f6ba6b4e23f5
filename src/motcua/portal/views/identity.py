"""Identity of portal accounts (`/tai-khoan/…`): the recovery page, verifying the signed-in account
(population database, VNeID), signing in with VNeID, and the sandbox VNeID's own page (core.identity)."""

import hmac
import secrets

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import identity
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.documents import services as documents
from motcua.portal import accounts
from motcua.portal.forms import PopulationVerifyForm, VneidSandboxForm
from motcua.portal.views.common import citizen, citizen_required

SESSION_KEY = "portal-vneid-state"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def recover(request: HttpRequest) -> HttpResponse:
    """Where a registration with a number already held goes: the same page whoever holds it."""
    return render(request, "portal/recover.html")


@citizen_required
def verify(request: HttpRequest) -> HttpResponse:
    user = citizen(request)
    form = PopulationVerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                documents.verify_identity_with_population_db(
                    user=user, birth_date=form.cleaned_data["birth_date"]
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Danh tính của bạn đã được xác thực."))
                return redirect("portal:verify_identity")
        status = 400
    context = {"form": form, "verified": identity.is_verified(user), "account": user}
    return render(request, "portal/verify_identity.html", context, status=status)


def _signed_in_citizen(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.role == Role.CITIZEN else None


@require_POST
def vneid_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to VNeID; it comes back to `vneid_callback` with the state kept in the session."""
    try:
        adapter = identity.provider()
    except LookupError:
        raise Http404 from None
    state = secrets.token_urlsafe(24)
    request.session[SESSION_KEY] = state
    return redirect(adapter.start(state=state))


@require_http_methods(["GET", "POST"])
def vneid_sandbox(request: HttpRequest) -> HttpResponse:
    """The sandbox provider's own page (404 unless the sandbox is on): the person says who they are."""
    if not identity.sandbox_enabled():
        raise Http404
    state = (request.POST.get("state") or request.GET.get("state") or "")[:100]
    form = VneidSandboxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "state": state,
            "id": data["citizen_id"],
            "name": " ".join(data["full_name"].split()),
            "dob": data["birth_date"].isoformat(),
            "level": str(data["level"]),
            "txn": f"VNEID-SBX{secrets.token_hex(5).upper()}",
        }
        return redirect(identity.SandboxVneid().callback_url(fields))
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/vneid_sandbox.html", {"form": form, "state": state}, status=status)


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "portal/vneid_error.html", {"message": message}, status=status)


def vneid_callback(request: HttpRequest, provider: str) -> HttpResponse:
    """VNeID's answer: verify the signed-in account, or sign the person in (their verified account)."""
    try:
        adapter = identity.provider(provider)
    except LookupError:
        raise Http404 from None
    data = request.GET.dict()
    expected = request.session.pop(SESSION_KEY, "")
    try:
        person = adapter.verify_callback(data)
    except identity.BadAssertion:
        return _refused(
            request, _("Phản hồi của VNeID không hợp lệ (sai chữ ký); không có gì được ghi nhận.")
        )
    if not expected or not hmac.compare_digest(expected.encode(), data.get("state", "").encode()):
        return _refused(request, _("Phiên đăng nhập VNeID không hợp lệ hoặc đã hết hạn. Vui lòng thử lại."))
    try:
        if (citizen_user := _signed_in_citizen(request)) is not None:
            accounts.verify_with_vneid(user=citizen_user, person=person)
            messages.success(request, _("Danh tính của bạn đã được xác thực qua VNeID."))
            return redirect("portal:verify_identity")
        user = accounts.sign_in_with_vneid(person=person)
    except DomainError as error:
        return _refused(request, str(error.message), status=error.http_status)
    auth_login(request, user, backend=BACKEND)
    messages.success(request, _("Đăng nhập bằng VNeID thành công."))
    return redirect("portal:my_dossiers")

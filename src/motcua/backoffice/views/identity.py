"""Counter verification of a citizen account's identity (`/can-bo/xac-thuc-danh-tinh/`): the officer looks
the account up by the ID number, checks the holder's ID card, types the number printed on it and confirms.
The act (officer, time, method) is recorded on the account and in its history (core.identity)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.backoffice.views.common import nav_context, officer
from motcua.core import identity
from motcua.core.decorators import counter_required
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User


class CounterVerificationForm(forms.Form):
    card_number = forms.CharField(
        label=gettext_lazy("Số định danh in trên thẻ căn cước"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    card_checked = forms.BooleanField(
        label=gettext_lazy(
            "Tôi đã kiểm tra thẻ căn cước bản gốc: ảnh và thông tin trên thẻ đúng là người đang ở quầy, "
            "và người này là chủ tài khoản."
        )
    )


def _page(
    request: HttpRequest, user: User, q: str, forms_by_user: dict[int, forms.Form], status: int = 200
) -> HttpResponse:
    found = list(identity.citizen_accounts(id_number=q, acting_user=user)[:20]) if q else []
    rows = [(account, forms_by_user.get(account.pk) or CounterVerificationForm()) for account in found]
    context = {"q": q, "rows": rows} | nav_context(user)
    return render(request, "backoffice/identity.html", context, status=status)


@counter_required
def find_account(request: HttpRequest) -> HttpResponse:
    return _page(request, officer(request), request.GET.get("q", "").strip()[:14], {})


@require_POST
@counter_required
def verify(request: HttpRequest, user_id: int) -> HttpResponse:
    user = officer(request)
    q = request.POST.get("q", "").strip()[:14]
    account = identity.citizen_accounts(id_number=q, acting_user=user).filter(pk=user_id).first()
    if account is None:
        raise Http404(_("Không tìm thấy tài khoản."))
    form = CounterVerificationForm(request.POST)
    if form.is_valid():
        try:
            identity.verify_at_counter(
                user=account, acting_user=user, card_number=form.cleaned_data["card_number"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã xác thực danh tính cho tài khoản %(name)s.") % {"name": account.display_name},
            )
            return redirect(f"{reverse('backoffice:identity')}?{urlencode({'q': q})}")
    return _page(request, user, q, {account.pk: form}, status=400)

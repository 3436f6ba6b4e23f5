"""The citizen's consent to Zalo notifications, on their portal account (`/tai-khoan/zalo/`): given with the
number of their Zalo account, or withdrawn; each change recorded with its time (`core.consent`)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import consent
from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.portal.views.common import citizen, citizen_required


class ZaloConsentForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại dùng Zalo"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


@citizen_required
def zalo_consent(request: HttpRequest) -> HttpResponse:
    user = citizen(request)
    current = consent.current(user.pk)
    form = ZaloConsentForm(request.POST or None, initial={"phone": current.phone if current else user.phone})
    status = 200
    if request.method == "POST":
        given = request.POST.get("action") == "give"
        if form.is_valid():
            try:
                consent.set_zalo_consent(user=user, given=given, phone=form.cleaned_data["phone"])
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Bạn đã đồng ý nhận thông báo về hồ sơ qua Zalo.")
                    if given
                    else _("Bạn đã rút lại đồng ý nhận thông báo qua Zalo."),
                )
                return redirect("portal:zalo_consent")
        status = 400
    history = list(user.zalo_consents.order_by("-at", "-pk")[:10])
    context = {"form": form, "current": current, "history": history}
    return render(request, "portal/zalo_consent.html", context, status=status)

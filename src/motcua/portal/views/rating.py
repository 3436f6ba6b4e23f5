"""Satisfaction rating, once per dossier (`/danh-gia/<code>/`): by the applicant signed in, or by
whoever has just tracked the dossier with its code and second factor (the slip's QR code)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.portal import selectors, services
from motcua.portal.forms import RatingForm
from motcua.portal.views.common import LOGIN_URL
from motcua.portal.views.tracking import tracked_codes

SIGN_IN_TO_RATE = gettext_lazy(
    "Hãy đăng nhập bằng tài khoản của người nộp hồ sơ để đánh giá, "
    "hoặc tra cứu hồ sơ bằng mã và số định danh."
)


def _dossier(request: HttpRequest, user: User | None, code: str) -> Dossier:
    dossier = selectors.my_dossier(user, code) if user is not None else None
    if dossier is None and code in tracked_codes(request):
        dossier = Dossier.objects.select_related("procedure", "receiving_unit").filter(code=code).first()
    if dossier is None:
        raise Http404(
            _("Không tìm thấy hồ sơ. Hãy tra cứu hồ sơ bằng mã và số định danh trước khi đánh giá.")
        )
    return dossier


def rate(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user if isinstance(request.user, User) else None  # or whoever tracked the dossier
    if user is None and code not in tracked_codes(request):
        # The link from a notification or "my dossiers" opened in a fresh browser: a way in, not a 404.
        messages.info(request, SIGN_IN_TO_RATE)
        return redirect_to_login(request.get_full_path(), LOGIN_URL)
    dossier = _dossier(request, user, code)
    existing = selectors.rating_of(dossier)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rate(
                    dossier=dossier,
                    satisfied=data["satisfied"],
                    attitude=data["attitude"],
                    timeliness=data["timeliness"],
                    guidance=data["guidance"],
                    comment=data["comment"],
                    acting_user=user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Cảm ơn bạn đã đánh giá."))
                return redirect("portal:rate", dossier.code)
        status = 400
    elif request.method == "POST":
        status = 409
    context = {
        "dossier": dossier,
        "form": form,
        "rating": existing,
        "can_rate": selectors.can_be_rated(dossier),
    }
    return render(request, "portal/rate.html", context, status=status)

"""What every slip shares: the tracking URL, the applicant block, the wording of procedures and time
limits, and look-ups of the events a slip is filled from."""

from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.platypus import Flowable

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.models import OrgUnit, User
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import Act

from .layout import esc, field, para, render

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
NO_FORM = "—"


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page of the dossier; the page asks for the second factor (never in the QR)."""
    base = getattr(settings, "MOTCUA_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    return f"{base}{reverse('portal:tracking')}?{urlencode({'ma': dossier.code})}"


def render_slip(
    story: list[Flowable],
    dossier: Dossier,
    unit: OrgUnit,
    page: tuple[float, float],
    title: str,
    printed_at: datetime,
) -> bytes:
    return render(
        story, pagesize=page, title=title, subject=dossier.code, author=unit.name, printed_at=printed_at
    )


def applicant_lines(dossier: Dossier, *, with_name: bool = True, with_id: bool = False) -> list[Flowable]:
    lines = [field(_("Ông/bà (tổ chức)"), dossier.applicant_name)] if with_name else []
    if with_id:
        lines.append(field(_("Số định danh cá nhân / mã số thuế"), dossier.applicant_id_number))
    lines += [
        field(_("Địa chỉ"), dossier.applicant_address),
        para(
            f"{esc(_('Số điện thoại'))}: <b>{esc(dossier.applicant_phone or '…………')}</b>"
            f"&nbsp;&nbsp;&nbsp;{esc(_('Thư điện tử'))}: <b>{esc(dossier.applicant_email or '…………')}</b>"
        ),
    ]
    return lines


def procedure_text(procedure: Procedure) -> str:
    return _("%(name)s (mã thủ tục %(code)s)") % {"name": procedure.name, "code": procedure.code}


TIME_UNIT_LABELS = {
    "working_days": gettext_lazy("ngày làm việc"),
    "days": gettext_lazy("ngày"),
    "working_hours": gettext_lazy("giờ làm việc"),
    "months": gettext_lazy("tháng"),
}


def time_limit_text(procedure: Procedure) -> str:
    if not procedure.has_time_limit:
        return ""
    assert procedure.time_limit_amount is not None  # has_time_limit
    amount = Decimal(procedure.time_limit_amount).normalize()
    shown = f"{amount:f}".replace(".", ",")
    unit = TIME_UNIT_LABELS.get(procedure.time_limit_unit, procedure.time_limit_unit)
    return f"{shown} {unit}"


def form_label(form: str) -> str:
    try:
        return str(ProcedureComponent.Form(form).label)
    except ValueError:
        return NO_FORM


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def component_forms(dossier: Dossier) -> dict[str, str]:
    """Component name → its form (original, certified copy, copy), to label the items of form 02."""
    forms = {name_key(c.name): form_label(c.form) for c in dossier.procedure.components.all()}
    forms |= {name_key(c.name): form_label(c.form) for c in dossier.components.all()}
    return forms


def match_form(item: str, forms: dict[str, str]) -> str:
    """The form of the component `item` names: the same name, else the longest name it starts with."""
    key = name_key(item)
    if key in forms:
        return forms[key]
    prefixes = [name for name in forms if name and key.startswith(name)]
    return forms[max(prefixes, key=len)] if prefixes else NO_FORM


def latest_event(dossier: Dossier, *acts: Act) -> DossierEvent | None:
    return (
        dossier.events.filter(act__in=[a.value for a in acts])
        .select_related("actor", "actor_unit", "step__unit")
        .order_by("-at", "-pk")
        .first()
    )


def person(user: User | None) -> str:
    return user.display_name if user is not None else ""

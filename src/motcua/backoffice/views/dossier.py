"""One dossier (`/can-bo/ho-so/<code>/`): its facts, files, steps, history, slips and the acts on it.

Every act is a small POST form carrying the version the officer saw; the service refuses with a
ConflictError when someone acted in between, and the page reloads with the news.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.backoffice import display, selectors
from motcua.backoffice.forms import ACT_FORMS, ActForm, AssignForm
from motcua.backoffice.views.common import nav_context, officer
from motcua.core.decorators import officer_required
from motcua.core.errors import ConflictError, DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.documents import selectors as documents
from motcua.documents.slips import SLIP_TITLES
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.dossiers.selectors import available_acts, handovers, reschedule_of
from motcua.dossiers.states import ACT_LABELS, Act, Status
from motcua.eforms import selectors as eforms
from motcua.interop.ministries.connectors import connector_for
from motcua.payments.selectors import payment_state

if TYPE_CHECKING:
    from django.http import QueryDict
    from django_stubs_ext import StrOrPromise

CONFLICT_MESSAGE = gettext_lazy(
    "Hồ sơ vừa được người khác cập nhật. Trang đã tải lại thông tin mới nhất; vui lòng kiểm tra rồi "
    "thao tác lại."
)


def act_slug(act: Act) -> str:
    return act.value.replace("_", "-")


@dataclass(frozen=True)
class ActBlock:
    act: Act
    slug: str
    label: str
    form: ActForm
    failed: bool

    @property
    def has_inputs(self) -> bool:
        return any(not field.is_hidden for field in self.form)


def _act_form(act: Act, dossier: Dossier, user: User, data: "QueryDict | None" = None) -> ActForm:
    form_class = ACT_FORMS[act]
    initial = {"version": dossier.version}
    auto_id = f"id_{act.value}_%s"
    if form_class is AssignForm:
        assignees = selectors.assignable_officers(dossier, user)
        return AssignForm(data, dossier=dossier, auto_id=auto_id, initial=initial, assignees=assignees)
    return form_class(data, dossier=dossier, auto_id=auto_id, initial=initial)


@dataclass(frozen=True)
class StepRow:
    step: StepInstance
    timeliness: str
    badge: str
    remaining: str
    parallel: bool = False  # one of the steps of a parallel stage


def _page(
    request: HttpRequest,
    user: User,
    code: str,
    *,
    failed: tuple[Act, ActForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    dossier = selectors.dossier_for(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    now = timezone.now()
    clock = display.clock_of(dossier, now=now)
    reschedule = reschedule_of(dossier)
    blocks: list[ActBlock] = []
    reschedule_block: ActBlock | None = None
    # Exactly the acts the services would accept now: one guard decides both (`dossiers.access.may`).
    for act in available_acts(user, dossier, now=now):
        if act not in ACT_FORMS or (act == Act.RECORD_PAYMENT and not display.owes_fee(dossier)):
            continue
        is_failed = failed is not None and failed[0] == act
        form = failed[1] if failed is not None and is_failed else _act_form(act, dossier, user)
        block = ActBlock(act, act_slug(act), capfirst(str(ACT_LABELS[act])), form, is_failed)
        if act != Act.RESCHEDULE:
            blocks.append(block)
        else:  # offered only while the dossier is at risk (`access.may`): shown in the lateness warning
            reschedule_block = block
    if failed is not None and not any(b.failed for b in [*blocks, reschedule_block] if b is not None):
        # The act is no longer offered (someone acted, or it never was): say why it was refused.
        for errors in failed[1].errors.values():
            for error in errors:  # an ErrorList yields its messages; the stubs say ValidationError | str
                messages.error(request, error)  # type: ignore[arg-type]
    events = list(dossier.events.all())
    context = {
        "dossier": dossier,
        "clock": clock,
        "reschedule": reschedule,
        "components": selectors.components_with_files(dossier, user),
        "steps": _step_rows(list(dossier.steps.all()), dossier, now),
        "events": [_event_row(e) for e in events],
        "slips": [(kind, SLIP_TITLES[kind]) for kind in documents.available_slips(dossier)],
        "blocks": blocks,
        "reschedule_block": reschedule_block,
        "payment": payment_state(dossier),
        "declaration": eforms.shown_declaration(dossier),  # the answers as data (#16)
        "ministry": connector_for(dossier.procedure.code),  # its system over the data axis (#19)
    }
    return render(request, "backoffice/dossier.html", context | nav_context(user), status=status)


def _step_rows(steps: list[StepInstance], dossier: Dossier, now: datetime) -> list[StepRow]:
    stage_sizes = Counter(s.stage for s in steps)
    return [
        StepRow(
            s,
            *display.step_timeliness_label(s, now=now),
            display.step_remaining_text(s, dossier=dossier, now=now),
            parallel=stage_sizes[s.stage] > 1,
        )
        for s in steps
    ]


def _event_row(event: DossierEvent) -> tuple[DossierEvent, str, "StrOrPromise", "StrOrPromise"]:
    label = capfirst(str(ACT_LABELS[Act(event.act)])) if event.act in Act else event.act
    from_label = Status(event.from_status).label if event.from_status is not None else ""
    return event, label, from_label, Status(event.to_status).label


@officer_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, officer(request), code)


@officer_required
@require_POST
def act(request: HttpRequest, code: str, act_name: str) -> HttpResponse:
    try:
        act = Act(act_name.replace("-", "_"))
    except ValueError:
        raise Http404(_("Không có thao tác này.")) from None
    user = officer(request)
    dossier = selectors.visible_dossier(user, code)
    if dossier is None or act not in ACT_FORMS:
        raise Http404(_("Không tìm thấy hồ sơ."))
    form = _act_form(act, dossier, user, data=request.POST)
    if form.is_valid():
        dossier.version = form.cleaned_data["version"]  # the version the officer saw
        service = services.ACT_SERVICES[act]
        try:
            service(dossier=dossier, acting_user=user, **form.service_kwargs())
        except ConflictError:
            messages.error(request, CONFLICT_MESSAGE)
            return redirect("backoffice:dossier", code=code)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Đã thực hiện “%(act)s” đối với hồ sơ %(code)s.") % {"act": ACT_LABELS[act], "code": code},
            )
            return redirect("backoffice:dossier", code=code)
    return _page(request, user, code, failed=(act, form), status=400)


@officer_required
def control_slip(request: HttpRequest, code: str) -> HttpResponse:
    user = officer(request)
    dossier = selectors.visible_dossier(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    context = {"dossier": dossier, "rows": handovers(dossier)}
    return render(request, "backoffice/control_slip.html", context | nav_context(user))

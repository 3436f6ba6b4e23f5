"""Consultations in the back office (xin ý kiến): asking other agencies from the dossier page, answering
what was asked of one's unit, the files, and the unit's list of questions waiting for its answer. The section
on the dossier page is `templatetags.consultations`; the acts are `documents.consultations`' (files and the
signed answer in the same transaction)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice import selectors
from motcua.backoffice.forms import AnswerConsultationForm, ConsultForm
from motcua.backoffice.views.common import nav_context, officer
from motcua.backoffice.views.dossier import CONFLICT_MESSAGE
from motcua.core.decorators import officer_required
from motcua.core.errors import ConflictError, DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.documents import consultations as consultation_files
from motcua.documents import services as document_files
from motcua.dossiers.access import acting_step, open_consultations
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import ADMIN_ROLE

CONFLICT = CONFLICT_MESSAGE


def consult_form(dossier: Dossier, user: User, data: Any = None, files: Any = None) -> ConsultForm:
    step = acting_step(dossier, user)
    asking = step.unit_id if step is not None else dossier.receiving_unit_id
    return ConsultForm(data, files, asking_unit_id=asking, initial={"version": dossier.version})


def answer_form(dossier: Dossier, user: User, data: Any = None, files: Any = None) -> AnswerConsultationForm:
    if user.role == ADMIN_ROLE:
        waiting = list(selectors.consultations_of(dossier).filter(answered_at=None, withdrawn_at=None))
    else:
        waiting = open_consultations(dossier, user)
    questions = tuple((c.pk, f"{c.asking_unit.name}: {c.content[:80]}") for c in waiting)
    return AnswerConsultationForm(data, files, questions=questions, initial={"version": dossier.version})


def _dossier(request: HttpRequest, code: str) -> tuple[User, Dossier]:
    user = officer(request)
    dossier = selectors.visible_dossier(user, code)
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return user, dossier


def _refused(request: HttpRequest, user: User, dossier: Dossier, form: Any, title: str) -> HttpResponse:
    context = {"dossier": dossier, "form": form, "title": title, "action": request.path}
    return render(request, "backoffice/consultation_form.html", context | nav_context(user), status=400)


@officer_required
@require_POST
def ask(request: HttpRequest, code: str) -> HttpResponse:
    user, dossier = _dossier(request, code)
    form = consult_form(dossier, user, request.POST, request.FILES)

    def act(data: dict[str, Any]) -> object:
        return consultation_files.ask(
            dossier=dossier,
            acting_user=user,
            consulted_units=list(data["consulted_units"]),
            content=data["content"],
            working_days=data["working_days"],
            files=data["attachments"],
        )

    done = _("Đã gửi xin ý kiến đối với hồ sơ %(code)s.") % {"code": code}
    return _submit(request, user, dossier, form, act, done, _("Xin ý kiến cơ quan khác"))


@officer_required
@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    user, dossier = _dossier(request, code)
    form = answer_form(dossier, user, request.POST, request.FILES)

    def act(data: dict[str, Any]) -> object:
        return consultation_files.answer(
            dossier=dossier,
            acting_user=user,
            consultation_id=data["consultation_id"],
            answer=data["answer"],
            files=data["attachments"],
        )

    done = _("Đã trả lời xin ý kiến về hồ sơ %(code)s.") % {"code": code}
    return _submit(request, user, dossier, form, act, done, _("Trả lời xin ý kiến"))


def _submit(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    form: Any,
    act: Callable[[dict[str, Any]], object],
    done: str,
    title: str,
) -> HttpResponse:
    """Run the act of a valid form at the version the officer saw; back to the dossier page, or the form
    with the refusal's message."""
    if form.is_valid():
        dossier.version = form.cleaned_data["version"]
        try:
            act(form.cleaned_data)
        except ConflictError:
            messages.error(request, CONFLICT)
            return redirect("backoffice:dossier", code=dossier.code)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("backoffice:dossier", code=dossier.code)
    return _refused(request, user, dossier, form, title)


@officer_required
def file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    user, dossier = _dossier(request, code)
    attached = consultation_files.file_of(dossier=dossier, acting_user=user, file_id=file_id)
    if attached is None:
        raise Http404(_("Không tìm thấy tệp."))
    return document_files.file_response(attached.stored_file, as_attachment=True, filename=attached.name)


@officer_required
def asked_of_my_unit(request: HttpRequest) -> HttpResponse:
    user = officer(request)
    asked = selectors.asked_of_my_unit(user).select_related("dossier", "asking_unit", "consulted_unit")[:200]
    context = {"asked": asked, "now": timezone.now()}
    return render(request, "backoffice/consultations.html", context | nav_context(user))

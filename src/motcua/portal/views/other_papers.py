"""The papers needed only in some cases (a power of attorney, a surrogacy certificate…), asked on one page
of the online submission (#16): the applicant uploads those that apply to them and goes on."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.forms import add_domain_error
from motcua.core.models import User
from motcua.portal import services
from motcua.portal.forms import PortalForm, UploadField
from motcua.portal.models import Draft
from motcua.portal.submission import Step, draft_files


class OtherPapersForm(PortalForm):
    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for component in step.components:
            self.fields[f"files_{component.pk}"] = UploadField(
                label=component.name, required=False, help_text=_("Tệp PDF, JPEG hoặc PNG")
            )


def other_papers_page(
    request: HttpRequest,
    draft: Draft,
    user: User,
    current: Step,
    next_page: Callable[[], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    form = OtherPapersForm(request.POST or None, request.FILES or None, step=current)
    by_pk = {c.pk: c for c in current.components}
    status = 200
    if request.method == "POST":
        component_pk, _sep, file_pk = str(request.POST.get("remove", "")).partition(":")
        if component_pk.isdigit() and file_pk.isdigit() and int(component_pk) in by_pk:
            services.remove_component_file(
                draft=draft, component=by_pk[int(component_pk)], file_id=int(file_pk)
            )
            return redirect("portal:apply_step", draft.procedure.code, current.slug)
        if form.is_valid():
            uploads = {by_pk[pk]: form.cleaned_data[f"files_{pk}"] for pk in by_pk}
            try:
                services.add_other_papers(draft=draft, uploads=uploads, acting_user=user)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if request.POST.get("action") == "upload":
                    messages.success(request, _("Đã tải lên tệp."))
                    return redirect("portal:apply_step", draft.procedure.code, current.slug)
                return next_page()
        status = 400
    papers = [(c, form[f"files_{c.pk}"], draft_files(draft, c)) for c in current.components]
    return render(
        request, "portal/apply/other_papers.html", context | {"form": form, "papers": papers}, status=status
    )

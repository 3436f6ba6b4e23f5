"""The declaration forms of the catalogue, edited by the center's administrator (`/can-bo/to-khai/`, #16):
the form's questions as its schema (sections, fields, order, help, prefill sources), checked and previewed
page by page before it is saved; saving makes a new version, the previous one kept for the dossiers that
answered it (`eforms.services.new_form_version`)."""

import json

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.backoffice.views.common import nav_context, officer
from motcua.catalog.models import Procedure
from motcua.core.decorators import OFFICER_FORBIDDEN, role_required
from motcua.core.errors import DomainError
from motcua.core.roles import Role
from motcua.eforms import selectors as eforms
from motcua.eforms import services as eforms_services
from motcua.eforms.forms import SectionForm
from motcua.eforms.models import DeclarationForm
from motcua.eforms.schema import parse

editor_required = role_required([Role.CENTER_ADMIN], forbidden_template=OFFICER_FORBIDDEN)


class EditForm(forms.Form):
    legal_form = forms.CharField(label=gettext_lazy("Mẫu theo văn bản"), max_length=500)
    schema = forms.CharField(
        label=gettext_lazy("Các câu hỏi của tờ khai"),
        help_text=gettext_lazy(
            "Mỗi nhóm câu hỏi là một trang; với mỗi câu hỏi: mã, nhãn, loại, bắt buộc, hướng dẫn, điều kiện "
            "hiển thị và nguồn điền sẵn. Bấm “Xem trước” để kiểm tra trước khi lưu."
        ),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
    )


@editor_required
def form_list(request: HttpRequest) -> HttpResponse:
    procedures = (
        Procedure.objects.filter(declaration_forms__isnull=False).distinct().order_by("code", "version")
    )
    rows = [(p, eforms.active_form(p)) for p in procedures]
    return render(request, "backoffice/eforms.html", {"rows": rows} | nav_context(officer(request)))


@editor_required
def edit_form(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = Procedure.objects.filter(pk=procedure_id).first()
    current: DeclarationForm | None = eforms.active_form(procedure) if procedure else None
    if procedure is None or current is None:
        raise Http404(_("Thủ tục này chưa có tờ khai điện tử."))
    initial = {
        "legal_form": current.legal_form,
        "schema": json.dumps(current.schema, ensure_ascii=False, indent=2),
    }
    form = EditForm(request.POST or None, initial=initial)
    preview: list[SectionForm] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["schema"])
        except json.JSONDecodeError as error:
            form.add_error(
                "schema", _("Không đọc được nội dung (JSON), dòng %(line)s.") % {"line": error.lineno}
            )
        else:
            try:
                schema = parse(data)
                if request.POST.get("action") == "save":
                    saved = eforms_services.new_form_version(
                        procedure=procedure,
                        schema=data,
                        legal_form=form.cleaned_data["legal_form"],
                        acting_user=officer(request),
                        component=current.component,
                        replaces=list(current.replaces.all()),
                    )
                    messages.success(
                        request, _("Đã lưu tờ khai, phiên bản %(version)s.") % {"version": saved.version}
                    )
                    return redirect("backoffice:eform_edit", procedure.pk)
                preview = [SectionForm(section=s) for s in schema.sections]
            except DomainError as error:
                form.add_error(None, str(error.message))
                for path, message in error.field_messages().items():
                    form.add_error("schema", f"{path}: {message}")
        status = 200 if form.is_valid() and not form.errors else 400
    context = {"procedure": procedure, "current": current, "form": form, "preview": preview}
    return render(
        request, "backoffice/eform_edit.html", context | nav_context(officer(request)), status=status
    )

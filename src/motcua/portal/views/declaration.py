"""One section of the declaration as a page of the online submission (`portal.declaration`)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.core.errors import DomainError
from motcua.eforms.forms import SEP, SectionForm
from motcua.portal import declaration
from motcua.portal.models import Draft
from motcua.portal.submission import Step


def declaration_page(
    request: HttpRequest,
    draft: Draft,
    current: Step,
    next_page: Callable[[], HttpResponse],
    context: dict[str, Any],
) -> HttpResponse:
    found = declaration.form_of(draft.procedure)
    section = current.section
    if found is None or section is None:  # the form was withdrawn meanwhile: start again
        return redirect("portal:apply", draft.procedure.code)
    form, schema = found
    context = context | {"section": section}
    if request.method != "POST":
        initial = declaration.section_initial(draft=draft, form=form, schema=schema, section=section)
        prefilled = any(initial.values()) and section.key not in declaration.answers_of(draft, form)
        page = SectionForm(section=section, answers=initial)
        return render(
            request, "portal/apply/declaration.html", context | {"form": page, "prefilled": prefilled}
        )
    page = SectionForm(
        request.POST, section=section, answers=declaration.answers_of(draft, form).get(section.key)
    )
    page.is_valid()  # every rule is the form's schema's (eforms.validation), checked below
    if str(request.POST.get("action", "")).startswith(f"add{SEP}"):  # one more row of a group
        return render(request, "portal/apply/declaration.html", context | {"form": page})
    if request.POST.get("action") == "exit" and draft.pk is not None:
        return next_page()
    try:
        declaration.save_section(
            draft=draft, form=form, schema=schema, section=section, raw=page.raw_answers()
        )
    except DomainError as error:
        page.show_errors(error)
        return render(request, "portal/apply/declaration.html", context | {"form": page}, status=400)
    return next_page()

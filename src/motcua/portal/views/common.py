"""What the portal's pages share: the citizen-only guard and showing a refused act on a form."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.errors import DomainError
from motcua.core.roles import Role

LOGIN_URL = "portal:login"


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required(login_url=LOGIN_URL)
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role != Role.CITIZEN:
            return render(request, "portal/403.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """The act's message on top; its per-field messages (those meant for people) on the fields."""
    form.add_error(None, str(error.message))
    fields = error.details.get("fields") or {}
    if not isinstance(fields, dict):
        return
    for name, message in fields.items():
        text = str(message)
        if " " not in text or text == str(error.message):
            continue
        if name in form.fields and name not in form.errors:
            form.add_error(name, text)
        else:
            form.add_error(None, text)

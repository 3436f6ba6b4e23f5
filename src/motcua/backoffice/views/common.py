"""What every officials' page shares: the officer-only guard, the navigation counts, the error mapping."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.core.errors import DomainError
from motcua.core.roles import OFFICER_ROLES, Role


def officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and an officer: anyone else gets the back office's 403 page."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in OFFICER_ROLES or not request.user.is_active:
            return render(request, "backoffice/403.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def counter_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Counter officers (and the center's administrators acting for them)."""

    @officer_required
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.role not in (Role.COUNTER_OFFICER, Role.CENTER_ADMIN):
            return render(request, "backoffice/403.html", status=403)
        return view(request, *args, **kwargs)

    return guarded


def nav_context(request: HttpRequest, scope: selectors.WorkScope | None = None) -> dict:
    """The work lists with their counts, for the navigation of every page."""
    counts = selectors.list_counts(request.user, now=timezone.now(), scope=scope)
    return {
        "nav_lists": [(w, counts[w.name]) for w in selectors.WORK_LISTS],
        "can_receive": request.user.role in (Role.COUNTER_OFFICER, Role.CENTER_ADMIN),
    }


def add_domain_error(form: forms.Form, error: DomainError, field_names: dict[str, str] | None = None) -> None:
    """Show a refused act on the form: its message on top, and the messages it gives per field on them.

    Services name fields either with a message for people or with a short machine code ("required");
    only the former is repeated next to the field.
    """
    form.add_error(None, str(error.message))
    fields = error.details.get("fields") or {}
    if not isinstance(fields, dict):
        return
    for name, message in fields.items():
        target = (field_names or {}).get(name, name)
        if " " not in str(message) or str(message) == str(error.message):
            continue
        if target in form.fields and target not in form.errors:
            form.add_error(target, str(message))
        elif target not in form.fields:
            form.add_error(None, str(message))

"""Who may open a page: sign-in and role guards shared by the apps' views.

A guard sends a visitor who is not signed in to the login page, and answers anyone signed in without
the role with the app's own 403 page (a template name, so that core imports no app).
"""

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.core.models import User
from motcua.core.roles import OFFICER_ROLES, Role

# A page's answer: a rendered page, or a file streamed (FileResponse is no HttpResponse).
View = Callable[..., HttpResponseBase]

# The officers' pages (back office, queue counter) answer with the back office's page.
OFFICER_FORBIDDEN = "backoffice/403.html"
COUNTER_ROLES = frozenset({Role.COUNTER_OFFICER, Role.CENTER_ADMIN})


def role_required[R: HttpResponseBase](
    roles: Collection[str],
    *,
    forbidden_template: str,
    login_url: str | None = None,
    also: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[Callable[..., R]], Callable[..., R | HttpResponse]]:
    """Signed in (else the login page), active, one of `roles`, and `also(request)` when given; anyone
    else gets `forbidden_template` with status 403."""

    def decorator(view: Callable[..., R]) -> Callable[..., R | HttpResponse]:
        @login_required(login_url=login_url)
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> R | HttpResponse:
            user = request.user  # signed in: login_required let the request through
            if (
                not isinstance(user, User)
                or user.role not in roles
                or not user.is_active
                or (also is not None and not also(request))
            ):
                return render(request, forbidden_template, status=403)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def officer_required(view: View) -> View:
    """Signed in, and an officer: anyone else gets the back office's 403 page."""
    return role_required(OFFICER_ROLES, forbidden_template=OFFICER_FORBIDDEN)(view)


def counter_required(view: View) -> View:
    """Counter officers (and the center's administrators acting for them)."""
    return role_required(COUNTER_ROLES, forbidden_template=OFFICER_FORBIDDEN)(view)

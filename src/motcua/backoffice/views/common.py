"""What every officials' page shares: the navigation counts (the guards are in `core.decorators`, the error
mapping in `core.forms`)."""

from django.http import HttpRequest
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.core.roles import Role


def nav_context(request: HttpRequest, scope: selectors.WorkScope | None = None) -> dict:
    """The work lists with their counts, for the navigation of every page."""
    counts = selectors.list_counts(request.user, now=timezone.now(), scope=scope)
    return {
        "nav_lists": [(w, counts[w.name]) for w in selectors.WORK_LISTS],
        "can_receive": request.user.role in (Role.COUNTER_OFFICER, Role.CENTER_ADMIN),
    }

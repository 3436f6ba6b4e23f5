"""What every officials' page shares: the officer signed in and the navigation counts (the guards are in
`core.decorators`, the error mapping in `core.forms`)."""

from django.http import HttpRequest
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.core.models import User
from motcua.core.roles import Role


def officer(request: HttpRequest) -> User:
    """The signed-in officer of a page behind `officer_required` or `counter_required` (which let only
    officers through)."""
    user = request.user
    assert isinstance(user, User)
    return user


def nav_context(user: User, scope: selectors.WorkScope | None = None) -> dict[str, object]:
    """The work lists with their counts, for the navigation of every page."""
    counts = selectors.list_counts(user, now=timezone.now(), scope=scope)
    return {
        "nav_lists": [(w, counts[w.name]) for w in selectors.WORK_LISTS],
        "can_receive": user.role in (Role.COUNTER_OFFICER, Role.CENTER_ADMIN),
    }

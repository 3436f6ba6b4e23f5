"""The audit log: who signed in, out or failed to, who was refused what, whose role changed, which e-result
was issued. One record each on the logger "motcua.audit", its message the event ("login", "login_failed",
"logout", "locked_out", "denied", "role_changed", "e_result_issued"), with the acting user's id, the client's
address and the request id. Never a name, a citizen id, a typed user name, a password or a message text:
accounts and dossiers are named by their ids only.

Sign-ins and role changes are recorded here from Django's signals; refusals by `denied()`, called by the
dossier act guard (dossiers.access) and, for any other page or API call answered 403, by
`DenialAuditMiddleware`; e-results by `e_result_issued()` (documents.results).
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from motcua.core.logs import current_request, current_request_id, route_of
from motcua.core.middleware import AroundMiddleware
from motcua.core.models import User
from motcua.core.ratelimit import client_ip
from motcua.core.roles import Role

audit_log = logging.getLogger("motcua.audit")

# What a user may do follows from these; a change to any of them is a role change.
ROLE_FIELDS = ("role", "org_unit_id", "is_staff", "is_superuser", "is_active")
_DENIAL_AUDITED = "_motcua_denial_audited"


def record(
    event: str, *, user: User | AnonymousUser | None = None, request: HttpRequest | None = None, **fields: Any
) -> None:
    """One audit record. `user` is the actor (default: the request's user); `request` defaults to the one
    being handled; `fields` are ids and codes only."""
    request = request if request is not None else current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    actor = user.pk if user is not None and user.is_authenticated else None
    audit_log.info(
        event,
        extra={
            "audit": True,
            "user_id": actor,
            "client_ip": client_ip(request) if request is not None else None,
            "request_id": current_request_id(),
            **fields,
        },
    )


def denied(actor: HttpRequest | User | AnonymousUser | None, what: str, **ids: Any) -> None:
    """A refusal for lack of right: `what` was refused to `actor` (a request, or a user while a request or
    outbox message is handled). One record a request: the guard that names the act is the first to call."""
    request = actor if isinstance(actor, HttpRequest) else current_request()
    user = None if isinstance(actor, HttpRequest) else actor
    if request is not None:
        if getattr(request, _DENIAL_AUDITED, False):
            return
        setattr(request, _DENIAL_AUDITED, True)
    record("denied", user=user, request=request, what=what, **ids)


def e_result_issued(*, dossier_id: int, result_id: int, acting_user: User) -> None:
    record("e_result_issued", user=acting_user, dossier_id=dossier_id, result_id=result_id)


def username_digest(username: str) -> str:
    """A keyed digest of a typed user name (it may be a citizen id): repeated failures on one name can be
    told apart without the name, and the digest cannot be reversed by trying every id number."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"audit-username:" + username.encode(), hashlib.sha256).hexdigest()[:16]


def axes_client_str(username: str, ip_address: str, user_agent: str, path_info: Any, request: Any) -> str:
    """settings.AXES_CLIENT_STR_CALLABLE: django-axes logs this instead of the typed user name."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    digest = username_digest(username) if username else ""
    return f'{{username_digest: "{digest}", path_info: "{path_info}"}}'


@receiver(user_logged_in, dispatch_uid="motcua.audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record("login", user=user, request=request)


@receiver(user_logged_out, dispatch_uid="motcua.audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    record("logout", user=user, request=request)


@receiver(user_login_failed, dispatch_uid="motcua.audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    digest = username_digest(username) if username else None
    record("login_failed", user=AnonymousUser(), request=request, username_digest=digest)


@receiver(user_locked_out, dispatch_uid="motcua.audit.locked_out")
def _locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    digest = username_digest(username) if username else None
    record("locked_out", user=AnonymousUser(), request=request, username_digest=digest)


# --- Role changes ---


def _roles(user: User) -> dict[str, Any]:
    loaded = vars(user)  # a deferred field is not read (that would cost a query per user loaded)
    return {name: loaded[name] for name in ROLE_FIELDS if name in loaded}


@receiver(post_init, sender=User, dispatch_uid="motcua.audit.roles_loaded")
def _remember_roles(sender: type[User], instance: User, **kwargs: Any) -> None:
    instance._audit_roles = _roles(instance)  # type: ignore[attr-defined]


@receiver(post_save, sender=User, dispatch_uid="motcua.audit.roles_saved")
def _roles_saved(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    before: dict[str, Any] = getattr(instance, "_audit_roles", {})
    after = _roles(instance)
    instance._audit_roles = after  # type: ignore[attr-defined]
    if created:
        # A citizen registering is no role change; an account made with any right is one.
        granted = after.get("role") != Role.CITIZEN or after.get("is_staff") or after.get("is_superuser")
        changes = {name: [None, value] for name, value in after.items()} if granted else {}
    else:
        changes = {
            name: [before[name], value]
            for name, value in after.items()
            if name in before and before[name] != value
        }
    if changes:
        record("role_changed", subject_user_id=instance.pk, changes=changes)


@receiver(post_delete, sender=User, dispatch_uid="motcua.audit.user_deleted")
def _user_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    if instance.role != Role.CITIZEN or instance.is_staff or instance.is_superuser:
        record("role_changed", subject_user_id=instance.pk, changes={"role": [instance.role, None]})


def _m2m_receiver(name: str) -> Callable[..., None]:
    def changed(
        sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kw: Any
    ) -> None:
        if action not in {"post_add", "post_remove", "post_clear"}:
            return
        ids = sorted(pk_set or ())
        if reverse:  # a group's members changed: one record per account
            for user_id in ids:
                record("role_changed", subject_user_id=user_id, changes={name: {action[5:]: [instance.pk]}})
        else:
            record("role_changed", subject_user_id=instance.pk, changes={name: {action[5:]: ids}})

    return changed


_groups_changed = _m2m_receiver("groups")
_permissions_changed = _m2m_receiver("user_permissions")
m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="motcua.audit.groups")
m2m_changed.connect(
    _permissions_changed, sender=User.user_permissions.through, dispatch_uid="motcua.audit.permissions"
)


class DenialAuditMiddleware(AroundMiddleware):
    """After authentication: a page or API call answered 403 is audited as a denial, unless the guard that
    refused it (the dossier act guard) already said what was refused."""

    def after(self, request: HttpRequest, response: HttpResponse, state: None) -> None:
        if response.status_code == 403:
            denied(request, f"{request.method} {route_of(request)}")

    def after_reads_database(self, response: HttpResponse) -> bool:
        return response.status_code == 403  # naming the user may read the session

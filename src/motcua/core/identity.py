"""Whose account it is: a declared ID number, or a verified identity (docs/domain.md "Once-only and the e-data
store").

The 12-digit number a citizen types at registration is only *declared*: anyone can type anyone's number.
It becomes *verified* in one of three ways, recorded on the account (`User.identity_verified_at`,
`identity_method`, `identity_verified_by`) with an entry in the account's audit history:

- a counter officer checks the ID card of the account holder at a one-stop counter (`verify_at_counter`);
- the national population database confirms the number with the holder's full name and date of birth
  (`documents.services.verify_identity_with_population_db`, which calls `record_verification`);
- the holder signs in with the national e-identity VNeID at level 2, through an `IdentityProvider` below.

Nothing from the applicant's e-data store is shown, attached or reused for a declared-only identity
(`verifies`), and a verified number belongs to one citizen account only (a unique constraint on the user).

VNeID providers follow the payment gateways' pattern: a redirect to the provider, then a callback whose
fields are signed with HMAC-SHA256 and checked before anything in it is believed. The sandbox provider below
lets anyone claim any identity, so it is off unless DEBUG is on or MOTCUA_VNEID_SANDBOX switches it on; a
production start (DEBUG off) with it on logs a loud warning (`warn_if_sandbox_in_production`).
"""

import hashlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, PermissionDenied, ValidationFailed
from motcua.core.models import IdentityMethod, User
from motcua.core.roles import Role

log = logging.getLogger(__name__)

COUNTER_ROLES = frozenset({Role.COUNTER_OFFICER, Role.CENTER_ADMIN})
MIN_VNEID_LEVEL = 2

ALREADY_HELD = _(
    "Không thể xác thực: số định danh này đã được xác thực cho một tài khoản khác. Nếu đó là tài khoản "
    "của bạn, hãy đăng nhập hoặc khôi phục tài khoản đó; nếu không, hãy liên hệ Bộ phận Một cửa."
)


# --- reading ---------------------------------------------------------------------------------------------


def is_verified(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.role == Role.CITIZEN
        and user.citizen_id
        and user.identity_verified_at is not None
    )


def verified_citizen_id(user: User) -> str:
    """The account's citizen ID number once verified; "" for a declared-only number (or no number)."""
    return user.citizen_id if is_verified(user) else ""


def verifies(user: User, id_number: str) -> bool:
    """Whether `user` is the verified holder of the citizen ID number `id_number`."""
    id_number = (id_number or "").strip()
    return bool(id_number) and user.is_active and verified_citizen_id(user) == id_number


def verified_holder(id_number: str) -> User | None:
    """The citizen account whose identity `id_number` is verified, if any (there is at most one)."""
    return (
        User.objects.filter(
            role=Role.CITIZEN, citizen_id=id_number.strip(), identity_verified_at__isnull=False
        )
        .exclude(citizen_id="")
        .first()
    )


def citizen_accounts(*, id_number: str, acting_user: User) -> QuerySet[User]:
    """Citizen accounts declaring or verified for `id_number` (or with it as login name), for a counter
    officer about to check an ID card; nothing for anyone else."""
    id_number = id_number.strip()
    if not id_number or acting_user.role not in COUNTER_ROLES or not acting_user.is_active:
        return User.objects.none()
    return (
        User.objects.filter(role=Role.CITIZEN)
        .filter(Q(citizen_id=id_number) | Q(username=id_number))
        .select_related("identity_verified_by")
        .order_by("-identity_verified_at", "date_joined")
    )


# --- the act of verifying ----------------------------------------------------------------------------------


def record_verification(
    *, user: User, method: str, acting_user: User | None = None, at: datetime | None = None
) -> User:
    """Mark the account's declared ID number as verified by `method` (IdentityMethod), by `acting_user` (the
    officer at the counter; the holder themself otherwise), and write the audit entry. Refused when the number
    is already verified for another account. Verifying a verified account again changes nothing."""
    method = IdentityMethod(method)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.role != Role.CITIZEN or not user.is_active:
            raise PermissionDenied(_("Chỉ tài khoản công dân đang hoạt động mới được xác thực danh tính."))
        if not user.citizen_id:
            raise ValidationFailed(
                _("Tài khoản chưa khai báo số định danh cá nhân (12 số)."), code="no_citizen_id"
            )
        if user.identity_verified_at is not None:
            return user
        if User.objects.filter(
            role=Role.CITIZEN, citizen_id=user.citizen_id, identity_verified_at__isnull=False
        ).exists():
            raise ValidationFailed(ALREADY_HELD, code="identity_taken")
        user.identity_verified_at = at or timezone.now()
        user.identity_method = method.value
        user.identity_verified_by = acting_user if method == IdentityMethod.COUNTER else None
        try:
            with transaction.atomic():
                user.save(update_fields=["identity_verified_at", "identity_method", "identity_verified_by"])
        except IntegrityError:  # verified for another account at the same moment
            raise ValidationFailed(ALREADY_HELD, code="identity_taken") from None
        audit(
            user=user,
            acting_user=acting_user or user,
            message=f"Xác thực danh tính: {method.label}",
        )
    return user


def verify_at_counter(*, user: User, acting_user: User, card_number: str) -> User:
    """A counter officer has checked the holder's ID card: the number printed on it must be the account's."""
    if acting_user.role not in COUNTER_ROLES or not acting_user.is_active:
        raise PermissionDenied(_("Chỉ cán bộ Bộ phận Một cửa được xác thực danh tính tại quầy."))
    if card_number.strip() != user.citizen_id:
        raise ValidationFailed(
            _("Số trên thẻ căn cước không khớp với số định danh khai báo của tài khoản: không xác thực."),
            code="card_mismatch",
            fields={"card_number": FieldError("mismatch", _("Số trên thẻ không khớp với tài khoản."))},
        )
    return record_verification(user=user, method=IdentityMethod.COUNTER, acting_user=acting_user)


def audit(*, user: User, acting_user: User, message: str) -> None:
    """One entry in the account's history (the admin shows it) and one log line without personal data."""
    LogEntry.objects.log_actions(
        user_id=acting_user.pk, queryset=[user], action_flag=CHANGE, change_message=message
    )
    log.info("identity: %s (account %s, by %s)", message, user.pk, acting_user.pk)


# --- national e-identity (VNeID) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EIdentity:
    """What a national e-identity provider asserts about the person who signed in."""

    citizen_id: str
    full_name: str
    birth_date: date
    level: int
    provider_ref: str


class BadAssertion(Exception):
    """The callback is not from the provider, was altered, or asserts too little: nothing may change."""


class IdentityProvider(Protocol):
    name: str

    def start(self, *, state: str) -> str:
        """The URL to send the browser to; the provider comes back with `state` unchanged."""
        ...

    def verify_callback(self, request_data: dict[str, str]) -> EIdentity:
        """Check the provider's signature and read the identity; BadAssertion when it does not verify."""
        ...


SIGNED_FIELDS = ("state", "id", "name", "dob", "level", "txn")


def sandbox_secret() -> bytes:
    return hashlib.sha256(f"motcua-sandbox-vneid|{settings.SECRET_KEY}".encode()).digest()


def sign(fields: dict[str, str], secret: bytes | None = None) -> str:
    """HMAC-SHA256 over the signed fields in a fixed order ("key=value&..."), hex encoded."""
    message = "&".join(f"{name}={fields.get(name, '')}" for name in SIGNED_FIELDS)
    return hmac.new(secret or sandbox_secret(), message.encode(), hashlib.sha256).hexdigest()


class SandboxVneid:
    """A stand-in for VNeID inside the project (`/tai-khoan/vneid/sandbox/`): whoever uses it may claim any
    identity, so it exists only in development, the demo and the tests (`sandbox_enabled`)."""

    name = "sandbox"

    def start(self, *, state: str) -> str:
        return f"{reverse('portal:vneid_sandbox')}?{urlencode({'state': state})}"

    def callback_url(self, fields: dict[str, str]) -> str:
        """What the sandbox's page redirects the browser to (as the real provider does)."""
        signed = {name: fields[name] for name in SIGNED_FIELDS} | {"sig": sign(fields)}
        return f"{reverse('portal:vneid_callback', args=[self.name])}?{urlencode(signed)}"

    def verify_callback(self, request_data: dict[str, str]) -> EIdentity:
        fields = {name: str(request_data.get(name, "")) for name in SIGNED_FIELDS}
        given = str(request_data.get("sig", ""))
        if not hmac.compare_digest(sign(fields).encode(), given.encode()):
            raise BadAssertion("signature")
        try:
            born = date.fromisoformat(fields["dob"])
            level = int(fields["level"])
        except ValueError:
            raise BadAssertion("fields") from None
        if len(fields["id"]) != 12 or not fields["id"].isdigit() or not fields["name"].strip():
            raise BadAssertion("fields")
        return EIdentity(fields["id"], " ".join(fields["name"].split()), born, level, fields["txn"])


DEFAULT_PROVIDERS = {"sandbox": "motcua.core.identity.SandboxVneid"}


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "MOTCUA_VNEID_SANDBOX", settings.DEBUG))


def provider(name: str | None = None) -> IdentityProvider:
    """The configured VNeID provider (MOTCUA_VNEID_PROVIDER, default the sandbox), or the one named;
    LookupError when unknown or when it is the sandbox and the sandbox is off."""
    providers = getattr(settings, "MOTCUA_VNEID_PROVIDERS", DEFAULT_PROVIDERS)
    name = name or getattr(settings, "MOTCUA_VNEID_PROVIDER", "sandbox")
    if name not in providers or (name == "sandbox" and not sandbox_enabled()):
        raise LookupError(name)
    make_provider: Callable[[], IdentityProvider] = import_string(providers[name])
    return make_provider()


def vneid_available() -> bool:
    try:
        provider()
    except LookupError:
        return False
    return True


def check_level(identity: EIdentity) -> None:
    if identity.level < MIN_VNEID_LEVEL:
        raise ValidationFailed(
            _("Tài khoản định danh điện tử mức 1 chưa đủ để xác thực danh tính; cần tài khoản VNeID mức 2."),
            code="vneid_level",
        )


def warn_if_sandbox_in_production() -> bool:
    """Log a loud warning when the VNeID sandbox is on with DEBUG off; True when it did."""
    if settings.DEBUG or not getattr(settings, "MOTCUA_VNEID_SANDBOX", False):
        return False
    log.warning(
        "\n%s\nSECURITY: the VNeID SANDBOX is ON with DEBUG off (MOTCUA_VNEID_SANDBOX).\n"
        "Anyone can sign in as any citizen and see their e-data store. Switch it off in production.\n%s",
        "!" * 78,
        "!" * 78,
    )
    return True

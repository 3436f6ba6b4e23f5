"""Portal accounts for citizens (12-digit ID number) and businesses (tax code); login rate limiting.

The login name is the ID number or the tax code. A citizen's ID number is also copied to
`core.User.citizen_id`, which the rest of the system reads; uniqueness is `Profile.id_number`'s.
"""

import hashlib

from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ValidationFailed
from motcua.core.models import User, citizen_id_validator, tax_code_validator
from motcua.core.ratelimit import count_hit
from motcua.core.roles import Role
from motcua.dossiers.models import ApplicantKind
from motcua.portal.models import Profile

LOGIN_FAILURES_ALLOWED = 5
LOGIN_WINDOW_SECONDS = 600


def split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: 'Nguyễn Văn An' → (family and middle names, given name) = ('Nguyễn Văn', 'An')."""
    words = full_name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


def register(
    *,
    kind: str,
    id_number: str,
    full_name: str,
    phone: str,
    email: str,
    password: str,
    organisation_name: str = "",
    address: str = "",
) -> User:
    """Create a portal account; ValidationFailed with per-field messages, and nothing saved, otherwise."""
    id_number, phone, email = id_number.strip(), phone.strip().replace(" ", ""), email.strip()
    errors: dict[str, str] = {}
    validator = citizen_id_validator if kind == ApplicantKind.CITIZEN else tax_code_validator
    if kind not in ApplicantKind.values:
        errors["kind"] = str(_("Loại tài khoản không hợp lệ."))
    try:
        validator(id_number)
    except ValidationError as exc:
        errors["id_number"] = str(exc.messages[0])
    if not full_name.strip():
        errors["full_name"] = str(_("Vui lòng nhập họ và tên."))
    if kind == ApplicantKind.BUSINESS and not organisation_name.strip():
        errors["organisation_name"] = str(_("Vui lòng nhập tên tổ chức, doanh nghiệp."))
    if not phone.lstrip("+").isdigit() or not 9 <= len(phone.lstrip("+")) <= 12:
        errors["phone"] = str(_("Số điện thoại gồm 9 đến 12 chữ số."))
    if "id_number" not in errors and _taken(id_number):
        errors["id_number"] = str(_("Số định danh / mã số thuế này đã có tài khoản. Vui lòng đăng nhập."))
    family, given = split_name(full_name)
    candidate = User(username=id_number, first_name=given, last_name=family, email=email, phone=phone)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationFailed(_("Thông tin đăng ký chưa hợp lệ."), fields=errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=id_number,
                password=password,
                email=email,
                first_name=given,
                last_name=family,
                phone=phone,
                role=Role.CITIZEN,
                citizen_id=id_number if kind == ApplicantKind.CITIZEN else "",
            )
            Profile.objects.create(
                user=user,
                kind=kind,
                id_number=id_number,
                organisation_name=organisation_name.strip(),
                address=address.strip(),
            )
    except IntegrityError:  # registered at the same moment by someone else
        raise ValidationFailed(
            _("Thông tin đăng ký chưa hợp lệ."),
            fields={"id_number": str(_("Số định danh / mã số thuế này đã có tài khoản."))},
        ) from None
    return user


def _taken(id_number: str) -> bool:
    return (
        Profile.objects.filter(id_number=id_number).exists()
        or User.objects.filter(username=id_number).exists()
    )


# --- rate limiting of logins -----------------------------------------------------------------------


def _key(username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().casefold()}|{ip}".encode()).hexdigest()[:32]
    return f"portal-login-failures:{digest}"


def login_blocked(username: str, ip: str) -> bool:
    return int(cache.get(_key(username, ip), 0)) >= LOGIN_FAILURES_ALLOWED


def record_login_failure(username: str, ip: str) -> None:
    count_hit(_key(username, ip), window_seconds=LOGIN_WINDOW_SECONDS)


def clear_login_failures(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))


def applicant_defaults(user: User) -> dict[str, str]:
    """What the submission form pre-fills from the account."""
    profile = getattr(user, "profile", None)
    kind = profile.kind if profile else ApplicantKind.CITIZEN
    name = profile.organisation_name if profile and kind == ApplicantKind.BUSINESS else user.display_name
    return {
        "kind": kind,
        "name": name,
        "id_number": profile.id_number if profile else user.citizen_id,
        "phone": user.phone,
        "email": user.email,
        "address": profile.address if profile else "",
    }

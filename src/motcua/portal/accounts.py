"""Portal accounts for citizens (12-digit ID number) and businesses (tax code).

The login name is the ID number or the tax code. A citizen's ID number is also copied to
`core.User.citizen_id`, which the rest of the system reads; one account holds a login name at a time
(`Profile.id_number`).

A number typed at registration is only declared (`core.identity`). Registration asks a citizen's date of
birth: when the population database confirms number, name and date, the account is verified at once;
otherwise it is created declared-only (it gets nothing from the e-data store until verified). A number whose
identity is verified belongs to that account only: registering it again leads to the recovery page
(`RecoveryNeeded`), never to "already exists"; so does a number held by a declared-only account, unless the
population database confirms the newcomer, who then takes the number over (`release_declared`).
"""

from datetime import date

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import identity
from motcua.core.errors import DomainError, ValidationFailed, invalid_fields
from motcua.core.models import IdentityMethod, User, citizen_id_validator, tax_code_validator
from motcua.core.roles import Role
from motcua.documents import services as documents
from motcua.dossiers.models import ApplicantKind
from motcua.portal.models import Profile


def split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese order: 'Nguyễn Văn An' → (family and middle names, given name) = ('Nguyễn Văn', 'An')."""
    words = full_name.split()
    if not words:
        return "", ""
    return " ".join(words[:-1]), words[-1]


class RecoveryNeeded(DomainError):
    """This number cannot get a new account online: the page that follows is the same whoever holds it."""

    code = "recovery"


def register(
    *,
    kind: str,
    id_number: str,
    full_name: str,
    phone: str,
    email: str,
    password: str,
    birth_date: date | None = None,
    organisation_name: str = "",
    address: str = "",
) -> User:
    """Create a portal account; ValidationFailed with per-field messages, and nothing saved, otherwise;
    RecoveryNeeded when the number is held by another account (module docstring)."""
    id_number, phone, email = id_number.strip(), phone.strip().replace(" ", ""), email.strip()
    citizen = kind == ApplicantKind.CITIZEN
    errors: dict[str, str] = {}
    validator = citizen_id_validator if citizen else tax_code_validator
    if kind not in ApplicantKind.values:
        errors["kind"] = str(_("Loại tài khoản không hợp lệ."))
    try:
        validator(id_number)
    except ValidationError as exc:
        errors["id_number"] = str(exc.messages[0])
    if not full_name.strip():
        errors["full_name"] = str(_("Vui lòng nhập họ và tên."))
    if citizen and birth_date is None:
        errors["birth_date"] = str(_("Vui lòng nhập ngày sinh (như trên thẻ căn cước)."))
    if kind == ApplicantKind.BUSINESS and not organisation_name.strip():
        errors["organisation_name"] = str(_("Vui lòng nhập tên tổ chức, doanh nghiệp."))
    if not phone.lstrip("+").isdigit() or not 9 <= len(phone.lstrip("+")) <= 12:
        errors["phone"] = str(_("Số điện thoại gồm 9 đến 12 chữ số."))
    family, given = split_name(full_name)
    candidate = User(username=id_number, first_name=given, last_name=family, email=email, phone=phone)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = " ".join(exc.messages)
    if errors:
        raise ValidationFailed(_("Thông tin đăng ký chưa hợp lệ."), fields=invalid_fields(errors))
    confirmed = False
    holder = _holder(id_number)
    if citizen:
        if identity.verified_holder(id_number) is not None:
            raise RecoveryNeeded(_("Số định danh này không thể đăng ký tài khoản mới."))
        check = documents.check_person(citizen_id=id_number, full_name=full_name, birth_date=birth_date)
        confirmed = check == documents.PersonCheck.CONFIRMED
    if holder is not None and not confirmed:
        raise RecoveryNeeded(_("Số định danh này không thể đăng ký tài khoản mới."))
    try:
        with transaction.atomic():
            if holder is not None:  # declared only, and the population database confirms the newcomer
                release_declared(holder)
            user = User.objects.create_user(
                username=id_number,
                password=password,
                email=email,
                first_name=given,
                last_name=family,
                phone=phone,
                role=Role.CITIZEN,
                citizen_id=id_number if citizen else "",
                birth_date=birth_date if citizen else None,
            )
            Profile.objects.create(
                user=user,
                kind=kind,
                id_number=id_number,
                organisation_name=organisation_name.strip(),
                address=address.strip(),
            )
            if confirmed:
                user = identity.record_verification(
                    user=user, method=IdentityMethod.POPULATION_DB, acting_user=user
                )
    except IntegrityError:  # registered at the same moment by someone else
        raise RecoveryNeeded(_("Số định danh này không thể đăng ký tài khoản mới.")) from None
    return user


def _holder(id_number: str) -> User | None:
    """The account holding `id_number` as its login name, if any."""
    profile = Profile.objects.filter(id_number=id_number).select_related("user").first()
    if profile is not None:
        return profile.user
    return User.objects.filter(username=id_number).first()


def release_declared(holder: User) -> None:
    """Take a declared-only number back from the account holding it, for the person whose identity was just
    verified: the account keeps its dossiers under another login name, loses the number and its profile."""
    if identity.is_verified(holder):
        raise RecoveryNeeded(_("Số định danh này không thể đăng ký tài khoản mới."))
    number = holder.username
    holder.username = f"{number}-{holder.pk}"
    holder.citizen_id = ""
    holder.save(update_fields=["username", "citizen_id"])
    Profile.objects.filter(user=holder).delete()
    identity.audit(
        user=holder,
        acting_user=holder,
        message="Số định danh khai báo bị thu hồi: danh tính đã được xác thực cho tài khoản khác",
    )


# --- national e-identity (VNeID) --------------------------------------------------------------------------


def sign_in_with_vneid(*, person: identity.EIdentity) -> User:
    """The account of the person VNeID vouches for: the account verified for that number; else a new one,
    verified (taking the number back from a declared-only account). It has no password: VNeID signs it in."""
    identity.check_level(person)
    with transaction.atomic():
        holder = identity.verified_holder(person.citizen_id)
        if holder is not None:
            if not holder.is_active:
                raise ValidationFailed(_("Tài khoản này đã bị khóa."), code="inactive")
            return holder
        declared = _holder(person.citizen_id)
        if declared is not None:
            release_declared(declared)
        family, given = split_name(person.full_name)
        user = User.objects.create_user(
            username=person.citizen_id,
            password=None,
            first_name=given,
            last_name=family,
            role=Role.CITIZEN,
            citizen_id=person.citizen_id,
            birth_date=person.birth_date,
        )
        Profile.objects.create(user=user, kind=ApplicantKind.CITIZEN, id_number=person.citizen_id)
        return identity.record_verification(user=user, method=IdentityMethod.VNEID, acting_user=user)


def verify_with_vneid(*, user: User, person: identity.EIdentity) -> User:
    """The signed-in account's declared number, verified by the holder's VNeID sign-in: the numbers match."""
    identity.check_level(person)
    if not user.citizen_id or user.citizen_id != person.citizen_id:
        raise ValidationFailed(
            _(
                "Số định danh của tài khoản VNeID không khớp với số định danh khai báo của tài khoản này: "
                "không xác thực."
            ),
            code="vneid_mismatch",
        )
    user = identity.record_verification(user=user, method=IdentityMethod.VNEID, acting_user=user)
    if user.birth_date is None:
        user.birth_date = person.birth_date
        user.save(update_fields=["birth_date"])
    return user


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

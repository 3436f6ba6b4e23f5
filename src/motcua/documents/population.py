"""Verifying a citizen account's identity with the national population database: the declared ID number, the
full name and the date of birth must all be what the database holds (`core.identity`, method
"population_db").

The answer never says which of the three did not match, nor whether the number exists: "not confirmed" is
one answer. Attempts per ID number are limited, so that a date of birth cannot be found by trying.
"""

import unicodedata
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from motcua.core import identity
from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.models import IdentityMethod, User
from motcua.core.ratelimit import count_hit
from motcua.documents import connectors
from motcua.documents.connectors import ConnectorUnavailable
from motcua.dossiers.models import ApplicantKind

ATTEMPTS_ALLOWED = 5
ATTEMPTS_WINDOW_SECONDS = 3600

NOT_CONFIRMED = _(
    "Cơ sở dữ liệu quốc gia về dân cư không xác nhận số định danh này với họ tên và ngày sinh đã nhập. "
    "Vui lòng kiểm tra lại đúng như trên thẻ căn cước, hoặc xác thực tại Bộ phận Một cửa hay qua VNeID."
)
UNAVAILABLE = _(
    "Chưa kết nối được Cơ sở dữ liệu quốc gia về dân cư. Vui lòng thử lại sau, hoặc xác thực tại Bộ phận "
    "Một cửa hay qua VNeID."
)
TOO_MANY = _(
    "Bạn đã thử xác thực quá nhiều lần với số định danh này. Vui lòng thử lại sau 1 giờ, hoặc xác thực tại "
    "Bộ phận Một cửa hay qua VNeID."
)


class PersonCheck(StrEnum):
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"  # unknown number, or another name or date of birth
    UNAVAILABLE = "unavailable"
    TOO_MANY = "too_many"


MESSAGES = {
    PersonCheck.NOT_CONFIRMED: NOT_CONFIRMED,
    PersonCheck.UNAVAILABLE: UNAVAILABLE,
    PersonCheck.TOO_MANY: TOO_MANY,
}


def same_name(a: str, b: str) -> bool:
    """Names compare with their diacritics (Vietnamese), ignoring case and spacing."""

    def norm(name: str) -> str:
        return " ".join(unicodedata.normalize("NFC", name).casefold().split())

    return bool(norm(a)) and norm(a) == norm(b)


def check_person(*, citizen_id: str, full_name: str, birth_date: date | None) -> PersonCheck:
    """Whether the population database holds `citizen_id` with this full name and date of birth."""
    citizen_id = citizen_id.strip()
    if birth_date is None:
        return PersonCheck.NOT_CONFIRMED
    try:
        person = connectors.query(kind=ApplicantKind.CITIZEN, id_number=citizen_id).person
    except ConnectorUnavailable:
        return PersonCheck.UNAVAILABLE
    # Every answered attempt counts, the right one too: past the limit the answer tells nothing.
    attempts = count_hit(f"documents:person-check:{citizen_id}", window_seconds=ATTEMPTS_WINDOW_SECONDS)
    if attempts > ATTEMPTS_ALLOWED:
        return PersonCheck.TOO_MANY
    if person is None or person.birth_date != birth_date or not same_name(person.full_name, full_name):
        return PersonCheck.NOT_CONFIRMED
    return PersonCheck.CONFIRMED


def verify_identity_with_population_db(*, user: User, birth_date: date | None) -> User:
    """Verify the account's declared number with its full name and `birth_date`; ValidationFailed with a
    message for people, and nothing changed, when the database does not confirm all three."""
    if identity.is_verified(user):
        return user
    if not user.citizen_id:
        raise ValidationFailed(
            _("Tài khoản chưa khai báo số định danh cá nhân (12 số)."), code="no_citizen_id"
        )
    check = check_person(citizen_id=user.citizen_id, full_name=user.get_full_name(), birth_date=birth_date)
    if check != PersonCheck.CONFIRMED:
        raise ValidationFailed(
            MESSAGES[check], code=f"population_{check}", fields={"birth_date": FieldError(check)}
        )
    user = identity.record_verification(user=user, method=IdentityMethod.POPULATION_DB, acting_user=user)
    if user.birth_date != birth_date:
        user.birth_date = birth_date
        user.save(update_fields=["birth_date"])
    return user

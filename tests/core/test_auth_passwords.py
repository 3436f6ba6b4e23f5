"""A password may not be the account's own ID number, user name or phone, nor a pattern guessed first."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from motcua.core.models import User

OWN = "Mật khẩu không được chứa số định danh, tên đăng nhập hay số điện thoại của bạn."


def refusals(password: str, user: User | None = None) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.fixture
def citizen() -> User:
    return User(username="nguyenvanan", citizen_id="040090001234", phone="0912345678")


@pytest.mark.parametrize("password", ["040090001234", "An@040090001234", "nguyenvanan!2026", "0912345678xy"])
def test_own_identifiers_are_refused(citizen, password):
    assert OWN in refusals(password, citizen)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaa", "xyzxyzxyz", "12345678", "abcdefghi", "qwertyuiop", "matkhau2026", "123456789"]
)
def test_common_patterns_are_refused(citizen, password):
    assert refusals(password, citizen)


def test_id_number_as_password_is_refused_when_it_is_set(db, citizen):
    citizen.save()
    form_errors = refusals("040090001234", citizen)
    assert OWN in form_errors
    assert "Mật khẩu này hoàn toàn là số." in form_errors  # Django's rule, in Vietnamese


def test_a_good_password_passes(citizen):
    assert refusals("Sen-vàng nở 2026", citizen) == []

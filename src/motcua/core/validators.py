"""Password rules of the province, on top of Django's (length, similarity, common list, not only digits).

A password must not contain the account's own identifiers — its ID number (the first thing anyone who
holds the citizen's papers would try), its user name or its phone number — nor be a pattern that
guessing lists try first: one character or a short group repeated, a run such as 12345678 or abcdefgh,
a keyboard row, or "matkhau"/"password" with digits.
"""

import itertools
import re
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv")
COMMON_WORDS = ("matkhau", "password", "admin", "motcua", "abc")
# Identifiers shorter than this are not looked for inside passwords ("an" would refuse half the words).
MIN_IDENTIFIER_LENGTH = 4


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_repetition(text: str) -> bool:
    """'aaaaaaaa', '12121212', 'abcabcabc': one group of at most three characters, repeated."""
    return any(
        len(text) >= 2 * size and text == text[:size] * (len(text) // size) + text[: len(text) % size]
        for size in (1, 2, 3)
    )


def _is_run(text: str) -> bool:
    """'12345678', '87654321', 'abcdefgh': each character the next (or previous) one of the last."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(text) >= 4 and steps in ({1}, {-1})


def _is_keyboard_walk(text: str) -> bool:
    return len(text) >= 4 and any(text in row or text in row[::-1] for row in KEYBOARD_ROWS)


def _is_word_and_digits(text: str) -> bool:
    """'matkhau123', '2026password': a common word with nothing but digits around it."""
    return any(re.fullmatch(rf"\d*{word}\d*", text) for word in COMMON_WORDS)


class PersonalDataPasswordValidator:
    """Refuses a password that contains the user's ID number, user name or phone, or a common pattern."""

    def validate(self, password: str, user: Any = None) -> None:
        plain = _letters_and_digits(password)
        for identifier in self._identifiers(user):
            if identifier in plain:
                raise ValidationError(
                    _("Mật khẩu không được chứa số định danh, tên đăng nhập hay số điện thoại của bạn."),
                    code="password_contains_identifier",
                )
        if plain and (
            _is_repetition(plain) or _is_run(plain) or _is_keyboard_walk(plain) or _is_word_and_digits(plain)
        ):
            raise ValidationError(
                _(
                    "Mật khẩu quá dễ đoán (ký tự lặp lại, dãy liên tiếp như 12345678, hàng phím, "
                    "hoặc “matkhau” kèm chữ số)."
                ),
                code="password_pattern",
            )

    @staticmethod
    def _identifiers(user: Any) -> list[str]:
        if user is None:
            return []
        values = (getattr(user, name, "") or "" for name in ("citizen_id", "username", "phone"))
        found = (_letters_and_digits(str(value)) for value in values)
        return [value for value in found if len(value) >= MIN_IDENTIFIER_LENGTH]

    def get_help_text(self) -> str:
        return _(
            "Mật khẩu không được chứa số định danh, tên đăng nhập, số điện thoại của bạn, và không được là "
            "một dãy dễ đoán."
        )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule in the province's words: Django 6.1 changed this message's msgid and its
    Vietnamese catalogue has no translation for the new one, so citizens read it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}

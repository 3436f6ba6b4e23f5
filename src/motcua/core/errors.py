"""Errors raised by services; the API and the web pages turn them into messages for people.

The contract, for every refused act: `code` (stable, snake_case) is for programs, `message` (a lazy
gettext string, Vietnamese source) is for people. The fields it concerns are `FieldError`s with the same
split: a `code` for programs ("required", "too_short") and, where the field needs its own words, a
`message` for people; without one, the error's own message is the field's. The API answers both
(`fields`: messages, `field_codes`: codes); the web forms show the messages."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise


@dataclass(frozen=True)
class FieldError:
    """A field's part in a refused act: `code` for programs, `message` for people (None: the error's)."""

    code: str
    message: str | Promise | None = None


def invalid_fields(messages: Mapping[str, str | Promise], code: str = "invalid") -> dict[str, FieldError]:
    """Fields checked together, each with its own message for people and one code for programs."""
    return {name: FieldError(code, message) for name, message in messages.items()}


class DomainError(Exception):
    """A refused act: nothing was changed."""

    code = "invalid"
    http_status = 400

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: Mapping[str, FieldError] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        if fields and not all(isinstance(f, FieldError) for f in fields.values()):
            raise TypeError("fields map a field's name to a FieldError (a code, and a message or none)")
        self.fields: dict[str, FieldError] = dict(fields or {})
        self.details = details

    def field_messages(self) -> dict[str, str]:
        """Each field's message for people (rendered in the active language)."""
        return {
            name: str(f.message if f.message is not None else self.message) for name, f in self.fields.items()
        }

    def field_codes(self) -> dict[str, str]:
        return {name: f.code for name, f in self.fields.items()}


class ValidationFailed(DomainError):
    code = "validation_failed"


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409


class ConflictError(DomainError):
    """Someone else changed the record since the caller loaded it."""

    code = "conflict"
    http_status = 409


def error_body(
    code: str,
    message: str | Promise,
    *,
    fields: dict[str, str] | None = None,
    field_codes: dict[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The API's error body (motcua.api.errors): `message` is a lazy gettext string (rendered per language)
    or an already rendered one."""
    with translation.override("vi"):
        message_vi = str(message)
    with translation.override("en"):
        message_en = str(message)
    body: dict[str, Any] = {
        "code": code,
        "message": str(message),  # the request's language (LocaleMiddleware: Accept-Language, cookie)
        "message_vi": message_vi,
        "message_en": message_en,
    }
    if fields:
        body["fields"] = fields
        body["field_codes"] = {name: (field_codes or {}).get(name, code) for name in fields}
    if details:
        body["details"] = details
    return body

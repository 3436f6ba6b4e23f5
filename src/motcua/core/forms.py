"""What the apps' forms share: showing an act refused by a service on the form, a field of several files."""

from typing import Any

from django import forms

from motcua.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused act on the form: its message on top, and the messages it gives per field on them
    (or on top, when the field is not on the form or already shows an error).

    A field whose `FieldError` has no message of its own is not repeated: the message on top says it.
    """
    form.add_error(None, str(error.message))
    for name, field in error.fields.items():
        if field.message is None or str(field.message) == str(error.message):
            continue
        text = str(field.message)
        if name in form.fields and name not in form.errors:
            form.add_error(name, text)
        else:
            form.add_error(None, text)


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several PDF, JPEG or PNG files (checked by `documents.storage` when stored)."""

    widget = _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(FilesField, self).clean(f, initial) for f in files]

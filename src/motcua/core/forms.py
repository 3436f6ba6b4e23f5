"""What the apps' forms share: showing an act refused by a service on the form."""

from django import forms

from motcua.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused act on the form: its message on top, and the messages it gives per field on them
    (or on top, when the field is not on the form or already shows an error).

    Services name fields either with a message for people or with a short machine code ("required");
    only the former is repeated.
    """
    form.add_error(None, str(error.message))
    fields = error.details.get("fields") or {}
    if not isinstance(fields, dict):
        return
    for name, message in fields.items():
        text = str(message)
        if " " not in text or text == str(error.message):
            continue
        if name in form.fields and name not in form.errors:
            form.add_error(name, text)
        else:
            form.add_error(None, text)

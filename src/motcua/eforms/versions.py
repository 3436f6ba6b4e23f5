"""A new version of a procedure (catalog.publication) keeps its declaration form: the form in use is carried
to the new version as that version's form 1, its declaration component and the paper components it stands
in for mapped to the new version's copies. A decision that replaces the components leaves those links
empty (the form's questions still apply; the administrator links the new components in the editor)."""

from typing import Any

from django.dispatch import receiver

from motcua.catalog.models import Procedure
from motcua.catalog.publication import version_created
from motcua.eforms.models import DeclarationForm


@receiver(version_created, dispatch_uid="eforms.carry_declaration_form")
def carry_declaration_form(
    sender: Any, *, previous: Procedure, procedure: Procedure, components: dict[int, int], **kwargs: Any
) -> None:
    form = DeclarationForm.objects.filter(procedure=previous, is_active=True).first()
    if form is None:
        return
    carried = DeclarationForm.objects.create(
        procedure=procedure,
        version=1,
        schema=form.schema,
        legal_form=form.legal_form,
        component_id=components.get(form.component_id) if form.component_id is not None else None,
        is_active=True,
        created_by=form.created_by,
    )
    carried.replaces.set(
        [components[c] for c in form.replaces.values_list("pk", flat=True) if c in components]
    )

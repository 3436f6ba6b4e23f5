"""A new version of a procedure (catalog.publication) keeps the document types of the version it copies: each
copied component asks for the same document type, and the result is filed under the same type, so the
once-only reuse and the e-result work the same under the new version. Components a decision replaces are
new: their types are set anew in the admin."""

from typing import Any

from django.dispatch import receiver

from motcua.catalog.models import Procedure
from motcua.catalog.publication import version_created
from motcua.documents.models import ComponentDocumentType, ProcedureResultType


@receiver(version_created, dispatch_uid="documents.carry_document_types")
def carry_document_types(
    sender: Any, *, previous: Procedure, procedure: Procedure, components: dict[int, int], **kwargs: Any
) -> None:
    links = ComponentDocumentType.objects.filter(procedure_component_id__in=components)
    ComponentDocumentType.objects.bulk_create(
        ComponentDocumentType(
            procedure_component_id=components[link.procedure_component_id],
            document_type_id=link.document_type_id,
        )
        for link in links
    )
    result = ProcedureResultType.objects.filter(procedure=previous).first()
    if result is not None:
        ProcedureResultType.objects.create(procedure=procedure, document_type_id=result.document_type_id)

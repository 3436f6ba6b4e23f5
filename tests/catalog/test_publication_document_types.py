"""An amended procedure's new version keeps the document types of its components and of its result."""

from datetime import date

from motcua.catalog import publication
from motcua.documents.models import ComponentDocumentType, DocumentType, ProcedureResultType


def test_the_new_version_keeps_the_document_types(province):
    form, certificate = (
        DocumentType.objects.create(code="TK", name="Tờ khai"),
        DocumentType.objects.create(code="GKS", name="Giấy khai sinh"),
    )
    first = province.birth.components.get(position=1)
    ComponentDocumentType.objects.create(procedure_component=first, document_type=form)
    ProcedureResultType.objects.create(procedure=province.birth, document_type=certificate)
    decision = publication.record_decision(
        number="50/QĐ-UBND",
        signed_on=date(2027, 3, 1),
        signer="Chủ tịch",
        effective_on=date(2027, 3, 15),
        acting_user=None,
    )
    v2 = publication.amend(
        procedure=province.birth, changes={"name": "Khai sinh"}, decision=decision, today=date(2027, 3, 1)
    )
    links = ComponentDocumentType.objects.filter(procedure_component__procedure=v2)
    assert [(link.procedure_component.position, link.document_type.code) for link in links] == [(1, "TK")]
    assert ProcedureResultType.objects.get(procedure=v2).document_type == certificate
    # The first version keeps its own.
    assert ComponentDocumentType.objects.get(procedure_component=first).document_type == form

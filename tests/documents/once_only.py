"""Set-up shared by the once-only, connector and e-result tests: document types mapped onto the test
province's procedures, the reference registers, files stored under a temporary media root and PKI."""

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import ProcedureComponent
from motcua.core.models import User
from motcua.documents import services as documents
from motcua.documents.models import (
    ComponentDocumentType,
    DataStoreItem,
    DocumentType,
    ProcedureResultType,
    ReferenceBusiness,
    ReferencePerson,
)
from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.dossiers.states import Status
from tests.dossiers.helpers import dossier_in
from tests.factories import Province
from tests.support.pdfs import scanned_pdf

OFFLINE = "motcua.documents.connectors.OfflinePopulationConnector"
AN = "040090001234"


@dataclass
class OnceOnly:
    p: Province
    id_card: ProcedureComponent  # birth registration asks for the ID card (CCCD)
    birth_certificate: ProcedureComponent  # nationality confirmation asks for the birth certificate
    cccd: DocumentType
    gks: DocumentType

    def intake(self, procedure=None, unit=None, *, without: tuple[ProcedureComponent, ...] = (), **applicant):
        intake = self.p.intake(procedure, unit, **applicant)
        skipped = {c.pk for c in without}
        kept = [c for c in intake.components if c.component_id not in skipped]
        return services.Intake(
            procedure=intake.procedure,
            applicant=intake.applicant,
            receiving_unit=intake.receiving_unit,
            components=kept,
        )


def scan(label: str = "CCCD") -> SimpleUploadedFile:
    return scanned_pdf(f"{label}.pdf", f"Ban quet {label}")


def counter_only(once: OnceOnly) -> None:
    """Mr An has been to the counter, never to the portal: no account holds his number."""
    User.objects.filter(pk=once.p.citizen.pk).update(citizen_id="", identity_verified_at=None)


def an_has_a_store(once: OnceOnly) -> tuple[DataStoreItem, DataStoreItem]:
    """His ID card scanned at the counter and his birth certificate issued as a signed e-result."""
    p = once.p
    first = services.receive(intake=once.intake(), channel=Channel.COUNTER, acting_user=p.counter)
    stored = documents.store_upload(uploaded=scan(), acting_user=p.counter)
    id_card = first.components.get(name__startswith="Thẻ căn cước")
    documents.attach_files(component=id_card, files=[stored], acting_user=p.counter)
    birth = dossier_in(p, Status.FINISHED)
    documents.issue_electronic_result(dossier=birth, acting_user=p.leader)
    return (
        DataStoreItem.objects.get(owner_id_number=AN, source=DataStoreItem.Source.DIGITISED),
        DataStoreItem.objects.get(owner_id_number=AN, source=DataStoreItem.Source.RESULT),
    )


def set_up_once_only(province: Province) -> OnceOnly:
    """Document types mapped onto the test province's procedures and the reference registers' rows."""
    cccd = DocumentType.objects.create(code="CCCD", name="Thẻ căn cước", from_population_db=True)
    gks = DocumentType.objects.create(code="GKS", name="Giấy khai sinh")
    id_card = ProcedureComponent.objects.create(
        procedure=province.birth, position=3, name="Thẻ căn cước (xuất trình)", form="present"
    )
    birth_certificate = ProcedureComponent.objects.create(
        procedure=province.nationality, position=3, name="Giấy khai sinh", form="copy"
    )
    ComponentDocumentType.objects.create(procedure_component=id_card, document_type=cccd)
    ComponentDocumentType.objects.create(procedure_component=birth_certificate, document_type=gks)
    ProcedureResultType.objects.create(procedure=province.birth, document_type=gks)
    ReferencePerson.objects.create(
        citizen_id=AN,
        full_name="Nguyễn Văn An",
        birth_date=date(1990, 5, 12),
        gender="Nam",
        permanent_address="Phường Thành Vinh, tỉnh Nghệ An",
        id_card_issued_at=date(2021, 4, 2),
    )
    ReferenceBusiness.objects.create(
        tax_code="2901234567",
        name="Công ty TNHH Thương mại Sen Vàng Nghệ An",
        head_office_address="Phường Thành Vinh, tỉnh Nghệ An",
        legal_representative="Nguyễn Văn An",
    )
    return OnceOnly(province, id_card, birth_certificate, cccd, gks)

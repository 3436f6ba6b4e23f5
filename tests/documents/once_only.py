"""Set-up shared by the once-only, connector and e-result tests: document types mapped onto the test
province's procedures, the reference registers, files stored under a temporary media root and PKI."""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen.canvas import Canvas

from motcua.catalog.models import ProcedureComponent
from motcua.documents.models import (
    DocumentType,
)
from motcua.dossiers import services
from tests.factories import Province

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
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, f"Ban quet {label}")
    canvas.showPage()
    canvas.save()
    return SimpleUploadedFile(f"{label}.pdf", buffer.getvalue(), content_type="application/pdf")

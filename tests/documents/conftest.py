"""Fixtures of the once-only, connector and e-result tests (see `once_only.py`)."""

from datetime import date

import pytest

from motcua.catalog.models import ProcedureComponent
from motcua.documents.models import (
    ComponentDocumentType,
    DocumentType,
    ProcedureResultType,
    ReferenceBusiness,
    ReferencePerson,
)

from .once_only import AN, OnceOnly


@pytest.fixture
def isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    return tmp_path


@pytest.fixture
def once(province, isolated_files) -> OnceOnly:
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

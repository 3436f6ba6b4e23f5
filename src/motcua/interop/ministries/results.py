"""A ministry's result document as the dossier's e-result: signed with the issuing unit's certificate
(pyHanko, `documents.signing`, as `documents.results` signs its own), stored, and, once the result is
issued, recorded as the dossier's electronic result and filed in the applicant's e-data store.

`documents.results` has no entry for a result document made elsewhere; this module writes its
`ElectronicResult` row the way `issue_electronic_result` does (then that function, run after the act's
commit, finds it and renders no generic notice).
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.core.models import User
from motcua.documents import datastore, signing, storage
from motcua.documents.models import ElectronicResult, StoredFile
from motcua.documents.results import issuing_unit, result_file_name, result_type
from motcua.dossiers.models import Dossier
from motcua.interop.models import MinistryCase


@dataclass(frozen=True)
class Signed:
    stored_file: StoredFile
    certificate_serial: str
    signed_at: datetime


def sign_and_store(*, case: MinistryCase, pdf: bytes, number: str) -> Signed:
    dossier = case.dossier
    unit = issuing_unit(dossier)
    signed_at = timezone.now()
    with translation.override("vi"):
        reason = _("Ký số kết quả %(number)s của hồ sơ %(code)s") % {"number": number, "code": dossier.code}
    data, credentials = signing.sign_pdf(pdf, unit=unit, reason=reason, location=unit.name)
    stored = storage.store_upload(
        uploaded=SimpleUploadedFile(result_file_name(dossier), data, content_type="application/pdf"),
        acting_user=case.requested_by,
    )
    return Signed(stored, credentials.serial_hex, signed_at)


def file_as_result(*, case: MinistryCase, dossier: Dossier, acting_user: User) -> ElectronicResult | None:
    if case.result_file is None or ElectronicResult.objects.filter(dossier=dossier).exists():
        return None
    unit = issuing_unit(dossier)
    signed_at = case.signed_at or timezone.now()
    result = ElectronicResult.objects.create(
        dossier=dossier,
        stored_file=case.result_file,
        signed_by_unit=unit,
        signed_at=signed_at,
        certificate_serial=case.certificate_serial,
        issued_by=acting_user,
    )
    case.result_file.upload_name = result_file_name(dossier)  # the name the store shows (not a column)
    datastore.save_result(
        dossier=dossier,
        stored_file=case.result_file,
        doc_type=result_type(dossier),
        unit=unit,
        signed_at=signed_at,
    )
    return result

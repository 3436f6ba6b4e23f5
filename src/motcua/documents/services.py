"""The acts on documents: attaching stored files to dossier components, pre-filling the applicant from the
national database; the facade of the documents app for the other apps.

File storage (checking, sniffing, size and pixel limits, writing the blob once by SHA-256, serving it) is
in `storage`; the legal slips in `slips`; the applicant's electronic data store, national database look-ups,
identity checks against the population database and signed e-results in `datastore`, `connectors`,
`population`, `signing` and `results`. Their public functions are re-exported here: other apps import
`documents.services`, modules of this app import the module itself.
"""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.documents.connectors import ApplicantLookup, ConnectorUnavailable, prefill
from motcua.documents.datastore import attach_reusable, lookup_applicant, save_digitised
from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.population import MESSAGES as PERSON_CHECK_MESSAGES
from motcua.documents.population import PersonCheck, check_person, verify_identity_with_population_db
from motcua.documents.results import (
    SignedResult,
    issue_electronic_result,
    issue_supplied_result,
    result_file_name,
    sign_supplied_result,
    verification_url,
)
from motcua.documents.slips import (
    SLIP_TITLES,
    SLIPS,
    apology_slip,
    control_slip,
    receipt_slip,
    refusal_slip,
    slip_filename,
    supplement_request_slip,
    tracking_book,
    tracking_url,
)
from motcua.documents.storage import file_response, max_upload_bytes, store_upload, upload_name
from motcua.documents.verification import DocumentCheck, verify_document, verify_dossier_code
from motcua.dossiers.models import DossierComponent
from motcua.dossiers.selectors import visible_dossiers

__all__ = [
    "PERSON_CHECK_MESSAGES",
    "SLIPS",
    "SLIP_TITLES",
    "ApplicantLookup",
    "ConnectorUnavailable",
    "DocumentCheck",
    "PersonCheck",
    "SignedResult",
    "apology_slip",
    "attach_files",
    "attach_reusable",
    "check_person",
    "control_slip",
    "file_response",
    "issue_electronic_result",
    "issue_supplied_result",
    "lookup_applicant",
    "max_upload_bytes",
    "prefill_applicant",
    "receipt_slip",
    "refusal_slip",
    "result_file_name",
    "save_digitised",
    "sign_supplied_result",
    "slip_filename",
    "store_upload",
    "supplement_request_slip",
    "tracking_book",
    "tracking_url",
    "upload_name",
    "verification_url",
    "verify_document",
    "verify_dossier_code",
    "verify_identity_with_population_db",
]


def attach_files(
    *,
    component: DossierComponent,
    files: list[StoredFile],
    acting_user: User,
    kind: str = ComponentFile.Kind.SCAN,
    names: Mapping[int, str] | None = None,
) -> list[ComponentFile]:
    """Attach stored files to a dossier component, digitised now by `acting_user` (attaching twice is a
    no-op). The user must see the dossier; an applicant attaches only their own uploads. A scan or upload
    of a component that names a document type is also saved to the applicant's electronic data store.

    Each attachment keeps its own file name: `names[stored.pk]`, else the name of the upload that returned
    `stored` (`store_upload`), else the blob's first name only if `acting_user` uploaded it first."""
    if kind not in ComponentFile.Kind.values:
        raise ValidationFailed(
            _("Loại tệp đính kèm không hợp lệ."), code="bad_kind", fields={"kind": FieldError("invalid")}
        )
    if not visible_dossiers(acting_user).filter(pk=component.dossier_id).exists() or (
        acting_user.role == Role.CITIZEN and kind != ComponentFile.Kind.UPLOAD
    ):
        raise PermissionDenied(_("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    now = timezone.now()
    attached = []
    with transaction.atomic():
        for stored in files:
            link, _created = ComponentFile.objects.get_or_create(
                dossier_component=component,
                stored_file=stored,
                kind=kind,
                defaults={
                    "digitised_by": acting_user,
                    "digitised_at": now,
                    "file_name": _name_for(stored, acting_user, names),
                },
            )
            save_digitised(link=link)
            attached.append(link)
    return attached


def _name_for(stored: StoredFile, acting_user: User, names: Mapping[int, str] | None) -> str:
    if names and names.get(stored.pk):
        return names[stored.pk][:255]
    if stored.upload_name:
        return stored.upload_name
    return stored.original_name if stored.created_by_id == acting_user.pk else ""


def prefill_applicant[A](*, applicant: A, acting_user: User) -> tuple[A, ApplicantLookup]:
    """The applicant (`dossiers.services.Applicant`) with the empty name and address filled from the
    national database, and the look-up (show "not available, enter by hand" when `available` is False).
    What the officer or citizen typed is kept."""
    lookup = lookup_applicant(
        kind=applicant.kind,  # type: ignore[attr-defined]
        id_number=applicant.id_number,  # type: ignore[attr-defined]
        acting_user=acting_user,
    )
    return prefill(applicant, lookup), lookup

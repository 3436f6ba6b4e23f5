"""Reads of the documents app for pages and the API: which slips a dossier has, its files, what the
applicant's electronic data store can provide, its e-result, and the digitisation and reuse rates."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from motcua.catalog.models import Procedure
from motcua.core import identity
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.documents.datastore import Provision, may_reuse, provisions
from motcua.documents.models import ComponentFile, DataStoreItem, DataStoreReuse, ElectronicResult
from motcua.documents.slips.content import latest_event
from motcua.documents.slips.reception import REFUSAL_ACTS, supplement_source
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import reschedule_of, visible_dossiers
from motcua.dossiers.states import Status

__all__ = [
    "DigitisationRates",
    "Provision",
    "available_slips",
    "data_store_items",
    "digitisation_rates",
    "dossier_files",
    "electronic_result_of",
    "reusable_component_ids",
    "reusable_components",
    "store_files_withheld",
]


def available_slips(dossier: Dossier) -> list[str]:
    """The kinds of `documents.slips.SLIPS` that the dossier's records can fill now, in form order."""
    kinds = []
    if dossier.received_at is not None and dossier.appointment_at is not None:
        kinds.append("tiep-nhan")
    if supplement_source(dossier) is not None:
        kinds.append("bo-sung")
    if latest_event(dossier, *REFUSAL_ACTS) is not None:
        kinds.append("tu-choi")
    if reschedule_of(dossier) is not None:
        kinds.append("xin-loi")
    if dossier.status != Status.DRAFT:
        kinds.append("kiem-soat")
    return kinds


# What an applicant's account sees of a dossier only once its identity is verified for the applicant's number:
# documents taken from the e-data store and the signed e-result (which goes into that store).
FROM_THE_STORE = (ComponentFile.Kind.REUSED, ComponentFile.Kind.RESULT)


def dossier_files(*, dossier: Dossier, acting_user: User) -> QuerySet[ComponentFile]:
    """The files attached to the dossier's components, for a user who may see the dossier (else none); a
    citizen account sees the reused documents and the e-result only when verified for the applicant."""
    files = ComponentFile.objects.filter(dossier_component__dossier=dossier).select_related(
        "dossier_component", "stored_file", "digitised_by"
    )
    if not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        return files.none()
    if not _sees_store_of(acting_user, dossier):
        return files.exclude(kind__in=FROM_THE_STORE)
    return files


def store_files_withheld(*, dossier: Dossier, acting_user: User) -> bool:
    """Whether the dossier has reused documents or an e-result that `acting_user` may not download until
    their account's identity is verified (pages say so instead of hiding it silently)."""
    if _sees_store_of(acting_user, dossier):
        return False
    return ComponentFile.objects.filter(dossier_component__dossier=dossier, kind__in=FROM_THE_STORE).exists()


def _sees_store_of(user: User, dossier: Dossier) -> bool:
    return user.role != Role.CITIZEN or identity.verifies(user, dossier.applicant_id_number)


def reusable_components(
    *, procedure: Procedure, applicant_kind: str, id_number: str, acting_user: User
) -> dict[int, Provision]:
    """Procedure component id → what the system holds for it (a valid item of the applicant's data store,
    or the population database): the intake form shows these as "reused from data store", not as asks."""
    return provisions(
        procedure=procedure, applicant_kind=applicant_kind, id_number=id_number, acting_user=acting_user
    )


def reusable_component_ids(
    *, procedure: Procedure, applicant_kind: str, id_number: str, acting_user: User
) -> set[int]:
    return set(
        reusable_components(
            procedure=procedure, applicant_kind=applicant_kind, id_number=id_number, acting_user=acting_user
        )
    )


def data_store_items(*, id_number: str, acting_user: User) -> QuerySet[DataStoreItem]:
    """The applicant's data store, for the applicant themself or an officer (else nothing)."""
    items = DataStoreItem.objects.filter(owner_id_number=id_number.strip()).select_related(
        "document_type", "stored_file", "issuer_unit", "source_dossier"
    )
    return items if may_reuse(acting_user, id_number) else items.none()


def electronic_result_of(*, dossier: Dossier, acting_user: User) -> ElectronicResult | None:
    if not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        return None
    if not _sees_store_of(acting_user, dossier):
        return None
    return (
        ElectronicResult.objects.filter(dossier=dossier)
        .select_related("stored_file", "signed_by_unit")
        .first()
    )


@dataclass(frozen=True)
class DigitisationRates:
    """Counts behind Decision 766 indicators 5.x over dossiers received (status 1 and up, not refused at
    the counter): with at least one digitised input; needing a result (9, 10) and with an e-result; reusing
    data the system held; reused components and e-results saved to the store."""

    dossiers: int
    digitised_inputs: int
    needing_result: int
    with_e_result: int
    reusing: int
    reused_components: int
    results_in_store: int

    @staticmethod
    def ratio(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def digitisation_rate(self) -> float | None:
        return self.ratio(self.digitised_inputs, self.dossiers)

    @property
    def e_result_rate(self) -> float | None:
        return self.ratio(self.with_e_result, self.needing_result)

    @property
    def reuse_rate(self) -> float | None:
        return self.ratio(self.reusing, self.dossiers)


def digitisation_rates(*, since: datetime | None = None, until: datetime | None = None) -> DigitisationRates:
    """Province-wide rates (quality reads these; scope by unit is the caller's filter on `Dossier`)."""
    dossiers = Dossier.objects.exclude(status__in=[Status.DRAFT, Status.NOT_ACCEPTED])
    if since is not None:
        dossiers = dossiers.filter(submitted_at__gte=since)
    if until is not None:
        dossiers = dossiers.filter(submitted_at__lt=until)
    digitised = ComponentFile.objects.filter(
        dossier_component__dossier=OuterRef("pk"), kind__in=ComponentFile.DIGITISED
    )
    reused = DataStoreReuse.objects.filter(dossier=OuterRef("pk"))
    needing = dossiers.filter(status__in=[Status.FINISHED, Status.RETURNED])
    return DigitisationRates(
        dossiers=dossiers.count(),
        digitised_inputs=dossiers.filter(Exists(digitised)).count(),
        needing_result=needing.count(),
        with_e_result=needing.filter(electronic_result__isnull=False).count(),
        reusing=dossiers.filter(Exists(reused)).count(),
        reused_components=DataStoreReuse.objects.filter(dossier__in=dossiers).count(),
        results_in_store=DataStoreItem.objects.filter(
            source=DataStoreItem.Source.RESULT, source_dossier__in=dossiers
        ).count(),
    )

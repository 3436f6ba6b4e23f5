"""The applicant's electronic data store and once-only reuse (Decree 45/2020; docs/domain.md "Once-only").

What goes in:
- every digitised component file (a counter scan, an online upload) whose component maps to a document
  type (`save_digitised`, called by `services.attach_files`);
- every signed e-result (`save_result`, called by `results.issue_electronic_result`);
- what the national population database confirms (the ID card, `from_population_db` types, no file).

What comes out: at intake, a component whose document type the store holds in a valid version (or the
population database provides) is attached automatically, marked provided with a note, and counted
(`DataStoreReuse`); validation does not ask for it (`reusable_component_ids`).

Who may reuse. Attaching the store's files to a dossier shows them to whoever sees the dossier, so reuse is
for officers (a counter officer receiving a paper dossier has the applicant's ID card in hand: that is the
counter verification of the applicant for that dossier), connected systems (the national portal
authenticates through VNeID) and a citizen account whose identity is *verified* for that very number
(`core.identity`). A number only declared at registration gives nothing: an online dossier of an unverified
account reuses nothing, and anyone typing a stranger's ID number gets nothing.
"""

import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core import identity
from motcua.core.errors import PermissionDenied
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.documents import connectors
from motcua.documents.connectors import ApplicantLookup, ConnectorUnavailable
from motcua.documents.models import (
    ComponentDocumentType,
    ComponentFile,
    DataStoreItem,
    DataStoreReuse,
    DocumentType,
    StoredFile,
)
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, DossierComponent
from motcua.dossiers.states import Status
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles

log = logging.getLogger(__name__)

RETRY_LOOKUP = "documents.national_lookup"
REUSED_NOTE = "Tái sử dụng từ kho dữ liệu điện tử"
NATIONAL_DB_NOTE = "Khai thác từ Cơ sở dữ liệu quốc gia về dân cư"
LOOKUP_CACHE_SECONDS = 300
DOWN_CACHE_SECONDS = 30


def today() -> date:
    return timezone.localdate()


# --- saving into the store ---------------------------------------------------------------------------


def save_digitised(*, link: ComponentFile, issued_at: date | None = None) -> DataStoreItem | None:
    """File a digitised component file (scan or upload) in its applicant's store; None when the component
    has no document type, the dossier was refused, or the uploader is a citizen account not verified for the
    applicant's number. Saving the same file twice returns the same item.

    Validity: types without a limit stay valid; a limited type (judicial record...) counts from `issued_at`,
    and without it only on the day of digitisation (an unknown issue date cannot prove a later validity)."""
    if link.kind not in ComponentFile.DIGITISED:
        return None
    component = link.dossier_component
    dossier = component.dossier
    doc_type = document_type_of(component)
    if doc_type is None or dossier.status == Status.NOT_ACCEPTED:
        return None
    if not may_reuse(link.digitised_by, dossier.applicant_id_number):
        return None  # an upload by an account only declaring the number is no document of that person's
    day = timezone.localdate(link.digitised_at)
    item, _created = DataStoreItem.objects.get_or_create(
        owner_id_number=dossier.applicant_id_number,
        document_type=doc_type,
        stored_file=link.stored_file,
        defaults={
            "owner_user": dossier.applicant_user,
            "file_name": link.file_name,
            "issued_at": issued_at,
            "valid_from": day,
            "valid_until": _valid_until(doc_type, issued_at or day, known=issued_at is not None),
            "source": DataStoreItem.Source.DIGITISED,
            "source_dossier": dossier,
        },
    )
    return item


def save_result(
    *, dossier: Dossier, stored_file: StoredFile, doc_type: DocumentType, unit: OrgUnit, signed_at: datetime
) -> DataStoreItem:
    """File a signed e-result in its applicant's store (every e-result is saved back, docs/domain.md)."""
    day = timezone.localdate(signed_at)
    item, _created = DataStoreItem.objects.get_or_create(
        owner_id_number=dossier.applicant_id_number,
        document_type=doc_type,
        stored_file=stored_file,
        defaults={
            "owner_user": dossier.applicant_user,
            "file_name": stored_file.upload_name,
            "issuer_unit": unit,
            "issuer": unit.name,
            "issued_at": day,
            "valid_from": day,
            "valid_until": _valid_until(doc_type, day, known=True),
            "source": DataStoreItem.Source.RESULT,
            "source_dossier": dossier,
        },
    )
    return item


def save_national(*, lookup: ApplicantLookup) -> list[DataStoreItem]:
    """Record what the population database confirmed: one item per `from_population_db` type, no file."""
    person = lookup.person
    if person is None:
        return []
    items = []
    for doc_type in DocumentType.objects.filter(from_population_db=True):
        issued = person.id_card_issued_at
        item, _created = DataStoreItem.objects.update_or_create(
            owner_id_number=person.citizen_id,
            document_type=doc_type,
            stored_file=None,
            source=DataStoreItem.Source.NATIONAL_DB,
            defaults={
                "issuer": str(_("Cơ sở dữ liệu quốc gia về dân cư")),
                "issued_at": issued,
                "valid_from": min(issued or today(), today()),
                "valid_until": None,
            },
        )
        items.append(item)
    return items


def _valid_until(doc_type: DocumentType, start: date, *, known: bool) -> date | None:
    if doc_type.validity_days is None:
        return None
    return start + timedelta(days=doc_type.validity_days) if known else start


def document_type_of(component: DossierComponent) -> DocumentType | None:
    if component.procedure_component_id is None:
        return None
    link = (
        ComponentDocumentType.objects.filter(procedure_component_id=component.procedure_component_id)
        .select_related("document_type")
        .first()
    )
    return link.document_type if link else None


# --- the national databases ----------------------------------------------------------------------------


def lookup_applicant(
    *, kind: str, id_number: str, acting_user: User, dossier: Dossier | None = None
) -> ApplicantLookup:
    """Ask the national database about an applicant, for pre-filling and once-only. A down connector
    returns `available=False` (reception goes on with manual entry) and queues a retry in the outbox."""
    if not may_reuse(acting_user, id_number):
        raise PermissionDenied(
            _("Bạn chỉ được tra cứu thông tin của chính mình, khi tài khoản đã được xác thực danh tính.")
        )
    id_number = id_number.strip()
    try:
        return _query(kind, id_number)
    except ConnectorUnavailable as exc:
        log.warning("national database unavailable (%s): retry queued (%s)", kind, type(exc).__name__)
        enqueue(RETRY_LOOKUP, {"kind": kind, "id_number": id_number, "dossier_id": dossier and dossier.pk})
        return ApplicantLookup(kind=kind, id_number=id_number, available=False)


def _query(kind: str, id_number: str) -> ApplicantLookup:
    """The connector's answer, kept a few minutes (validation and attachment of one intake ask twice) and
    recorded in the store; raises ConnectorUnavailable, at once for a short while after a failure."""
    key, down = f"documents:lookup:{kind}:{id_number}", f"documents:lookup-down:{kind}"
    cached: ApplicantLookup | None = cache.get(key)
    if cached is not None:
        return cached
    if cache.get(down):  # failed a moment ago: do not wait on it again inside the intake's transaction
        raise ConnectorUnavailable("recently unavailable")
    try:
        lookup = connectors.query(kind=kind, id_number=id_number)
    except ConnectorUnavailable:
        cache.set(down, True, DOWN_CACHE_SECONDS)
        raise
    save_national(lookup=lookup)
    cache.set(key, lookup, LOOKUP_CACHE_SECONDS)
    return lookup


@handles(RETRY_LOOKUP, atomic=False)
def retry_lookup(message: OutboxMessage) -> None:
    """Retry a failed look-up (the outbox backs off until it succeeds): record what the database confirms
    and give the dossier it was for the components the database provides. The national database is asked
    before the transaction: no lock is held while it answers."""
    payload = message.payload
    lookup = connectors.query(kind=payload["kind"], id_number=payload["id_number"])  # raises: retried
    with transaction.atomic():
        _record_retried_lookup(lookup, payload)


def _record_retried_lookup(lookup: ApplicantLookup, payload: dict[str, Any]) -> None:
    save_national(lookup=lookup)
    dossier_id = payload.get("dossier_id")
    dossier = Dossier.objects.filter(pk=dossier_id).first() if dossier_id else None
    if (
        dossier is not None
        and dossier.status not in (Status.NOT_ACCEPTED, Status.WITHDRAWN)
        and dossier_may_reuse(dossier)
    ):
        _attach_from_store(dossier, only_national=True)


def may_reuse(user: User, id_number: str) -> bool:
    """Whether `user` may see what the system holds about the applicant `id_number` (module docstring):
    an officer or a connected system, or the citizen account verified for that number."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role != Role.CITIZEN:
        return True
    return identity.verifies(user, id_number)


def dossier_may_reuse(dossier: Dossier) -> bool:
    """For work done later on a dossier (a retried look-up): a paper dossier was received by an officer who
    saw the ID card; an online dossier of a citizen account reuses only when that account is verified for
    the applicant's number."""
    user = dossier.applicant_user
    if Channel(dossier.channel).is_paper or user is None or user.role != Role.CITIZEN:
        return True
    return identity.verifies(user, dossier.applicant_id_number)


# --- reuse at intake -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Provision:
    """A component the system can provide itself: from a store item, or the population database."""

    component_id: int
    document_type: DocumentType
    item: DataStoreItem

    @property
    def note(self) -> str:
        return NATIONAL_DB_NOTE if self.item.source == DataStoreItem.Source.NATIONAL_DB else REUSED_NOTE


def provisions(
    *, procedure: Procedure, applicant_kind: str, id_number: str, acting_user: User, on: date | None = None
) -> dict[int, Provision]:
    """Procedure component id → what the system already holds for it, for this applicant."""
    id_number = id_number.strip()
    if not id_number or not may_reuse(acting_user, id_number):
        return {}
    links = list(
        ComponentDocumentType.objects.filter(procedure_component__procedure=procedure).select_related(
            "document_type"
        )
    )
    if not links:
        return {}
    if applicant_kind == ApplicantKind.CITIZEN and any(
        link.document_type.from_population_db for link in links
    ):
        with suppress(ConnectorUnavailable):  # the store may still hold it; the intake queues the retry
            _query(applicant_kind, id_number)
    return _provisions_from_store(links, id_number, on or today())


def _provisions_from_store(
    links: list[ComponentDocumentType], id_number: str, on: date
) -> dict[int, Provision]:
    items = DataStoreItem.objects.filter(
        owner_id_number=id_number, document_type__in=[link.document_type_id for link in links]
    ).select_related("stored_file")
    best: dict[int, DataStoreItem] = {}
    for item in items:
        if not item.is_valid_on(on):
            continue
        current = best.get(item.document_type_id)
        if current is None or _preference(item) > _preference(current):
            best[item.document_type_id] = item
    return {
        link.procedure_component_id: Provision(link.procedure_component_id, link.document_type, chosen)
        for link in links
        if (chosen := best.get(link.document_type_id)) is not None
    }


def _preference(item: DataStoreItem) -> tuple[int, date, int]:
    """The national database first (authoritative), then the latest issued or digitised copy."""
    national = int(item.source == DataStoreItem.Source.NATIONAL_DB)
    return national, item.issued_at or item.valid_from, item.pk


def attach_reusable(*, dossier: Dossier, acting_user: User) -> list[DataStoreReuse]:
    """At intake: attach what the store holds to the dossier's components not provided, mark them provided
    ("Tái sử dụng từ kho dữ liệu điện tử"), count each reuse. Queues a look-up retry when the population
    database is down. Call inside the intake's transaction."""
    if dossier.status == Status.NOT_ACCEPTED or not may_reuse(acting_user, dossier.applicant_id_number):
        return []
    links = _links(dossier)
    if dossier.applicant_kind == ApplicantKind.CITIZEN and any(
        link.document_type.from_population_db for link in links
    ):
        lookup_applicant(
            kind=dossier.applicant_kind,
            id_number=dossier.applicant_id_number,
            acting_user=acting_user,
            dossier=dossier,
        )
    return _attach_from_store(dossier, acting_user=acting_user, links=links)


def _links(dossier: Dossier) -> list[ComponentDocumentType]:
    """The document types the dossier's procedure components may be taken from."""
    return list(
        ComponentDocumentType.objects.filter(
            procedure_component__procedure_id=dossier.procedure_id
        ).select_related("document_type")
    )


def _attach_from_store(
    dossier: Dossier,
    *,
    acting_user: User | None = None,
    only_national: bool = False,
    links: list[ComponentDocumentType] | None = None,
) -> list[DataStoreReuse]:
    links = _links(dossier) if links is None else links
    found = _provisions_from_store(links, dossier.applicant_id_number, today()) if links else {}
    if not found:
        return []
    now = timezone.now()
    reuses = []
    with transaction.atomic():
        pending = dossier.components.filter(provided=False, procedure_component_id__in=found.keys())
        for component in pending.select_for_update():
            assert component.procedure_component_id is not None  # `pending` has only the ids of `found`
            provision = found[component.procedure_component_id]
            item = provision.item
            if only_national and item.source != DataStoreItem.Source.NATIONAL_DB:
                continue
            component.provided, component.note = True, provision.note
            component.save(update_fields=["provided", "note"])
            if item.stored_file is not None:
                digitiser = acting_user or item.stored_file.created_by
                # Only a retried look-up attaches without an acting user, and only national items, which
                # have no file.
                assert digitiser is not None
                ComponentFile.objects.get_or_create(
                    dossier_component=component,
                    stored_file=item.stored_file,
                    kind=ComponentFile.Kind.REUSED,
                    defaults={
                        "digitised_by": digitiser,
                        "digitised_at": now,
                        "file_name": item.file_name,  # the owner's own name of it, as filed
                    },
                )
            reuse, _created = DataStoreReuse.objects.get_or_create(
                dossier_component=component,
                defaults={
                    "dossier": dossier,
                    "document_type": provision.document_type,
                    "source": item.source,
                    "item": item,
                    "reused_at": now,
                },
            )
            reuses.append(reuse)
    return reuses

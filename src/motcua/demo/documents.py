"""Demo data of the documents app: document types and their mapping to the demo procedures' components and
results, the reference registers behind the local national-database connectors, and e-results for the demo
dossiers that have their result.

Called by `motcua demo` (idempotent): `seed_documents_demo()` after the procedures are loaded and before the
demo dossiers (so their intake already reuses), `issue_demo_results()` after the dossiers.
"""

from dataclasses import dataclass
from datetime import date

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.identity import record_verification
from motcua.core.models import IdentityMethod, User
from motcua.core.roles import Role
from motcua.documents.models import (
    ComponentDocumentType,
    DocumentType,
    ProcedureResultType,
    ReferenceBusiness,
    ReferencePerson,
)
from motcua.documents.population import same_name
from motcua.documents.results import issue_electronic_result
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    validity_days: int | None = None
    from_population_db: bool = False
    # lower-case phrases that name this type in a component (checked in order of DOCUMENT_TYPES)
    phrases: tuple[str, ...] = ()
    # procedures (catalogue codes) whose result is this type
    results: tuple[str, ...] = ()


# Validity: a marital status certificate is valid 6 months (Decree 123/2015 Art. 23); a judicial record is
# usually asked "issued within 6 months" and a health certificate for drivers 12 months (demo choices).
DOCUMENT_TYPES = (
    Kind(
        "CCCD",
        "Thẻ căn cước / Căn cước công dân",
        from_population_db=True,
        phrases=("giấy tờ tùy thân", "thẻ căn cước", "căn cước công dân", "cccd"),
        results=("1.014061", "2.000200"),
    ),
    Kind("GKS", "Giấy khai sinh", results=("1.001193",)),
    Kind("GCS", "Giấy chứng sinh", phrases=("giấy chứng sinh",)),
    Kind("GCNKH", "Giấy chứng nhận kết hôn", results=("1.000894",)),
    Kind(
        "XNTTHN",
        "Giấy xác nhận tình trạng hôn nhân",
        validity_days=183,
        phrases=("giấy xác nhận tình trạng hôn nhân",),
        results=("1.004873",),
    ),
    Kind("TLKT", "Trích lục khai tử", results=("1.000656",)),
    Kind("GBT", "Giấy báo tử", phrases=("giấy báo tử",)),
    Kind(
        "LLTP",
        "Phiếu lý lịch tư pháp",
        validity_days=183,
        phrases=("phiếu lý lịch tư pháp",),
        results=("3.000333",),
    ),
    Kind(
        "GCNDKDN",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        phrases=("giấy chứng nhận đăng ký doanh nghiệp",),
        results=("2.001610", "2.001583"),
    ),
    Kind("GCNDKHKD", "Giấy chứng nhận đăng ký hộ kinh doanh", results=("1.001612",)),
    Kind(
        "GCNQSDD",
        "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        phrases=("giấy chứng nhận qsdđ", "giấy chứng nhận quyền sử dụng đất"),
        results=("1.013978",),
    ),
    Kind("GPXD", "Giấy phép xây dựng", results=("1.013225", "1.013236")),
    Kind("GKSK", "Giấy khám sức khỏe người lái xe", validity_days=365, phrases=("giấy khám sức khỏe",)),
    Kind("GPLX", "Giấy phép lái xe", results=("3.000347", "3.000348")),
    Kind("HC", "Hộ chiếu", phrases=("hộ chiếu",)),
)

PEOPLE = (
    (
        "040090001234",
        "Nguyễn Văn An",
        date(1990, 5, 12),
        "Nam",
        "Phường Thành Vinh, tỉnh Nghệ An",
        date(2021, 4, 2),
    ),
    (
        "040190004321",
        "Trần Thị Bình",
        date(1992, 11, 3),
        "Nữ",
        "Phường Trường Vinh, tỉnh Nghệ An",
        date(2022, 1, 15),
    ),
    (
        "040085007777",
        "Lê Văn Cường",
        date(1985, 2, 20),
        "Nam",
        "Xã Hưng Nguyên, tỉnh Nghệ An",
        date(2021, 9, 9),
    ),
)
BUSINESSES = (
    (
        "2901234567",
        "Công ty TNHH Thương mại Sen Vàng Nghệ An",
        "Phường Thành Vinh, tỉnh Nghệ An",
        "Nguyễn Văn An",
        date(2015, 3, 1),
    ),
    (
        "2909876543",
        "Công ty Cổ phần Xây dựng Lam Hồng",
        "Phường Vinh Hưng, tỉnh Nghệ An",
        "Trần Thị Bình",
        date(2018, 7, 20),
    ),
)


def seed_document_types() -> int:
    """Document types, and which demo components and results they are; returns the components mapped."""
    types = {}
    for kind in DOCUMENT_TYPES:
        types[kind.code], _created = DocumentType.objects.update_or_create(
            code=kind.code,
            defaults={
                "name": kind.name,
                "validity_days": kind.validity_days,
                "from_population_db": kind.from_population_db,
            },
        )
    procedures = {
        p.code: p for p in Procedure.objects.filter(code__in=[c for k in DOCUMENT_TYPES for c in k.results])
    }
    for kind in DOCUMENT_TYPES:
        for code in kind.results:
            if code in procedures:
                ProcedureResultType.objects.update_or_create(
                    procedure=procedures[code], defaults={"document_type": types[kind.code]}
                )
    mapped = 0
    for component in ProcedureComponent.objects.all():
        matched = component_kind(component.name)
        if matched is not None:
            ComponentDocumentType.objects.update_or_create(
                procedure_component=component, defaults={"document_type": types[matched.code]}
            )
            mapped += 1
    return mapped


# A component that *is* a request form or someone else's paper names a type without asking for it.
NOT_THE_DOCUMENT = (
    "tờ khai",
    "mẫu ",
    "đơn ",
    "đề nghị",
    "văn bản đề nghị",
    "phiếu đề nghị",
    "giấy tờ, tài liệu",
)


def component_kind(name: str) -> Kind | None:
    """The type a component's name asks for; none for request forms, for "(when there is no X)" and for
    papers of someone else than the applicant (the person who authorises a representative)."""
    lowered = name.lower()
    if lowered.startswith(NOT_THE_DOCUMENT) or "người ủy quyền" in lowered:
        return None
    for kind in DOCUMENT_TYPES:
        for phrase in kind.phrases:
            at = lowered.find(phrase)
            if at >= 0 and not lowered[max(0, at - 10) : at].endswith("không có "):
                return kind
    return None


def seed_reference_registers() -> None:
    """A few citizens and companies for the local population and business connectors."""
    for citizen_id, name, born, gender, address, issued in PEOPLE:
        ReferencePerson.objects.update_or_create(
            citizen_id=citizen_id,
            defaults={
                "full_name": name,
                "birth_date": born,
                "gender": gender,
                "permanent_address": address,
                "id_card_issued_at": issued,
            },
        )
    for tax_code, name, address, representative, registered in BUSINESSES:
        ReferenceBusiness.objects.update_or_create(
            tax_code=tax_code,
            defaults={
                "name": name,
                "head_office_address": address,
                "legal_representative": representative,
                "registered_at": registered,
            },
        )


def verify_demo_citizens() -> int:
    """Demo citizen accounts whose number, full name and date of birth the reference register holds are
    verified as the population database would verify them (core.identity), so that the demo's online
    dossiers reuse the e-data store; returns how many were verified now."""
    people = {citizen_id: (name, born) for citizen_id, name, born, *_rest in PEOPLE}
    verified = 0
    citizens = User.objects.filter(role=Role.CITIZEN, identity_verified_at__isnull=True).exclude(
        citizen_id=""
    )
    for user in citizens:
        name, born = people.get(user.citizen_id, ("", None))
        if born is None or not same_name(name, user.get_full_name()):
            continue
        if user.birth_date != born:
            user.birth_date = born
            user.save(update_fields=["birth_date"])
        record_verification(user=user, method=IdentityMethod.POPULATION_DB, acting_user=user)
        verified += 1
    return verified


def seed_documents_demo() -> int:
    """Everything the demo dossiers' intake needs from this app; returns the components mapped."""
    seed_reference_registers()
    verify_demo_citizens()
    return seed_document_types()


def issue_demo_results() -> int:
    """Signed e-results for the demo dossiers that have their result; returns how many were issued now."""
    issued = 0
    pending = Dossier.objects.filter(
        status__in=[Status.FINISHED, Status.RETURNED], electronic_result__isnull=True
    )
    for dossier in pending.select_related("procedure", "receiving_unit"):
        unit = dossier.steps.order_by("-position").values_list("unit_id", flat=True).first()
        issuer = User.objects.filter(role=Role.UNIT_LEADER, org_unit_id=unit, is_active=True).first()
        if issuer is None:
            continue
        issue_electronic_result(dossier=dossier, acting_user=issuer)
        issued += 1
    return issued

"""A small hand-built province for tests (the demo province is tested on its own)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.catalog.models import Fee, Procedure, ProcedureComponent, ProcessStep
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def make_unit(code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    return OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)


def make_user(username: str, role: str, unit: OrgUnit | None = None, **extra) -> User:
    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, org_unit=unit, **extra
    )


def make_procedure(
    code: str, *, level: str, amount: str, unit: str = "working_days", steps: list[tuple] = (), **extra
) -> Procedure:
    """steps: (name, unit_kind, unit or None, role, duration, is_approval)."""
    procedure = Procedure.objects.create(
        code=code,
        name=f"Thủ tục {code}",
        field="Hộ tịch",
        level=level,
        agency_description="UBND",
        time_limit_amount=Decimal(amount),
        time_limit_unit=unit,
        **extra,
    )
    ProcedureComponent.objects.create(procedure=procedure, position=1, name="Tờ khai", form="original")
    ProcedureComponent.objects.create(
        procedure=procedure, position=2, name="Giấy ủy quyền (nếu có)", form="copy", is_mandatory=False
    )
    Fee.objects.create(procedure=procedure, position=1, name="Lệ phí", amount_vnd=10000)
    for position, (name, kind, step_unit, role, duration, approval) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            procedure=procedure,
            position=position,
            name=name,
            unit_kind=kind,
            unit=step_unit,
            role=role,
            duration=Decimal(duration),
            is_approval=approval,
        )
    return procedure


@dataclass
class Province:
    province: OrgUnit
    center: OrgUnit
    justice: OrgUnit
    commune: OrgUnit
    commune_police: OrgUnit
    other_commune: OrgUnit
    citizen: User
    other_citizen: User
    counter: User
    center_counter: User
    specialist: User
    leader: User
    justice_specialist: User
    justice_leader: User
    other_counter: User
    admin: User
    system: User
    birth: Procedure  # commune level, 2 steps in the commune
    inter_agency: Procedure  # commune → provincial department (inter-agency), 3 steps
    nationality: Procedure  # province level at the department

    def intake(
        self, procedure: Procedure | None = None, unit: OrgUnit | None = None, **applicant
    ) -> services.Intake:
        procedure = procedure or self.birth
        data = {
            "kind": "citizen",
            "name": "Nguyễn Văn An",
            "id_number": "040090001234",
            "email": "an@example.vn",
            "phone": "0912345678",
        } | applicant
        return services.Intake(
            procedure=procedure,
            applicant=services.Applicant(**data),
            receiving_unit=unit or self.commune,
            components=[
                services.ProvidedComponent(c.pk) for c in procedure.components.filter(is_mandatory=True)
            ],
        )

    def receive(self, procedure: Procedure | None = None, now: datetime | None = None, **kw) -> Dossier:
        unit = self.center if procedure is not None and procedure.level == "province" else self.commune
        counter = self.center_counter if unit == self.center else self.counter
        return services.receive(
            intake=self.intake(procedure, unit, **kw), channel=Channel.COUNTER, acting_user=counter, now=now
        )

    def processing(self, procedure: Procedure | None = None, now: datetime | None = None) -> Dossier:
        dossier = self.receive(procedure, now=now)
        unit_counter = self.center_counter if dossier.receiving_unit == self.center else self.counter
        return services.start_processing(dossier=dossier, acting_user=unit_counter, now=now)


def build_province() -> Province:
    province = make_unit("000.00.00.H40", "Tỉnh Nghệ An", OrgUnit.Kind.PROVINCE)
    center = make_unit("000.00.01.H40", "Trung tâm PVHCC tỉnh", OrgUnit.Kind.CENTER, province)
    justice = make_unit("000.00.12.H40", "Sở Tư pháp", OrgUnit.Kind.DEPARTMENT, province)
    commune = make_unit("001.00.50.H40", "Phường Thành Vinh", OrgUnit.Kind.COMMUNE, province)
    police = make_unit("001.01.50.H40", "Công an phường Thành Vinh", OrgUnit.Kind.COMMUNE_POLICE, commune)
    other = make_unit("002.00.50.H40", "Xã Hưng Nguyên", OrgUnit.Kind.COMMUNE, province)
    K = ProcessStep.UnitKind
    birth = make_procedure(
        "1.001193",
        level="commune",
        amount="3",
        steps=[
            ("Thẩm định", K.RECEIVING_COMMUNE, None, Role.SPECIALIST, "2", False),
            ("Phê duyệt", K.RECEIVING_COMMUNE, None, Role.UNIT_LEADER, "1", True),
        ],
    )
    inter = make_procedure(
        "1.013978",
        level="commune",
        amount="10",
        steps=[
            ("Xã thẩm định", K.RECEIVING_COMMUNE, None, Role.SPECIALIST, "3", False),
            ("Sở thẩm định", K.FIXED, justice, Role.SPECIALIST, "5", False),
            ("Lãnh đạo Sở phê duyệt", K.FIXED, justice, Role.UNIT_LEADER, "2", True),
        ],
    )
    nationality = make_procedure(
        "1.005136",
        level="province",
        amount="5",
        responsible_unit=justice,
        steps=[
            ("Chuyên viên Sở", K.FIXED, justice, Role.SPECIALIST, "4", False),
            ("Lãnh đạo Sở", K.FIXED, justice, Role.UNIT_LEADER, "1", True),
        ],
    )
    return Province(
        province=province,
        center=center,
        justice=justice,
        commune=commune,
        commune_police=police,
        other_commune=other,
        # The citizen's identity was checked at a counter (core.identity); the other citizen only declared a
        # number, so nothing of the e-data store is theirs.
        citizen=make_user(
            "citizen",
            Role.CITIZEN,
            citizen_id="040090001234",
            email="an@example.vn",
            identity_verified_at=local(2026, 1, 5, 9),
            identity_method="counter",
        ),
        other_citizen=make_user("citizen2", Role.CITIZEN, citizen_id="040090009999"),
        counter=make_user("counter", Role.COUNTER_OFFICER, commune),
        center_counter=make_user("center_counter", Role.COUNTER_OFFICER, center),
        specialist=make_user("specialist", Role.SPECIALIST, commune),
        leader=make_user("leader", Role.UNIT_LEADER, commune),
        justice_specialist=make_user("justice_specialist", Role.SPECIALIST, justice),
        justice_leader=make_user("justice_leader", Role.UNIT_LEADER, justice),
        other_counter=make_user("other_counter", Role.COUNTER_OFFICER, other),
        admin=make_user("center_admin", Role.CENTER_ADMIN, center),
        system=make_user("portal_system", Role.SYSTEM),
        birth=birth,
        inter_agency=inter,
        nationality=nationality,
    )

"""March 2026 of a land procedure with a parallel group in which the tax department is slow, built through
the real services. Office hours 07:30–11:30 and 13:00–17:00 (8 h a day); no holiday in March 2026.

Procedure LAND (province level, decided by the Department of Justice, 10 working days), received at the
center, so its dossiers start with the transfer step (position 0, the center, due at the end of the
reception day, or of the next working day when received at or after 15:00):
  1. "Sở thẩm định"           justice, 1 working day
  2. "Xã xác minh"            commune, 2 working days  } parallel group 1: one stage
  3. "Thuế xác định nghĩa vụ" tax,     2 working days  }
  4. "Lãnh đạo Sở phê duyệt"  justice, 1 working day (approval)

The stories (spent = working hours in the step; the quantised value, `lateness_rules.quantise`, in brackets):
D1 received Mon 02/03 09:00. Transfer 09:00→10:00 1 h [1]. Step 1 Mon 10:00→Tue 03/03 09:00 7 h [7]
   (due Tue 10:00). Stage 2 from Tue 09:00, due Thu 05/03 09:00: commune → Wed 04/03 09:00 8 h [8]; tax →
   Fri 06/03 09:00 24 h [24], LATE by 8 h. Approval Fri 09:00→10:00 1 h [1].
D2 received Mon 02/03 16:00 (after 15:00: transfer due Tue 03/03 17:00). Transfer → Wed 04/03 09:00
   10.5 h [12], LATE by 1.5 h. Step 1 Wed 09:00→11:00 2 h [2]; at 09:30 the justice specialist consults
   the tax department and the commune (1 working day: due Thu 05/03 09:30); the commune answers Wed 15:00,
   tax Thu 14:00 (late). Stage 2 from Wed 11:00, due Fri 06/03 11:00: commune → Thu 05/03 11:00 8 h [8];
   tax → Tue 10/03 11:00 32 h [32], LATE by 16 h. Approval Tue 11:00→14:00 1.5 h [2].
D3 received Tue 03/03 08:00. Transfer → 08:30 0.5 h [1]. Step 1 Tue 08:30→Thu 05/03 08:30 16 h [16]
   (due Wed 04/03 08:30), LATE by 8 h. Stage 2 from Thu 08:30, due Mon 09/03 08:30: commune → Fri 06/03
   08:30 8 h [8]; tax → Mon 09/03 08:00 16.5 h [20]. Approval Mon 08:00→09:00 1 h [1].
D4 received Mon 23/03 09:00. Transfer → 09:30 0.5 h [1]. At 10:00 the justice specialist consults tax
   (2 working days: due Wed 25/03 10:00), never answered; the dossier is still in step 1 at the end of March.

So in March: center [1, 12, 1, 1] overrun 1.5 h; justice [7, 2, 16, 1, 2, 1] overrun 8 h; commune
[8, 8, 8]; tax [24, 32, 20] overrun 24 h; all overrun 33.5 h.
"""

from dataclasses import dataclass

from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from tests.factories import Province, local, make_procedure, make_unit, make_user

LAND = "2.000001"


@dataclass
class Land:
    p: Province
    tax: OrgUnit
    tax_specialist: User
    procedure: Procedure
    dossiers: dict[str, Dossier]


def land_procedure(p: Province, tax: OrgUnit) -> Procedure:
    K = ProcessStep.UnitKind
    procedure = make_procedure(
        LAND,
        level="province",
        amount="10",
        responsible_unit=p.justice,
        steps=[
            ("Sở thẩm định", K.FIXED, p.justice, Role.SPECIALIST, "1", False),
            ("Xã xác minh", K.FIXED, p.commune, Role.SPECIALIST, "2", False),
            ("Thuế xác định nghĩa vụ", K.FIXED, tax, Role.SPECIALIST, "2", False),
            ("Lãnh đạo Sở phê duyệt", K.FIXED, p.justice, Role.UNIT_LEADER, "1", True),
        ],
    )
    procedure.steps.filter(position__in=[2, 3]).update(parallel_group=1)
    return procedure


def build(p: Province) -> Land:
    tax = make_unit("000.00.13.H40", "Cục Thuế tỉnh", OrgUnit.Kind.DEPARTMENT, p.province)
    tax_specialist = make_user(
        "tax_specialist", Role.SPECIALIST, tax, first_name="Thuế", last_name="Chuyên viên"
    )
    procedure = land_procedure(p, tax)
    land = Land(p, tax, tax_specialist, procedure, {})

    def receive(story: str, at: tuple[int, ...]) -> Dossier:
        d = services.receive(
            intake=p.intake(procedure, p.center),
            channel=Channel.COUNTER,
            acting_user=p.center_counter,
            now=local(*at),
        )
        land.dossiers[story] = d
        return d

    def start(d: Dossier, at: tuple[int, ...]) -> Dossier:
        return services.start_processing(dossier=d, acting_user=p.center_counter, now=local(*at))

    def done(d: Dossier, user: User, at: tuple[int, ...]) -> Dossier:
        return services.complete_step(dossier=d, acting_user=user, now=local(*at))

    def settle(d: Dossier, at: tuple[int, ...]) -> Dossier:
        d = services.approve(dossier=d, acting_user=p.justice_leader, now=local(*at))
        return services.issue_result(dossier=d, acting_user=p.justice_leader, now=local(*at))

    d1 = start(receive("D1", (2026, 3, 2, 9)), (2026, 3, 2, 10))
    d1 = done(d1, p.justice_specialist, (2026, 3, 3, 9))
    d1 = done(d1, p.specialist, (2026, 3, 4, 9))
    d1 = done(d1, tax_specialist, (2026, 3, 6, 9))
    settle(d1, (2026, 3, 6, 10))

    d2 = start(receive("D2", (2026, 3, 2, 16)), (2026, 3, 4, 9))
    d2 = services.consult(
        dossier=d2,
        acting_user=p.justice_specialist,
        consulted_units=[tax, p.commune],
        content="Đề nghị cho ý kiến về nghĩa vụ tài chính và nguồn gốc đất",
        working_days=1,
        now=local(2026, 3, 4, 9, 30),
    )
    asked = {c.consulted_unit_id: c.pk for c in d2.consultations.all()}
    d2 = done(d2, p.justice_specialist, (2026, 3, 4, 11))
    d2 = services.answer_consultation(
        dossier=d2,
        acting_user=p.specialist,
        consultation_id=asked[p.commune.pk],
        answer="Đất sử dụng ổn định",
        now=local(2026, 3, 4, 15),
    )
    d2 = services.answer_consultation(
        dossier=d2,
        acting_user=tax_specialist,
        consultation_id=asked[tax.pk],
        answer="Không nợ thuế",
        now=local(2026, 3, 5, 14),
    )
    d2 = done(d2, p.specialist, (2026, 3, 5, 11))
    d2 = done(d2, tax_specialist, (2026, 3, 10, 11))
    settle(d2, (2026, 3, 10, 14))

    d3 = start(receive("D3", (2026, 3, 3, 8)), (2026, 3, 3, 8, 30))
    d3 = done(d3, p.justice_specialist, (2026, 3, 5, 8, 30))
    d3 = done(d3, p.specialist, (2026, 3, 6, 8, 30))
    d3 = done(d3, tax_specialist, (2026, 3, 9, 8))
    settle(d3, (2026, 3, 9, 9))

    d4 = start(receive("D4", (2026, 3, 23, 9)), (2026, 3, 23, 9, 30))
    services.consult(
        dossier=d4,
        acting_user=p.justice_specialist,
        consulted_units=[tax],
        content="Đề nghị cho ý kiến về nghĩa vụ tài chính",
        working_days=2,
        now=local(2026, 3, 23, 10),
    )
    return land

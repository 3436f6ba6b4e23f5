"""Hand-built dossiers around March 2026, through the real services (birth registration: 3 working days)."""

from dataclasses import dataclass

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.factories import Province, local


@dataclass
class Scenario:
    carried: Dossier  # received in February, settled early in March
    paused: Dossier  # supplement requested: the clock restarts, so it ends early instead of late
    apology: Dossier  # lawful apology letter, still late against the new date
    withdrawn: Dossier
    online_overdue: Dossier  # accepted online, still processing at the end of March
    refused: Dossier  # refused after appraisal: settled (status 8), ended before its appointment


def settle(p: Province, d: Dossier, at) -> Dossier:
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at)
    d = services.approve(dossier=d, acting_user=p.leader, now=at)
    return services.issue_result(dossier=d, acting_user=p.leader, now=at)


def build(p: Province) -> Scenario:
    carried = p.processing(now=local(2026, 2, 26, 9))  # appointment Tue 03/03 09:00
    carried = settle(p, carried, local(2026, 3, 2, 10))

    paused = p.processing(now=local(2026, 3, 2, 9))  # appointment Thu 05/03 09:00
    paused = services.request_supplement(
        dossier=paused,
        acting_user=p.specialist,
        missing=["Giấy chứng sinh"],
        reason="Thiếu",
        now=local(2026, 3, 2, 10),
    )
    paused = services.complete_supplement(dossier=paused, acting_user=p.counter, now=local(2026, 3, 4, 9))
    paused = settle(p, paused, local(2026, 3, 6, 10))  # after 05/03 but before the new date 09/03

    apology = p.processing(now=local(2026, 3, 2, 9))
    apology = services.reschedule(
        dossier=apology,
        acting_user=p.specialist,
        new_appointment_at=local(2026, 3, 10, 17),
        reason="Cần xác minh",
        now=local(2026, 3, 3, 9),
    )
    apology = settle(p, apology, local(2026, 3, 11, 9))

    withdrawn = p.processing(now=local(2026, 3, 2, 9))
    withdrawn = services.withdraw(
        dossier=withdrawn, acting_user=p.counter, reason="Xin rút", now=local(2026, 3, 3, 9)
    )

    online = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=local(2026, 3, 2, 20))
    online = services.accept(dossier=online, acting_user=p.counter, now=local(2026, 3, 3, 8))
    online = services.start_processing(dossier=online, acting_user=p.counter, now=local(2026, 3, 3, 8, 30))

    refused = p.processing(now=local(2026, 3, 2, 9))
    refused = services.refuse(
        dossier=refused, acting_user=p.specialist, reason="Không đủ điều kiện", now=local(2026, 3, 4, 9)
    )
    return Scenario(carried, paused, apology, withdrawn, online, refused)

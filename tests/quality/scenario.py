"""A month with a known mix of dossiers: March 2026, built through the real services at chosen moments.

Birth registration (commune, 3 working days): received Mon 09:00 → appointment Thu 09:00. Office hours
07:30–11:30 and 13:00–17:00; no holiday from 26/02 to 02/04/2026. Every expected figure of the tests is
worked out by hand from the stories below (the comments give the appointment each story is judged by).
"""

from dataclasses import dataclass, field
from datetime import datetime

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from tests.factories import Province, local

REASON = "Cần xác minh thêm thông tin với cơ quan liên quan"


@dataclass
class Month:
    by_story: dict[str, Dossier] = field(default_factory=dict)

    def __getitem__(self, story: str) -> Dossier:
        return self.by_story[story]

    def add(self, story: str, dossier: Dossier) -> Dossier:
        self.by_story[story] = dossier
        return dossier


def settle(p: Province, d: Dossier, at: datetime) -> Dossier:
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at)
    d = services.approve(dossier=d, acting_user=p.leader, now=at)
    return services.issue_result(dossier=d, acting_user=p.leader, now=at)


def counter(p: Province, at: datetime, channel: str = Channel.COUNTER) -> Dossier:
    d = services.receive(intake=p.intake(), channel=channel, acting_user=p.counter, now=at)
    return services.start_processing(dossier=d, acting_user=p.counter, now=at)


def online(p: Province, submitted: datetime, accepted: datetime) -> Dossier:
    d = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=submitted)
    d = services.accept(dossier=d, acting_user=p.counter, now=accepted)
    return services.start_processing(dossier=d, acting_user=p.counter, now=accepted)


def supplement(p: Province, d: Dossier, asked: datetime, completed: datetime | None) -> Dossier:
    d = services.request_supplement(
        dossier=d, acting_user=p.specialist, missing=["Giấy chứng sinh"], reason="Thiếu giấy", now=asked
    )
    if completed is None:
        return d
    return services.complete_supplement(dossier=d, acting_user=p.counter, now=completed)


def apologise(p: Province, d: Dossier, issued: datetime, new: datetime) -> Dossier:
    return services.reschedule(
        dossier=d, acting_user=p.leader, new_appointment_at=new, reason=REASON, now=issued
    )


def build(p: Province) -> Month:
    m = Month()
    # N: carried over from February.
    n1 = m.add("N1", counter(p, local(2026, 2, 27, 9)))  # appointment Wed 04/03 09:00
    settle(p, n1, local(2026, 3, 3, 10))  # early; 17 h
    m.add("N2", counter(p, local(2026, 2, 26, 9)))  # appointment Tue 03/03 09:00; open: overdue

    # A: early — received Mon 02/03 09:00 (appointment Thu 05/03 09:00), settled Wed 04/03 10:00 (17 h).
    for i in range(6):
        m.add(f"A{i}", counter(p, local(2026, 3, 2, 9)))
    m.add("A6", online(p, local(2026, 3, 1, 20), local(2026, 3, 2, 9)))
    m.add("A7", counter(p, local(2026, 3, 2, 9), Channel.POST))
    for i in range(8):
        settle(p, m[f"A{i}"], local(2026, 3, 4, 10))

    # B: on time — received Mon 09/03 09:00 (appointment Thu 12/03 09:00), settled 12/03 08:30 (23.5 h).
    for i in range(4):
        m.add(f"B{i}", counter(p, local(2026, 3, 9, 9)))
    m.add("B4", online(p, local(2026, 3, 8, 10), local(2026, 3, 9, 9)))
    for i in range(5):
        settle(p, m[f"B{i}"], local(2026, 3, 12, 8, 30))

    # C: late — received 09/03 09:00, settled Fri 13/03 10:00 (33 h).
    for i in range(3):
        m.add(f"C{i}", counter(p, local(2026, 3, 9, 9)))
    m.add("C3", counter(p, local(2026, 3, 9, 9), Channel.POST))
    for i in range(4):
        settle(p, m[f"C{i}"], local(2026, 3, 13, 10))

    # D: lawful apology issued the afternoon before a morning due time (Wed 18/03 15:00 for Thu 19/03
    # 09:00), new date Mon 23/03 10:00. D1 settled Fri 20/03 10:00: on time (33 h); D2 on 24/03: late (49 h).
    for story, settled in (("D1", local(2026, 3, 20, 10)), ("D2", local(2026, 3, 24, 10))):
        d = m.add(story, counter(p, local(2026, 3, 16, 9)))
        d = apologise(p, d, local(2026, 3, 18, 15), local(2026, 3, 23, 10))
        settle(p, d, settled)

    # E: unlawful apology, issued on the due date itself (Thu 19/03 08:00): judged by 19/03 09:00.
    e1 = m.add("E1", counter(p, local(2026, 3, 16, 9)))
    settle(p, apologise(p, e1, local(2026, 3, 19, 8), local(2026, 3, 23, 10)), local(2026, 3, 20, 10))
    e2 = m.add("E2", counter(p, local(2026, 3, 16, 9)))
    apologise(p, e2, local(2026, 3, 19, 8), local(2026, 3, 23, 10))  # open at month end: overdue

    # F: supplements. F1 one request (restart 06/03 09:00 → Wed 11/03 09:00), settled Tue 10/03: early,
    # 49 h − 23 h paused = 26 h. F2 two requests: late, 49 − 7 − 7 = 35 h. F3 one request made late (after 3
    # working days; restart 10/03 09:00 → Fri 13/03 09:00), settled Thu 12/03 10:00: early, 65 − 7 = 58 h.
    f1 = m.add("F1", counter(p, local(2026, 3, 2, 9)))
    settle(p, supplement(p, f1, local(2026, 3, 3, 10), local(2026, 3, 6, 9)), local(2026, 3, 10, 10))
    f2 = m.add("F2", counter(p, local(2026, 3, 2, 9)))
    f2 = supplement(p, f2, local(2026, 3, 3, 10), local(2026, 3, 4, 9))
    settle(p, supplement(p, f2, local(2026, 3, 5, 10), local(2026, 3, 6, 9)), local(2026, 3, 10, 10))
    f3 = m.add("F3", counter(p, local(2026, 3, 2, 9)))
    settle(p, supplement(p, f3, local(2026, 3, 9, 10), local(2026, 3, 10, 9)), local(2026, 3, 12, 10))

    # G: financial obligation. G1 received 23/03, paused 24/03 10:00, still paused at month end (its old
    # appointment 26/03 09:00 has passed: never overdue while paused). G2 paused 03/03 09:00 → 04/03 09:00
    # (8 working hours: appointment 06/03 09:00), settled 06/03 08:00: on time, 31 − 8 = 23 h.
    g1 = m.add("G1", counter(p, local(2026, 3, 23, 9)))
    services.request_financial_obligation(
        dossier=g1, acting_user=p.specialist, reason="Nộp lệ phí", now=local(2026, 3, 24, 10)
    )
    g2 = m.add("G2", counter(p, local(2026, 3, 2, 9)))
    g2 = services.request_financial_obligation(
        dossier=g2, acting_user=p.specialist, reason="Nộp lệ phí", now=local(2026, 3, 3, 9)
    )
    g2 = services.fulfil_financial_obligation(dossier=g2, acting_user=p.counter, now=local(2026, 3, 4, 9))
    settle(p, g2, local(2026, 3, 6, 8))

    # H: supplement pauses open at month end. H1 one request (paused); H2 a second one (paused, late).
    h1 = m.add("H1", counter(p, local(2026, 3, 16, 9)))
    supplement(p, h1, local(2026, 3, 17, 10), None)
    h2 = m.add("H2", counter(p, local(2026, 3, 2, 9)))
    h2 = supplement(p, h2, local(2026, 3, 3, 10), local(2026, 3, 4, 9))
    supplement(p, h2, local(2026, 3, 5, 10), None)

    # I: withdrawn. I1 within its time; I2 after its appointment (05/03 09:00): withdrawn while overdue.
    i1 = m.add("I1", counter(p, local(2026, 3, 9, 9)))
    services.withdraw(dossier=i1, acting_user=p.counter, reason="Xin rút", now=local(2026, 3, 10, 10))
    i2 = m.add("I2", counter(p, local(2026, 3, 2, 9)))
    services.withdraw(dossier=i2, acting_user=p.counter, reason="Xin rút", now=local(2026, 3, 10, 10))

    # J: not accepted at reception (status 3): at the commune counter, online, and at the center.
    m.add(
        "J1",
        services.refuse_at_counter(
            intake=p.intake(),
            channel=Channel.COUNTER,
            acting_user=p.counter,
            reason="Sai thẩm quyền",
            now=local(2026, 3, 2, 10),
        ),
    )
    j2 = services.submit_online(intake=p.intake(), acting_user=p.citizen, now=local(2026, 3, 2, 20))
    m.add(
        "J2",
        services.refuse_reception(
            dossier=j2, acting_user=p.counter, reason="Sai thẩm quyền", now=local(2026, 3, 3, 9)
        ),
    )
    m.add(
        "P2",
        services.refuse_at_counter(
            intake=p.intake(p.nationality, p.center),
            channel=Channel.COUNTER,
            acting_user=p.center_counter,
            reason="Không thuộc thẩm quyền",
            now=local(2026, 3, 2, 10),
        ),
    )

    # K: refused after appraisal. K1 on 04/03 (before 05/03 09:00: early), returned; K2 on 06/03: late.
    k1 = m.add("K1", counter(p, local(2026, 3, 2, 9)))
    k1 = services.refuse(
        dossier=k1, acting_user=p.leader, reason="Không đủ điều kiện", now=local(2026, 3, 4, 10)
    )
    services.return_result(dossier=k1, acting_user=p.counter, now=local(2026, 3, 5, 9))
    k2 = m.add("K2", counter(p, local(2026, 3, 2, 9)))
    services.refuse(dossier=k2, acting_user=p.leader, reason="Không đủ điều kiện", now=local(2026, 3, 6, 10))

    # L: in progress within time at month end (appointments 02/04 09:00, 01/04 09:00, 02/04 08:00).
    m.add("L1", counter(p, local(2026, 3, 30, 9)))
    m.add("L2", counter(p, local(2026, 3, 27, 9)))
    m.add("L3", online(p, local(2026, 3, 29, 10), local(2026, 3, 30, 8)))

    # M: in progress and overdue at month end (appointments 26/03 09:00 and 19/03 09:00).
    m.add("M1", counter(p, local(2026, 3, 23, 9)))
    m.add("M2", counter(p, local(2026, 3, 16, 9)))

    # P1: province level at the center (5 working days: appointment Mon 09/03 09:00), settled by the
    # department on Fri 06/03 10:00: early, 6.5 + 3 × 8 + 2.5 = 33 h.
    pd = services.receive(
        intake=p.intake(p.nationality, p.center),
        channel=Channel.COUNTER,
        acting_user=p.center_counter,
        now=local(2026, 3, 2, 9),
    )
    pd = m.add(
        "P1", services.start_processing(dossier=pd, acting_user=p.center_counter, now=local(2026, 3, 2, 9))
    )
    at = local(2026, 3, 6, 10)
    pd = services.complete_step(dossier=pd, acting_user=p.justice_specialist, now=at)
    pd = services.approve(dossier=pd, acting_user=p.justice_leader, now=at)
    services.issue_result(dossier=pd, acting_user=p.justice_leader, now=at)
    for story, d in m.by_story.items():
        m.by_story[story] = Dossier.objects.get(pk=d.pk)
    return m

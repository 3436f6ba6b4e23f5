"""Bring a dossier to any status through the real services."""

from datetime import datetime

from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.states import Status
from tests.factories import Province, local

T0 = local(2026, 3, 2, 9)  # a Monday morning


def at(hours: float) -> datetime:
    from datetime import timedelta

    return T0 + timedelta(hours=hours)


def dossier_in(p: Province, status: Status) -> Dossier:
    S = Status
    if status == S.NEW_ONLINE:
        return services.submit_online(intake=p.intake(), acting_user=p.citizen, now=at(0))
    if status == S.NOT_ACCEPTED:
        return services.refuse_at_counter(
            intake=p.intake(),
            channel=Channel.COUNTER,
            acting_user=p.counter,
            reason="Sai thẩm quyền",
            now=at(0),
        )
    d = p.receive(now=at(0))
    if status == S.ACCEPTED:
        return d
    if status == S.WITHDRAWN:
        return services.withdraw(dossier=d, acting_user=p.counter, reason="Công dân xin rút", now=at(1))
    d = services.start_processing(dossier=d, acting_user=p.counter, now=at(0.5))
    if status == S.PROCESSING:
        return d
    if status == S.SUPPLEMENT_REQUESTED:
        return services.request_supplement(
            dossier=d, acting_user=p.specialist, missing=["Giấy chứng sinh"], reason="Thiếu giấy", now=at(1)
        )
    if status == S.FINANCIAL_OBLIGATION:
        return services.request_financial_obligation(
            dossier=d, acting_user=p.specialist, reason="Nộp lệ phí", now=at(1)
        )
    if status == S.STOPPED:
        return services.refuse(dossier=d, acting_user=p.leader, reason="Không đủ điều kiện", now=at(1))
    d = services.complete_step(dossier=d, acting_user=p.specialist, now=at(1))
    d = services.approve(dossier=d, acting_user=p.leader, now=at(2))
    d = services.issue_result(dossier=d, acting_user=p.leader, now=at(3))
    if status == S.FINISHED:
        return d
    return services.return_result(dossier=d, acting_user=p.counter, now=at(4))

"""Whatever decisions are recorded, in whatever order, two versions of a procedure are never in force the
same day, and the database's `in_force` agrees with each row's own test."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.catalog import publication
from motcua.catalog.models import Procedure
from motcua.core.errors import ValidationFailed

CODES = ["1.001193", "1.013978", "2.000001"]  # two of the test province's, one not in the catalogue yet
START = date(2026, 3, 2)
DAYS = [START + timedelta(days=n) for n in range(-1, 50)]
NEW = {
    "name": "Thủ tục",
    "field": "Hộ tịch",
    "level": "commune",
    "agency_description": "UBND cấp xã",
    "time_limit_amount": Decimal(2),
    "time_limit_unit": "working_days",
}

acts = st.tuples(
    st.sampled_from(["announce", "amend", "replace", "abolish"]),
    st.sampled_from(CODES),
    st.integers(0, 40),  # signed on START + n
    st.integers(0, 8),  # effective that many days after signing
    st.integers(0, 45),  # the day the decision is recorded ("today"), START + n
)


def act(kind: str, code: str, decision, today: date) -> None:
    current = Procedure.objects.filter(code=code).order_by("-version").first()
    if kind == "announce":
        publication.announce(decision=decision, data={**NEW, "code": code}, today=today)
    elif current is None:
        return
    elif kind == "amend":
        publication.amend(
            procedure=current, changes={"name": f"v{current.version + 1}"}, decision=decision, today=today
        )
    elif kind == "replace":
        publication.replace(old=current, data=NEW, decision=decision, today=today)
    else:
        publication.abolish(procedure=current, decision=decision, today=today)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(acts, min_size=1, max_size=8))
def test_two_versions_are_never_in_force_the_same_day(province, steps):
    savepoint = transaction.savepoint_create()
    try:
        for n, (kind, code, signed, delay, today) in enumerate(steps):
            signed_on = START + timedelta(days=signed)
            decision = publication.record_decision(
                number=f"{n}/QĐ-UBND",
                signed_on=signed_on,
                signer="Chủ tịch",
                effective_on=signed_on + timedelta(days=delay),
                acting_user=None,
            )
            before = list(Procedure.objects.values_list("pk", "effective_from", "effective_to"))
            try:
                act(kind, code, decision, START + timedelta(days=today))
            except ValidationFailed:
                assert list(Procedure.objects.values_list("pk", "effective_from", "effective_to")) == before
        rows = list(Procedure.objects.all())
        for day in DAYS:
            in_force = [p for p in rows if p.is_in_force(day)]
            codes = [p.code for p in in_force]
            assert len(codes) == len(set(codes)), (day, codes)
            assert sorted(Procedure.objects.in_force(day).values_list("pk", flat=True)) == sorted(
                p.pk for p in in_force
            )
    finally:
        transaction.savepoint_rollback(savepoint)

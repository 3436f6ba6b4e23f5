"""Publication decisions: a version per decision, in force from its effective date; dossiers keep theirs."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from motcua.backoffice import selectors as backoffice
from motcua.catalog import publication
from motcua.catalog import selectors as catalog
from motcua.catalog.models import DecisionItem, Procedure, ProcessStep, PublicationDecision
from motcua.core.errors import ValidationFailed
from motcua.core.roles import Role
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from tests.factories import local
from tests.support.clients import client_for

K = ProcessStep.UnitKind
BIRTH = "1.001193"


def decide(number: str, signed_on: date, effective_on: date, **extra) -> PublicationDecision:
    return publication.record_decision(
        number=number,
        signed_on=signed_on,
        signer="Chủ tịch UBND tỉnh",
        effective_on=effective_on,
        acting_user=None,
        **extra,
    )


def five_day_steps() -> list[dict]:
    return [
        {
            "name": "Thẩm định",
            "unit_kind": K.RECEIVING_COMMUNE,
            "role": Role.SPECIALIST,
            "duration": Decimal(4),
        },
        {
            "name": "Phê duyệt",
            "unit_kind": K.RECEIVING_COMMUNE,
            "role": Role.UNIT_LEADER,
            "duration": Decimal(1),
            "is_approval": True,
        },
    ]


def receive(province, procedure: Procedure, now) -> Dossier:
    return services.receive(
        intake=province.intake(procedure), channel=Channel.COUNTER, acting_user=province.counter, now=now
    )


def test_dossiers_before_and_after_an_amendment_keep_the_limit_they_were_received_under(province):
    # 3 working days until Sunday 14/03/2027; 5 from Monday 15/03/2027 (decided two weeks before).
    decision = decide("12/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    v2 = publication.amend(
        procedure=province.birth,
        changes={"time_limit_amount": Decimal(5), "steps": five_day_steps()},
        decision=decision,
        today=date(2027, 3, 1),
    )
    assert (v2.code, v2.version, v2.effective_from, v2.effective_to) == (BIRTH, 2, date(2027, 3, 15), None)
    province.birth.refresh_from_db()
    assert (province.birth.version, province.birth.effective_to) == (1, date(2027, 3, 15))

    friday = backoffice.receivable_procedure(province.counter, BIRTH, on=date(2027, 3, 12))
    monday = backoffice.receivable_procedure(province.counter, BIRTH, on=date(2027, 3, 15))
    assert (friday.pk, monday.pk) == (province.birth.pk, v2.pk)
    before = receive(province, friday, local(2027, 3, 12, 9))
    after = receive(province, monday, local(2027, 3, 15, 9))
    # Fri 12/03 09:00 + 3 working days = Wed 17/03 09:00; Mon 15/03 09:00 + 5 = Mon 22/03 09:00.
    assert timezone.localtime(before.appointment_at) == local(2027, 3, 17, 9)
    assert timezone.localtime(after.appointment_at) == local(2027, 3, 22, 9)
    # For life: read back, each dossier still has its own version's limit and steps.
    before, after = Dossier.objects.get(pk=before.pk), Dossier.objects.get(pk=after.pk)
    assert before.procedure.time_limit_amount == Decimal(3)
    assert after.procedure.time_limit_amount == Decimal(5)
    assert [s.duration for s in before.procedure.steps.order_by("position")] == [Decimal(2), Decimal(1)]
    assert [s.duration for s in after.procedure.steps.order_by("position")] == [Decimal(4), Decimal(1)]
    # The new version copied what the decision did not change.
    assert [c.name for c in v2.components.order_by("position")] == ["Tờ khai", "Giấy ủy quyền (nếu có)"]
    assert [f.amount_vnd for f in v2.fees.all()] == [10000]
    item = DecisionItem.objects.get(decision=decision)
    assert (item.kind, item.procedure_id, item.previous_id) == ("amend", v2.pk, province.birth.pk)


def test_the_public_sees_the_version_in_force_on_the_day(province):
    decision = decide("13/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    publication.amend(
        procedure=province.birth,
        changes={"name": "Đăng ký khai sinh (mới)"},
        decision=decision,
        today=date(2027, 3, 1),
    )
    names = {d: catalog.procedure_by_code(BIRTH, on=d).name for d in (date(2027, 3, 14), date(2027, 3, 15))}
    assert names == {date(2027, 3, 14): "Thủ tục 1.001193", date(2027, 3, 15): "Đăng ký khai sinh (mới)"}
    assert [p.version for p in catalog.published_procedures(on=date(2027, 3, 15)) if p.code == BIRTH] == [2]


def test_an_abolished_procedure_leaves_the_portal_and_its_dossiers_stay_readable(province, client):
    dossier = receive(province, province.birth, timezone.now() - timedelta(days=3))
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    today = timezone.localdate()
    decision = decide("14/QĐ-UBND", today - timedelta(days=7), today)
    publication.abolish(procedure=province.birth, decision=decision)

    home = client.get("/")
    assert BIRTH not in home.content.decode() and "1.013978" in home.content.decode()
    listed = client.get("/dich-vu-cong/", {"q": "thủ tục"}).content.decode()
    assert BIRTH not in listed and "1.013978" in listed
    assert client.get(f"/thu-tuc/{BIRTH}/").status_code == 404
    assert backoffice.receivable_procedure(province.counter, BIRTH) is None
    # Yesterday it was still in force.
    assert catalog.procedure_by_code(BIRTH, on=today - timedelta(days=1)).pk == province.birth.pk

    officer = client_for(province.counter).get(f"/can-bo/ho-so/{dossier.code}/")
    assert officer.status_code == 200 and dossier.code in officer.content.decode()
    client.force_login(province.citizen)
    mine = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    assert mine.status_code == 200 and dossier.code in mine.content.decode()


def test_a_batch_announces_amends_and_abolishes_in_one_decision(province):
    decision = decide("15/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    items = publication.apply_changes(
        decision=decision,
        today=date(2027, 3, 1),
        changes=[
            publication.Change(
                code="2.000001",
                kind="announce",
                fields={
                    "name": "Thủ tục mới",
                    "field": "Hộ tịch",
                    "level": "commune",
                    "agency_description": "UBND cấp xã",
                    "who_applies": "Công dân Việt Nam",
                    "time_limit_amount": Decimal(1),
                    "time_limit_unit": "working_days",
                },
                components=[{"name": "Tờ khai"}],
            ),
            publication.Change(code="1.013978", kind="amend", fields={"who_applies": "Cá nhân"}),
            publication.Change(code="1.005136", kind="abolish"),
        ],
    )
    assert [(i.kind, i.procedure.code, i.procedure.version) for i in items] == [
        ("announce", "2.000001", 1),
        ("amend", "1.013978", 2),
        ("abolish", "1.005136", 1),
    ]
    on = date(2027, 3, 15)
    assert sorted(catalog.published_procedures(on=on).values_list("code", "version")) == [
        ("1.001193", 1),
        ("1.013978", 2),
        ("2.000001", 1),
    ]
    assert sorted(catalog.published_procedures(on=on - timedelta(days=1)).values_list("code", "version")) == [
        ("1.001193", 1),
        ("1.005136", 1),
        ("1.013978", 1),
    ]


def test_a_replacement_closes_the_old_code_and_opens_the_new(province):
    decision = decide("16/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    new = publication.replace(
        old=province.nationality,
        data={
            "code": "1.099999",
            "name": "Thủ tục thay thế",
            "field": "Quốc tịch",
            "level": "province",
            "agency_description": "Sở Tư pháp",
            "time_limit_amount": Decimal(10),
            "time_limit_unit": "working_days",
        },
        decision=decision,
        today=date(2027, 3, 1),
    )
    province.nationality.refresh_from_db()
    assert province.nationality.effective_to == date(2027, 3, 15)
    assert (new.code, new.version, new.effective_from) == ("1.099999", 1, date(2027, 3, 15))
    item = DecisionItem.objects.get(decision=decision)
    assert (item.kind, item.previous_id) == ("replace", province.nationality.pk)


# --- guards: refused with a message, nothing changed ----------------------------------------------------


def catalogue_state() -> list[tuple]:
    rows = Procedure.objects.order_by("code", "version")
    versions = rows.values_list("code", "version", "effective_from", "effective_to", "time_limit_amount")
    return [*versions, ("items", DecisionItem.objects.count())]


def test_an_effective_date_before_signing_is_refused(db):
    with pytest.raises(ValidationFailed, match="không thể trước ngày ký") as raised:
        decide("20/QĐ-UBND", date(2027, 3, 10), date(2027, 3, 9))
    assert raised.value.field_messages() == {
        "effective_on": "Ngày có hiệu lực (09/03/2027) không thể trước ngày ký quyết định (10/03/2027)."
    }
    assert not PublicationDecision.objects.exists()


def refused(code: str, act, **kwargs) -> None:
    state = catalogue_state()
    with pytest.raises(ValidationFailed) as raised:
        act(**kwargs)
    assert raised.value.code == code
    assert catalogue_state() == state


def test_amending_an_abolished_procedure_is_refused(province):
    publication.abolish(
        procedure=province.birth, decision=decide("21/QĐ-UBND", date(2026, 1, 5), date(2026, 1, 15))
    )
    later = decide("22/QĐ-UBND", date(2026, 2, 2), date(2026, 2, 16))
    refused(
        "procedure_closed",
        publication.amend,
        procedure=province.birth,
        changes={"name": "x"},
        decision=later,
        today=date(2026, 2, 2),
    )
    with pytest.raises(ValidationFailed, match="đã hết hiệu lực từ ngày 15/01/2026"):
        publication.abolish(procedure=province.birth, decision=later, today=date(2026, 2, 2))


def test_a_second_change_while_one_is_pending_is_refused(province):
    first = decide("23/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    publication.amend(
        procedure=province.birth, changes={"name": "Một"}, decision=first, today=date(2027, 3, 1)
    )
    second = decide("24/QĐ-UBND", date(2027, 3, 5), date(2027, 4, 1))
    refused(
        "change_pending",
        publication.amend,
        procedure=province.birth,
        changes={"name": "Hai"},
        decision=second,
        today=date(2027, 3, 5),
    )
    # Once the first is in force, the next decision is taken.
    v3 = publication.amend(
        procedure=province.birth, changes={"name": "Hai"}, decision=second, today=date(2027, 3, 16)
    )
    assert (v3.version, v3.effective_from) == (3, date(2027, 4, 1))


def test_two_versions_in_force_the_same_day_are_refused(province):
    first = decide("25/QĐ-UBND", date(2026, 3, 2), date(2026, 3, 16))
    publication.amend(
        procedure=province.birth, changes={"name": "Một"}, decision=first, today=date(2026, 3, 20)
    )
    same_day = decide("26/QĐ-UBND", date(2026, 3, 3), date(2026, 3, 16))
    refused(
        "overlapping_versions",
        publication.amend,
        procedure=province.birth,
        changes={"name": "Hai"},
        decision=same_day,
        today=date(2026, 3, 20),
    )
    refused(
        "overlapping_versions",
        publication.abolish,
        procedure=province.birth,
        decision=same_day,
        today=date(2026, 3, 20),
    )


def test_steps_that_do_not_add_up_to_the_new_limit_are_refused(province):
    decision = decide("27/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    refused(
        "steps_do_not_add_up",
        publication.amend,
        procedure=province.birth,
        changes={"time_limit_amount": Decimal(5)},
        decision=decision,
        today=date(2027, 3, 1),
    )


def test_announcing_a_code_in_force_and_unknown_fields_are_refused(province):
    decision = decide("28/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    refused("procedure_exists", publication.announce, decision=decision, data={"code": BIRTH, "name": "x"})
    refused(
        "unknown_field",
        publication.amend,
        procedure=province.birth,
        changes={"version": 7},
        decision=decision,
        today=date(2027, 3, 1),
    )


def test_a_batch_with_one_refused_change_changes_nothing(province):
    decision = decide("29/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    state = catalogue_state()
    with pytest.raises(ValidationFailed, match=r"Thủ tục 9\.999999:"):
        publication.apply_changes(
            decision=decision,
            today=date(2027, 3, 1),
            changes=[
                publication.Change(code="1.013978", kind="amend", fields={"who_applies": "Cá nhân"}),
                publication.Change(code="9.999999", kind="abolish"),
            ],
        )
    assert catalogue_state() == state


def test_a_version_is_received_only_on_the_days_it_is_in_force(province):
    """The service itself refuses a stale or not-yet version (a form kept open across the effective date,
    an API client holding an old row), not only the lookups."""
    decision = decide("13/QĐ-UBND", date(2027, 3, 1), date(2027, 3, 15))
    v2 = publication.amend(
        procedure=province.birth,
        changes={"time_limit_amount": Decimal(5), "steps": five_day_steps()},
        decision=decision,
        today=date(2027, 3, 1),
    )
    province.birth.refresh_from_db()
    with pytest.raises(ValidationFailed) as early:
        receive(province, v2, local(2027, 3, 12, 16))
    assert early.value.field_messages() == {
        "procedure": "Phiên bản 2 của thủ tục 1.001193 không có hiệu lực ngày 12/03/2027."
    }
    with pytest.raises(ValidationFailed) as stale:
        receive(province, province.birth, local(2027, 3, 15, 8))
    assert stale.value.field_messages() == {
        "procedure": "Phiên bản 1 của thủ tục 1.001193 không có hiệu lực ngày 15/03/2027."
    }
    assert not Dossier.objects.exists()
    assert receive(province, v2, local(2027, 3, 15, 8)).procedure_id == v2.pk

"""Parallel groups of a process template (`ProcessStep.parallel_group`) on the catalogue side: the time limit
check, the admin, the API and the public page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from motcua.catalog import publication, selectors
from motcua.catalog.models import ProcessStep
from motcua.core.errors import ValidationFailed
from motcua.core.roles import Role
from tests.core.test_config_audit import admin_client as admin_client  # the fixture

K = ProcessStep.UnitKind


def group_steps(province, group: int | None = 1) -> list[dict]:
    """The commune and the department check at once (3 and 5 days), then the department's leader (2)."""
    return [
        {
            "name": "Xã thẩm định",
            "unit_kind": K.RECEIVING_COMMUNE,
            "role": Role.SPECIALIST,
            "duration": Decimal(3),
            "parallel_group": group,
        },
        {
            "name": "Sở thẩm định",
            "unit_kind": K.FIXED,
            "unit": province.justice,
            "role": Role.SPECIALIST,
            "duration": Decimal(5),
            "parallel_group": group,
        },
        {
            "name": "Lãnh đạo Sở phê duyệt",
            "unit_kind": K.FIXED,
            "unit": province.justice,
            "role": Role.UNIT_LEADER,
            "duration": Decimal(2),
            "is_approval": True,
        },
    ]


def with_group(province):
    """The inter-agency procedure's first two steps (3 and 5 days) made a parallel group."""
    procedure = province.inter_agency
    procedure.steps.filter(position__in=[1, 2]).update(parallel_group=1)
    return procedure


def test_stages_and_total_count_a_group_by_its_longest_step(province):
    procedure = with_group(province)
    steps = list(procedure.steps.order_by("position"))
    assert [[s.position for s in stage] for stage in selectors.stages(steps)] == [[1, 2], [3]]
    assert selectors.process_total(steps) == Decimal(7)  # max(3, 5) + 2
    # Only consecutive steps of one group run at once: the same number after another step starts anew.
    steps[1].parallel_group, steps[2].parallel_group = None, 1
    assert [[s.position for s in stage] for stage in selectors.stages(steps)] == [[1], [2], [3]]
    assert selectors.process_total(steps) == Decimal(10)
    assert selectors.process_total([]) == Decimal(0)


def test_a_parallel_group_counts_by_its_longest_step_in_the_time_limit_check(province):
    decision = publication.record_decision(
        number="41/QĐ-UBND",
        signed_on=date(2027, 3, 1),
        signer="Chủ tịch UBND tỉnh",
        effective_on=date(2027, 3, 15),
        acting_user=None,
    )
    # 3 + 5 + 2 = 10 in sequence, but 5 + 2 = 7 with the group: the 10-day limit no longer matches.
    with pytest.raises(ValidationFailed) as refused:
        publication.amend(
            procedure=province.inter_agency,
            changes={"steps": group_steps(province)},
            decision=decision,
            today=date(2027, 3, 1),
        )
    assert refused.value.code == "steps_do_not_add_up"
    assert "(7)" in str(refused.value.message)
    v2 = publication.amend(
        procedure=province.inter_agency,
        changes={"time_limit_amount": Decimal(7), "steps": group_steps(province)},
        decision=decision,
        today=date(2027, 3, 1),
    )
    assert list(v2.steps.order_by("position").values_list("parallel_group", flat=True)) == [1, 1, None]


def test_an_amendment_without_steps_copies_the_groups(province):
    with_group(province)
    province.inter_agency.time_limit_amount = Decimal(7)
    province.inter_agency.save()
    decision = publication.record_decision(
        number="42/QĐ-UBND",
        signed_on=date(2027, 3, 1),
        signer="Chủ tịch UBND tỉnh",
        effective_on=date(2027, 3, 15),
        acting_user=None,
    )
    v2 = publication.amend(
        procedure=province.inter_agency,
        changes={"name": "Thủ tục liên thông (sửa đổi)"},
        decision=decision,
        today=date(2027, 3, 1),
    )
    assert list(v2.steps.order_by("position").values_list("parallel_group", flat=True)) == [1, 1, None]


def test_the_api_gives_each_steps_parallel_group(province):
    with_group(province)
    body = APIClient().get("/api/v1/procedures/1.013978/").json()
    assert [(s["position"], s["parallel_group"]) for s in body["steps"]] == [(1, 1), (2, 1), (3, None)]


def test_the_public_page_shows_the_steps_of_a_group_as_parallel(client, province):
    url = reverse("catalog:procedure_detail", args=["1.013978"])
    assert "song song" not in client.get(url).content.decode()
    with_group(province)
    html = client.get(url).content.decode()
    rows = html.split("</tr>")
    assert "song song" in next(r for r in rows if "Xã thẩm định" in r)
    assert "song song" in next(r for r in rows if "Sở thẩm định" in r)
    assert "song song" not in next(r for r in rows if "Lãnh đạo Sở phê duyệt" in r)
    assert "thời gian của nhóm là thời gian của bước dài nhất" in html


def test_the_admin_step_inline_has_the_parallel_group(province, admin_client):
    response = admin_client.get(f"/admin/catalog/procedure/{province.inter_agency.pk}/change/")
    assert response.status_code == 200
    assert 'name="steps-0-parallel_group"' in response.content.decode()

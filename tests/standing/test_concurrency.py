"""Two administrators importing the same year at once: each import replaces the year whole, one after the
other (the row lock, or the unique index and index for the first creation), never a mix of both files.

Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (row locks)."""

import pytest

from motcua.core.errors import ConflictError
from motcua.core.roles import Role
from motcua.standing import services
from motcua.standing.models import ComponentScore, Standing
from tests.concurrency import run_at_once
from tests.factories import build_province, make_user
from tests.standing.helpers import PAPI_2023, workbook

pytestmark = pytest.mark.django_db(transaction=True)

OTHER = [
    {**PAPI_2023[0], "Điểm": 40, "Xếp hạng": 30},
    {"Chỉ số": "PAPI", "Năm": 2023, "Mã thành phần": "moi_truong", "Điểm": 4, "Điểm tối đa": 10},
]


@pytest.mark.parametrize("existing", [False, True])
def test_two_imports_of_one_year_at_once(existing):
    p = build_province()
    other_admin = make_user("admin2", Role.CENTER_ADMIN, p.center)
    if existing:
        services.import_workbook(acting_user=p.admin, data=workbook(OTHER))
    outcomes = run_at_once(
        lambda: services.import_workbook(acting_user=p.admin, data=workbook(PAPI_2023)),
        lambda: services.import_workbook(acting_user=other_admin, data=workbook(OTHER)),
    )
    assert all(isinstance(o, list | ConflictError) for o in outcomes), outcomes
    assert any(isinstance(o, list) for o in outcomes)
    papi = Standing.objects.get(index="papi", year=2023)
    codes = sorted(ComponentScore.objects.filter(standing=papi).values_list("code", flat=True))
    # Whichever came last, its file whole: the total row and the components of one file only.
    assert (papi.rank, codes) in ((25, ["dien_tu", "tthc_cong"]), (30, ["moi_truong"]))

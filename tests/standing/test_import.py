"""Importing the published tables (XLSX): a good file is recorded; a file with any wrong row changes nothing
and names every wrong row; a year imported again replaces the index's figures of that year, audited."""

import logging
from decimal import Decimal

import pytest

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.standing import services
from motcua.standing.models import ComponentScore, Standing
from tests.standing.helpers import PAPI_2023, PAR_2023, H, workbook


def snapshot() -> list[tuple]:
    return sorted(
        Standing.objects.values_list("index", "year", "score", "rank", "ranked_out_of", "sample")
    ) + sorted(ComponentScore.objects.values_list("standing__index", "code", "score", "sample"))


def test_a_good_file_is_recorded(province):
    written = services.import_workbook(acting_user=province.admin, data=workbook(PAPI_2023 + PAR_2023))
    assert {(s.index, s.year) for s in written} == {("papi", 2023), ("par_index", 2023)}
    papi = Standing.objects.get(index="papi", year=2023)
    assert (papi.score, papi.max_score, papi.rank, papi.ranked_out_of) == (Decimal("42.8474"), 80, 25, 63)
    assert papi.source_url == "https://noivu.nghean.gov.vn/papi-2023" and not papi.sample
    parts = {c.code: c for c in papi.components.all()}
    assert parts["tthc_cong"].score == Decimal("7.0761")  # a decimal comma in a text cell
    assert parts["tthc_cong"].name == "Thủ tục hành chính công"  # the catalogue's name when none given
    assert parts["dien_tu"].source_url == papi.source_url  # a component row takes its total row's source
    par = Standing.objects.get(index="par_index", year=2023)
    assert par.score is None and par.sample and par.components.get().sample


@pytest.mark.parametrize(
    ("bad_row", "said"),
    [
        ({"Chỉ số": "PCI", "Năm": 2023, "Điểm": 1, "Điểm tối đa": 100}, "dòng 5"),
        ({"Chỉ số": "SIPAS", "Năm": 2023, "Điểm": 101, "Điểm tối đa": 100, "Mẫu": "x"}, "điểm phải từ 0"),
        ({"Chỉ số": "SIPAS", "Năm": 2023, "Điểm": 80, "Điểm tối đa": 100}, "ghi nguồn"),
        (
            {
                "Chỉ số": "SIPAS",
                "Năm": 2023,
                "Điểm": 80,
                "Điểm tối đa": 100,
                "Xếp hạng": 64,
                "Số tỉnh xếp hạng": 63,
                "Mẫu": "x",
            },
            "xếp hạng phải từ 1",
        ),
        (
            {"Chỉ số": "PAPI", "Năm": 2023, "Mã thành phần": "khong_co", "Điểm": 1, "Điểm tối đa": 10},
            "khong_co",
        ),
        (
            {"Chỉ số": "SIPAS", "Năm": 2022, "Mã thành phần": "tthc", "Điểm": 80, "Điểm tối đa": 100},
            "thiếu dòng tổng",
        ),
        ({"Chỉ số": "PAPI", "Năm": 2023, "Điểm": "bốn mươi", "Điểm tối đa": 80}, "dòng 5"),
        (
            {
                "Chỉ số": "SIPAS",
                "Năm": 2023,
                "Điểm": 80,
                "Điểm tối đa": 100,
                "Đường dẫn nguồn": "javascript:alert(1)",
            },
            "https://",
        ),
    ],
)
def test_a_bad_file_changes_nothing(province, bad_row, said):
    services.import_workbook(acting_user=province.admin, data=workbook(PAR_2023))
    before = snapshot()
    # Rows 2–4: a good PAPI 2023; row 5: the bad one.
    with pytest.raises(ValidationFailed) as refused:
        services.import_workbook(acting_user=province.admin, data=workbook([*PAPI_2023, bad_row]))
    assert said in str(refused.value.message) and "chưa nhập gì" in str(refused.value.message)
    assert snapshot() == before


def test_not_a_workbook_or_missing_columns(province):
    with pytest.raises(ValidationFailed, match="không phải tệp XLSX"):
        services.import_workbook(acting_user=province.admin, data=b"%PDF-1.4 not a workbook")
    without_score = [h for h in H if h != "Điểm tối đa"]
    with pytest.raises(ValidationFailed, match="thiếu cột: Điểm tối đa"):
        services.import_workbook(acting_user=province.admin, data=workbook(PAPI_2023, without_score))
    assert not Standing.objects.exists()


def test_importing_a_year_again_replaces_it_and_is_audited(province, caplog):
    services.import_workbook(acting_user=province.admin, data=workbook(PAPI_2023 + PAR_2023))
    first = Standing.objects.get(index="papi", year=2023).pk
    again = [
        {**PAPI_2023[0], "Điểm": 43, "Xếp hạng": 20},
        {"Chỉ số": "PAPI", "Năm": 2023, "Mã thành phần": "moi_truong", "Điểm": 4, "Điểm tối đa": 10},
    ]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="motcua.audit"):
        services.import_workbook(acting_user=province.admin, data=workbook(again))
    papi = Standing.objects.get(index="papi", year=2023)
    assert papi.pk == first and (papi.score, papi.rank) == (Decimal(43), 20)
    assert list(papi.components.values_list("code", flat=True)) == ["moi_truong"]  # the old two are gone
    assert Standing.objects.get(index="par_index", year=2023).components.count() == 1  # not in the file: kept
    records = [r for r in caplog.records if r.getMessage() == "standing_imported"]
    assert len(records) == 1 and records[0].replaced == [papi.pk] and records[0].user_id == province.admin.pk


def test_only_the_center_administrator_imports(province):
    with pytest.raises(PermissionDenied):
        services.import_workbook(acting_user=province.leader, data=workbook(PAPI_2023))
    assert not Standing.objects.exists()

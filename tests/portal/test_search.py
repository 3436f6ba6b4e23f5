"""Catalogue search without diacritics, and the catalogue page's filters."""

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.search import CatalogueFilters, fold, procedure_search


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thủ tục Đăng ký khai sinh", "thu tuc dang ky khai sinh"),
        ("ĐĂNG KÝ  KẾT HÔN", "dang ky ket hon"),
        ("Cấp Phiếu lý lịch tư pháp", "cap phieu ly lich tu phap"),
        ("Nghệ An", "nghe an"),
        ("  ", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.fixture
def named(province):
    Procedure.objects.filter(pk=province.birth.pk).update(
        name="Thủ tục đăng ký khai sinh", online_level="full"
    )
    Procedure.objects.filter(pk=province.nationality.pk).update(name="Thủ tục nhập quốc tịch Việt Nam")
    return province


@pytest.mark.parametrize(
    "q", ["khai sinh", "dang ky khai sinh", "KHAI SINH", "đăng ký khai sinh", "sinh khai"]
)
def test_search_finds_without_diacritics(named, q):
    assert [p.code for p in procedure_search(q).procedures] == ["1.001193"]


def test_search_matches_code_and_filters(named):
    assert len(procedure_search("1.005136").procedures) == 1
    assert (
        len(
            procedure_search(
                "khai sinh", filters=CatalogueFilters(q="khai sinh", level="province")
            ).procedures
        )
        == 0
    )
    assert len(procedure_search("", filters=CatalogueFilters(level="province")).procedures) == 1
    assert len(procedure_search("", filters=CatalogueFilters(agency="Sở Tư pháp")).procedures) == 1
    assert len(procedure_search("", filters=CatalogueFilters(field="Hộ tịch")).procedures) == 3
    assert len(procedure_search("khai tu").procedures) == 0


def test_catalogue_page_links_online_submission(client, named):
    page = client.get("/dich-vu-cong/", {"q": "khai sinh"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thủ tục đăng ký khai sinh" in html and "quốc tịch" not in html
    assert "/thu-tuc/1.001193/" in html and "/nop-ho-so/1.001193/" in html
    assert client.get("/dich-vu-cong/", {"cap": "province", "co_quan": "Sở Tư pháp"}).status_code == 200

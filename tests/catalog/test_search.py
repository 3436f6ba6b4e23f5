"""The one procedure search of the home page and the online services catalogue (#13 item 2): by words,
without diacritics, ranked, tolerant of one wrong letter, with suggestions when nothing is found."""

import re

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.search import distance_at_most_one, procedure_search

pytestmark = pytest.mark.django_db

NAMES = {
    "2.000001": "Đăng ký thành lập hộ kinh doanh",
    "2.000002": "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
    "2.000003": "Đăng ký kinh doanh đối với hợp tác xã",
    "2.000004": "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược",
    "2.000005": "Đăng ký khai sinh",
    "2.000006": "Đăng ký kết hôn",
}


@pytest.fixture
def catalogue(province):
    for code, name in NAMES.items():
        Procedure.objects.create(
            code=code,
            name=name,
            field="Thành lập và hoạt động của hộ kinh doanh" if code == "2.000001" else "Hộ tịch",
            level="commune",
            agency_description="UBND cấp xã",
        )
    return province


def codes(q: str) -> list[str]:
    return [p.code for p in procedure_search(q).procedures]


@pytest.mark.parametrize("q", ["đăng ký kinh doanh", "dang ky kinh doanh", "DANG KY  Kinh Doanh"])
def test_words_in_any_place_of_the_name_not_a_phrase(catalogue, q):
    found = codes(q)
    # The phrase in the name first; then the names holding every word apart.
    assert found[0] == "2.000003"
    assert set(found) == {"2.000001", "2.000002", "2.000003"}


def test_the_name_ranks_before_the_field_and_the_code_first(catalogue):
    Procedure.objects.filter(code="2.000005").update(field="Hộ tịch kinh doanh dược")
    # "dược" is in 2.000004's name and only in 2.000005's field.
    assert codes("kinh doanh duoc") == ["2.000004", "2.000005"]
    assert codes("2.000006")[0] == "2.000006"
    assert codes("  2.000006 ") == ["2.000006"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("khai sinhh", "2.000005"),  # a letter too many
        ("khai sih", "2.000005"),  # a letter missing
        ("ket hôm", "2.000006"),  # a wrong letter
        ("ke hon", None),  # two-letter words must be typed right: "ke" is not "ket"
        ("dang ky kinh doan", "2.000003"),  # the last word being typed
        ("dang ky kihn doanh", "2.000003"),  # two letters swapped
        ("dang ky kinh doanhh hop tac xa", "2.000003"),
    ],
)
def test_one_wrong_letter_still_finds(catalogue, q, expected):
    found = codes(q)
    assert (found[0] if found else None) == expected


def test_a_typo_tolerant_match_never_dilutes_an_exact_one(catalogue):
    Procedure.objects.create(
        code="2.000007", name="Đăng ký khaii sinh (tên gõ sai)", field="Hộ tịch", level="commune"
    )
    assert codes("khai sinh") == ["2.000005"]


def test_suggestions_when_nothing_is_found(catalogue):
    result = procedure_search("dang ky khai sinhxx")
    assert result.procedures == []
    # The query with its unknown word corrected, then the closest names (not twice the same).
    assert result.suggestions == ["đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký thành lập hộ kinh doanh"]
    result = procedure_search("ket honnn")
    assert result.procedures == [] and result.suggestions[0] == "kết hôn"
    assert procedure_search("khai sinh").suggestions == []


def test_home_and_catalogue_give_the_same_results(client, catalogue):
    for q in ("đăng ký kinh doanh", "dang ky kinh doanh"):
        home = client.get("/", {"q": q}).content.decode()
        online = client.get("/dich-vu-cong/", {"q": q}).content.decode()
        on_home = re.findall(r'href="/thu-tuc/([\d.]+)/"', home)
        on_catalogue = re.findall(r'<h2><a href="/thu-tuc/([\d.]+)/"', online)
        assert on_home == on_catalogue == ["2.000003", "2.000001", "2.000002"]


def test_pages_offer_the_suggestions(client, catalogue):
    for url in ("/", "/dich-vu-cong/"):
        html = client.get(url, {"q": "ket honnn"}).content.decode()
        assert "Bạn có muốn tìm:" in html
        assert f'href="{url}?q=k%E1%BA%BFt%20h%C3%B4n"' in html


@pytest.mark.parametrize(
    ("a", "b", "close"),
    [
        ("sinh", "sinh", True),
        ("sinhh", "sinh", True),
        ("sih", "sinh", True),
        ("kihn", "kinh", True),
        ("sinx", "sinh", True),
        ("sixx", "sinh", False),
        ("kinhdoanh", "kinh", False),
    ],
)
def test_distance_at_most_one(a, b, close):
    assert distance_at_most_one(a, b) is close
    assert distance_at_most_one(b, a) is close

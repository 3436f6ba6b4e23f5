"""Choosing where to submit online (#13 item 3): the communes in Vietnamese alphabetical order, with a filter
box, and the commune of the applicant's address chosen in advance."""

import re

import pytest

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.portal.models import Profile
from tests.factories import make_unit

BASE = "/nop-ho-so/1.001193/"
OPTION = re.compile(r'<option value="(\d*)"( selected)?>([^<]*)</option>')


@pytest.fixture
def communes(province) -> dict[str, OrgUnit]:
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    names = ["Xã Bình Minh", "Phường Bích Hào", "Xã Bạch Ngọc", "Xã Đông Sơn", "Xã Diễn Châu", "Xã Ân Phú"]
    made = {
        n: make_unit(f"{i:03d}.00.50.H40", n, OrgUnit.Kind.COMMUNE, province.province)
        for i, n in enumerate(names, 10)
    }
    return made | {u.name: u for u in (province.commune, province.other_commune)}


def applicant(address: str = "") -> dict[str, str]:
    return {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "040090001234",
        "phone": "0912345678",
        "address": address,
        "action": "next",
    }


def options(client) -> list[tuple[str, bool, str]]:
    html = client.get(BASE + "noi-nop/").content.decode()
    start = html.index('<select name="receiving_unit"')
    select = html[start : html.index("</select>", start)]
    return [(pk, bool(selected), name) for pk, selected, name in OPTION.findall(select)]


def chosen(client) -> list[str]:
    return [name for _pk, selected, name in options(client) if selected]


def test_communes_come_in_vietnamese_alphabetical_order_with_a_filter(client, province, communes):
    client.force_login(province.citizen)
    assert client.post(BASE + "nguoi-nop/", applicant()).status_code == 302
    names = [name for pk, _selected, name in options(client) if pk]
    assert names == [
        "Xã Ân Phú",
        "Xã Bạch Ngọc",
        "Phường Bích Hào",
        "Xã Bình Minh",
        "Xã Diễn Châu",
        "Xã Đông Sơn",
        "Xã Hưng Nguyên",
        "Phường Thành Vinh",
    ]
    assert chosen(client) == ["— Chọn nơi tiếp nhận —"]  # no address: nothing guessed
    html = client.get(BASE + "noi-nop/").content.decode()
    assert 'data-filter="Gõ để lọc theo tên xã, phường"' in html and "<script nonce=" in html


def test_the_commune_of_the_address_given_for_the_applicant_is_chosen(client, province, communes):
    client.force_login(province.citizen)
    assert client.post(BASE + "nguoi-nop/", applicant("Xóm 4, xa Bich Hao, tinh Nghe An")).status_code == 302
    assert chosen(client) == ["Phường Bích Hào"]


def test_else_the_commune_of_the_account_address(client, province, communes):
    Profile.objects.create(
        user=province.citizen, kind="citizen", id_number="040090001234", address="Số 2, xã Bình Minh, Nghệ An"
    )
    client.force_login(province.citizen)
    assert client.post(BASE + "nguoi-nop/", applicant("")).status_code == 302
    assert chosen(client) == ["Xã Bình Minh"]


def test_a_choice_already_made_is_kept(client, province, communes):
    client.force_login(province.citizen)
    client.post(BASE + "nguoi-nop/", applicant("Xóm 4, xã Bích Hào"))
    unit = communes["Xã Đông Sơn"]
    assert client.post(BASE + "noi-nop/", {"receiving_unit": unit.pk, "action": "next"}).status_code == 302
    assert chosen(client) == ["Xã Đông Sơn"]

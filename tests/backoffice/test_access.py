"""Only officers use the back office, and each sees only the dossiers in their scope."""

import pytest

from motcua.dossiers.states import Status
from tests.backoffice.helpers import BASE, client_for, dossier_url, post_act
from tests.dossiers.helpers import dossier_in


@pytest.mark.parametrize("url", [BASE, f"{BASE}tiep-nhan/", f"{BASE}ho-so/X-1/"])
def test_pages_need_login(db, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/?next=")


def test_login_page_signs_an_officer_in_and_out(province, client):
    page = client.get(f"{BASE}dang-nhap/")
    assert page.status_code == 200
    assert "Tên đăng nhập" in page.content.decode()
    response = client.post(f"{BASE}dang-nhap/", {"username": "counter", "password": "pw-counter"})
    assert response.status_code == 302 and response["Location"] == BASE
    assert client.get(BASE).status_code == 200
    assert client.post(f"{BASE}dang-xuat/").status_code == 302
    assert client.get(BASE).status_code == 302


def test_wrong_password_is_shown_in_vietnamese(province, client):
    response = client.post(f"{BASE}dang-nhap/", {"username": "counter", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


@pytest.mark.parametrize("who", ["citizen", "system"])
def test_non_officers_get_a_vietnamese_403(province, who):
    response = client_for(getattr(province, who)).get(BASE)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_only_counter_officers_receive_at_the_counter(province):
    assert client_for(province.specialist).get(f"{BASE}tiep-nhan/").status_code == 403
    assert client_for(province.counter).get(f"{BASE}tiep-nhan/").status_code == 200


def test_an_officer_of_another_commune_sees_nothing_of_this_commune(province):
    processing = dossier_in(province, Status.PROCESSING)
    accepted = dossier_in(province, Status.ACCEPTED)
    other = client_for(province.other_counter)
    lists = other.get(BASE, {"list": "da-tiep-nhan"})
    content = lists.content.decode()
    assert accepted.code not in content and processing.code not in content
    assert all(count == 0 for _work, count in lists.context["nav_lists"])
    for suffix in ("", "phieu-kiem-soat/", "phieu/tiep-nhan.pdf", "tep/1/"):
        assert other.get(dossier_url(processing, suffix)).status_code == 404, suffix
    response = post_act(other, accepted, "start-processing")
    assert response.status_code == 404
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_unknown_act_and_get_on_an_act_are_refused(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    client = client_for(province.counter)
    assert client.get(dossier_url(dossier, "xu-ly/start-processing/")).status_code == 405
    assert post_act(client, dossier, "fly-away").status_code == 404

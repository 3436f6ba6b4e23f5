"""The back office's pages of the axis: the officer holding the step sends the dossier from its page;
others see the exchanges without the button; center administrators read the log of every exchange."""

import pytest

from motcua.interop.axis import sandbox
from motcua.interop.models import Exchange, MinistryCase
from tests.interop.axis.support import connect
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db(transaction=True)
SEND = "Gửi hồ sơ sang bộ/ngành qua trục liên thông"


@pytest.fixture
def axis(settings, live_server) -> str:
    connect(settings, live_server.url)
    settings.MOTCUA_OFFICER_OTP = False
    return live_server.url


def test_the_officer_holding_the_step_sends_from_the_dossier_page(axis, province, judicial_record):
    dossier = province.processing(judicial_record)
    client = client_for(province.justice_specialist)
    url = f"/can-bo/ho-so/{dossier.code}/lien-thong/"

    page = client.get(url)
    assert page.status_code == 200 and SEND in page.content.decode()
    listed = client.get("/can-bo/lien-thong/").content.decode()
    assert dossier.code in listed

    sent = client.post(url, follow=True)

    assert sent.status_code == 200
    text = sent.content.decode()
    assert f"Đã gửi hồ sơ {dossier.code} sang bộ/ngành" in text and SEND not in text
    assert "Đã gửi, bộ/ngành đã nhận" in text and "lltp.tiep_nhan" in text
    assert MinistryCase.objects.get(dossier=dossier).state == MinistryCase.State.SENT
    assert len(sandbox.received()) == 1


def test_others_see_no_button_and_a_post_sends_nothing(axis, province, judicial_record):
    dossier = province.processing(judicial_record)
    client = client_for(province.justice_leader)
    url = f"/can-bo/ho-so/{dossier.code}/lien-thong/"
    counter = client_for(province.center_counter)

    assert SEND not in counter.get(url).content.decode()
    refused = counter.post(url, follow=True)

    assert "Chỉ cán bộ đang giữ bước thẩm định" in refused.content.decode()
    assert not MinistryCase.objects.exists() and sandbox.received() == []
    assert client.get("/can-bo/ho-so/KHONG-CO/lien-thong/").status_code == 404


def test_the_log_of_every_exchange_is_for_center_administrators(axis, province, judicial_record):
    dossier = province.processing(judicial_record)
    client_for(province.justice_specialist).post(f"/can-bo/ho-so/{dossier.code}/lien-thong/")
    assert Exchange.objects.filter(service="lltp.tiep_nhan").count() == 1

    admin_page = client_for(province.admin).get("/can-bo/lien-thong/?ket-qua=delivered").content.decode()
    officer_page = client_for(province.justice_specialist).get("/can-bo/lien-thong/").content.decode()

    assert "Nhật ký trao đổi qua trục LGSP/NGSP" in admin_page and "btp/lltp" not in admin_page
    assert "lltp.tiep_nhan" in admin_page and "Đã gửi, được chấp nhận" in admin_page
    assert "Nhật ký trao đổi qua trục LGSP/NGSP" not in officer_page


def test_the_dossier_page_links_to_its_ministry_page_only_when_a_system_is_connected(
    axis, province, judicial_record
):
    connected = province.processing(judicial_record)
    other = province.processing(province.inter_agency)
    client = client_for(province.justice_specialist)

    page = client.get(f"/can-bo/ho-so/{connected.code}/").content.decode()
    assert f'href="/can-bo/ho-so/{connected.code}/lien-thong/"' in page
    assert "Gửi và theo dõi hồ sơ trên Phần mềm cấp Phiếu lý lịch tư pháp (Bộ Tư pháp)" in page
    page = client_for(province.specialist).get(f"/can-bo/ho-so/{other.code}/").content.decode()
    assert f"/can-bo/ho-so/{other.code}/lien-thong/" not in page and "Gửi và theo dõi hồ sơ trên" not in page

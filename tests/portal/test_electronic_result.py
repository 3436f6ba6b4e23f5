"""The signed e-result reaches the applicant: a download on "my dossiers" and on the dossier's page, for the
applicant's account verified for the applicant's number only."""

import pytest

from motcua.core.models import User
from motcua.documents import services as documents
from motcua.documents import verification
from motcua.dossiers.states import Status
from tests.dossiers.helpers import dossier_in


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"


@pytest.fixture
def returned(province):
    """A dossier of the (verified) citizen whose result was returned, with its signed e-result."""
    dossier = dossier_in(province, Status.RETURNED)
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    documents.issue_electronic_result(dossier=dossier, acting_user=province.leader)
    return dossier


def _url(dossier) -> str:
    return f"/ho-so-cua-toi/{dossier.code}/ket-qua.pdf"


def test_the_applicant_downloads_the_signed_result_from_the_list_and_the_page(client, province, returned):
    client.force_login(province.citizen)
    assert _url(returned) in client.get("/ho-so-cua-toi/").content.decode()
    page = client.get(f"/ho-so-cua-toi/{returned.code}/").content.decode()
    assert _url(returned) in page and "Tải kết quả điện tử" in page
    response = client.get(_url(returned))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    check = verification.verify_document(data=data)
    assert check.valid and check.dossier_code == returned.code


def test_a_finished_dossier_offers_it_too(client, province):
    dossier = dossier_in(province, Status.FINISHED)
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    client.force_login(province.citizen)
    assert _url(dossier) not in client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert client.get(_url(dossier)).status_code == 404  # no e-result yet
    documents.issue_electronic_result(dossier=dossier, acting_user=province.leader)
    assert _url(dossier) in client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert client.get(_url(dossier)).status_code == 200


def test_another_citizen_gets_404_and_anonymous_is_sent_to_login(client, province, returned):
    client.force_login(province.other_citizen)
    assert client.get(_url(returned)).status_code == 404
    assert _url(returned) not in client.get("/ho-so-cua-toi/").content.decode()
    client.force_login(province.counter)  # an officer is no citizen: the portal's download is not theirs
    assert client.get(_url(returned)).status_code == 403
    client.logout()
    response = client.get(_url(returned))
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_an_account_only_declaring_the_number_is_told_to_verify_not_given_the_file(
    client, province, returned
):
    User.objects.filter(pk=province.citizen.pk).update(identity_verified_at=None)
    client.force_login(province.citizen)
    assert client.get(_url(returned)).status_code == 404
    page = client.get(f"/ho-so-cua-toi/{returned.code}/").content.decode()
    assert _url(returned) not in page and "cần được xác thực danh tính" in page
    assert _url(returned) not in client.get("/ho-so-cua-toi/").content.decode()

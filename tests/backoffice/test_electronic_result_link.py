"""The back office dossier page links the signed e-result once issued; the file opens for officers who may
see the dossier and for nobody else."""

import pytest

from motcua.documents import services as documents
from motcua.documents import verification
from motcua.dossiers.states import Status
from tests.backoffice.helpers import client_for, dossier_url
from tests.dossiers.helpers import dossier_in


@pytest.fixture(autouse=True)
def _pki(settings, tmp_path):
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"


def _result_url(dossier) -> str:
    return f"/tai-lieu/ket-qua/{dossier.code}.pdf"


def test_the_page_links_the_signed_result_once_issued(province):
    dossier = dossier_in(province, Status.FINISHED)
    counter = client_for(province.counter)
    assert _result_url(dossier) not in counter.get(dossier_url(dossier)).content.decode()
    assert counter.get(_result_url(dossier)).status_code == 404
    documents.issue_electronic_result(dossier=dossier, acting_user=province.leader)
    body = counter.get(dossier_url(dossier)).content.decode()
    assert _result_url(dossier) in body and "Kết quả giải quyết điện tử" in body
    response = counter.get(_result_url(dossier))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    check = verification.verify_document(data=b"".join(response.streaming_content))
    assert check.valid and check.dossier_code == dossier.code


def test_only_officers_who_see_the_dossier_get_the_file(province):
    dossier = dossier_in(province, Status.RETURNED)
    documents.issue_electronic_result(dossier=dossier, acting_user=province.leader)
    assert client_for(province.specialist).get(_result_url(dossier)).status_code == 200
    assert client_for(province.other_counter).get(dossier_url(dossier)).status_code == 404
    assert client_for(province.other_counter).get(_result_url(dossier)).status_code == 404
    assert client_for(province.other_citizen).get(_result_url(dossier)).status_code == 404
    anonymous = client_for(None).get(_result_url(dossier))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/can-bo/dang-nhap/")

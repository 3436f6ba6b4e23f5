"""An online draft shows each file under the name its applicant gave it (#13 item 15): the same bytes
uploaded earlier by someone else carry that person's name on the shared blob, never shown to the next."""

import pytest
from django.test import Client

from motcua.catalog.models import Procedure
from motcua.documents.models import ComponentFile, StoredFile
from tests.portal.helpers import pdf_upload
from tests.portal.test_submission import BASE, fill_to_components

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_draft_names_the_file_as_its_applicant_did_and_the_dossier_keeps_it(province):
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    first, second = signed_in(province.other_citizen), signed_in(province.citizen)
    fill_to_components(first, province)
    first.post(BASE + "giay-to-1/", {"files": pdf_upload("CCCD_Nguyen_Van_A.pdf"), "action": "upload"})
    fill_to_components(second, province)
    second.post(BASE + "giay-to-1/", {"files": pdf_upload("giay_to_cua_toi.pdf"), "action": "upload"})
    assert StoredFile.objects.count() == 1  # the same bytes, stored once

    for page in (second.get(BASE + "giay-to-1/"), second.get(BASE + "xem-lai/")):
        assert "giay_to_cua_toi.pdf" in page.text and "CCCD_Nguyen_Van_A" not in page.text
    assert "CCCD_Nguyen_Van_A.pdf" in first.get(BASE + "giay-to-1/").text

    second.post(BASE + "giay-to-2/", {"action": "next"})
    second.post(BASE + "le-phi/", {"action": "next"})
    assert second.post(BASE + "xem-lai/", {"action": "submit"}).status_code == 302
    attached = ComponentFile.objects.get(dossier_component__dossier__applicant_user=province.citizen)
    assert attached.file_name == "giay_to_cua_toi.pdf"

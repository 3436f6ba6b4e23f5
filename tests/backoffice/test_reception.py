"""Counter reception: receive with scans, guide to complete (the visit recorded), refuse; all or nothing."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import ComponentFile, StoredFile
from motcua.dossiers.models import CounterGuidance, Dossier, DossierEvent
from motcua.dossiers.states import Status
from tests.backoffice.helpers import BASE, client_for, dossier_url
from tests.factories import Province
from tests.support.pdfs import scanned_pdf


def form_data(p: Province, procedure=None, **overrides) -> dict:
    procedure = procedure or p.birth
    data = {
        "channel": "counter",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "040090001234",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": "Phường Thành Vinh",
        "summary": "Đăng ký khai sinh",
        "action": "receive",
    }
    for component in procedure.components.filter(is_mandatory=True):
        data[f"component_{component.pk}"] = "1"
    return data | overrides


def post_form(client, procedure, data: dict, token: str | None = None):
    """Submit the reception form as the browser does: with the one-time token of a freshly rendered form."""
    url = f"{BASE}tiep-nhan/{procedure.code}/"
    if token is None:
        token = form_token(client.get(url))
    return client.post(url, data | {"form_token": token})


def form_token(response) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
    assert match, "the reception form carries a one-time token"
    return match.group(1)


def mandatory(procedure):
    return procedure.components.get(is_mandatory=True)


def counts() -> tuple[int, int, int, int]:
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        StoredFile.objects.count(),
        ComponentFile.objects.count(),
    )


def test_the_counter_chooses_among_the_procedures_its_unit_receives(province):
    body = client_for(province.counter).get(f"{BASE}tiep-nhan/").content.decode()
    assert province.birth.code in body and province.inter_agency.code in body
    assert province.nationality.code not in body  # province level: the center receives it
    center = client_for(province.center_counter).get(f"{BASE}tiep-nhan/").content.decode()
    assert province.nationality.code in center and province.birth.code not in center
    assert (
        client_for(province.counter).get(f"{BASE}tiep-nhan/{province.nationality.code}/").status_code == 404
    )


def test_the_form_shows_the_checklist_and_the_fees(province):
    body = client_for(province.counter).get(f"{BASE}tiep-nhan/{province.birth.code}/").content.decode()
    assert "Tờ khai" in body and "Giấy ủy quyền (nếu có)" in body
    assert "10.000 đồng" in body
    assert 'type="file"' in body and "multiple" in body
    for label in ("Tiếp nhận", "Hướng dẫn bổ sung", "Từ chối"):
        assert f">{label}</button>" in body


def test_unpublished_fee_reads_not_published(province):
    province.birth.fees.update(amount_vnd=None)
    body = client_for(province.counter).get(f"{BASE}tiep-nhan/{province.birth.code}/").content.decode()
    assert "Chưa công bố" in body


def test_receive_creates_the_dossier_with_its_scans(province):
    component = mandatory(province.inter_agency)
    data = form_data(province, province.inter_agency)
    data[f"scan_{component.pk}"] = [scanned_pdf("to-khai-1.pdf", "1"), scanned_pdf("to-khai-2.pdf", "2")]
    client = client_for(province.counter)
    response = post_form(client, province.inter_agency, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response["Location"] == dossier_url(dossier)
    assert dossier.status == Status.ACCEPTED and dossier.receiving_unit == province.commune
    assert dossier.applicant_name == "Nguyễn Văn An" and dossier.summary == "Đăng ký khai sinh"
    files = ComponentFile.objects.filter(dossier_component__dossier=dossier)
    assert sorted(f.stored_file.original_name for f in files) == ["to-khai-1.pdf", "to-khai-2.pdf"]
    assert {f.dossier_component.procedure_component_id for f in files} == {component.pk}
    page = client.get(response["Location"]).content.decode()
    assert "to-khai-1.pdf" in page and "/phieu/tiep-nhan.pdf" in page
    assert "Đã tiếp nhận hồ sơ" in page
    download = client.get(dossier_url(dossier, f"tep/{files[0].pk}/"))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    # Out of scope: the file is as unknown as the dossier.
    other = client_for(province.other_counter)
    assert other.get(dossier_url(dossier, f"tep/{files[0].pk}/")).status_code == 404


def test_a_bad_citizen_id_is_shown_and_nothing_is_created(province):
    data = form_data(province, applicant_id_number="12345")
    data[f"scan_{mandatory(province.birth).pk}"] = scanned_pdf()
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    assert "12 chữ số" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_a_corrupt_upload_refuses_everything(province):
    data = form_data(province)
    good = scanned_pdf("ok.pdf")
    bad = SimpleUploadedFile("hong.pdf", b"this is not a pdf at all", content_type="application/pdf")
    data[f"scan_{mandatory(province.birth).pk}"] = [good, bad]
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "hong.pdf" in body and "Tờ khai" in body
    assert counts() == (0, 0, 0, 0)


def test_a_missing_mandatory_component_cannot_be_received(province):
    data = form_data(province)
    del data[f"component_{mandatory(province.birth).pk}"]
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    assert "hướng dẫn bổ sung" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_supplement_guidance_prints_the_missing_items_and_records_the_visit(province):
    data = form_data(province, action="guide", applicant_id_number="", other_missing="Ảnh 4x6\n")
    del data[f"component_{mandatory(province.birth).pk}"]
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Phiếu hướng dẫn bổ sung, hoàn thiện hồ sơ" in body
    assert "Tờ khai" in body and "Ảnh 4x6" in body and "Nguyễn Văn An" in body
    assert counts() == (0, 0, 0, 0)  # no dossier, no event, no file
    guidance = CounterGuidance.objects.get()
    assert (guidance.officer, guidance.receiving_unit, guidance.applicant_name) == (
        province.counter,
        province.commune,
        "Nguyễn Văn An",
    )
    assert [item["name"] for item in guidance.missing_items] == ["Tờ khai", "Ảnh 4x6"]


def test_guidance_needs_something_missing(province):
    data = form_data(province, action="guide")
    for component in province.birth.components.all():
        data[f"component_{component.pk}"] = "1"
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    assert "không có gì cần hướng dẫn bổ sung" in response.content.decode()
    assert not CounterGuidance.objects.exists()


def test_refusal_needs_a_reason_and_records_the_refused_dossier(province):
    client = client_for(province.counter)
    response = post_form(client, province.birth, form_data(province, action="refuse"))
    assert response.status_code == 400 and counts() == (0, 0, 0, 0)
    response = post_form(
        client, province.birth, form_data(province, action="refuse", reason="Sai thẩm quyền")
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NOT_ACCEPTED
    page = client.get(response["Location"]).content.decode()
    assert "/phieu/tu-choi.pdf" in page
    assert client.get(dossier_url(dossier, "phieu/tu-choi.pdf"))["Content-Type"] == "application/pdf"


def test_a_scan_for_an_unticked_component_is_refused(province):
    data = form_data(province)
    optional = province.birth.components.get(is_mandatory=False)
    data[f"scan_{optional.pk}"] = scanned_pdf()
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_a_dossier_with_no_component_provided_is_not_received(province):
    # Every component conditional: no mandatory one is missing, yet an empty dossier is still refused.
    province.birth.components.update(is_mandatory=False)
    data = form_data(province)
    response = post_form(client_for(province.counter), province.birth, data)
    assert response.status_code == 400
    assert "không thể tiếp nhận một hồ sơ trống" in response.content.decode()
    assert counts() == (0, 0, 0, 0)
    data[f"component_{province.birth.components.get(position=2).pk}"] = "1"
    assert post_form(client_for(province.counter), province.birth, data).status_code == 302


def test_submitting_the_same_form_twice_creates_one_dossier(province):
    client = client_for(province.counter)
    token = form_token(client.get(f"{BASE}tiep-nhan/{province.birth.code}/"))
    first = post_form(client, province.birth, form_data(province), token=token)
    assert first.status_code == 302
    dossier = Dossier.objects.get()
    again = post_form(
        client, province.birth, form_data(province, applicant_name="Nguyễn Văn Ba"), token=token
    )
    assert again.status_code == 409
    body = again.content.decode()
    assert f"hồ sơ {dossier.code} đã được lập" in body and f'href="{dossier_url(dossier)}"' in body
    assert Dossier.objects.count() == 1 and DossierEvent.objects.count() == 1
    # A refusal through the same form is a second submission too.
    refused = post_form(
        client, province.birth, form_data(province, action="refuse", reason="Sai"), token=token
    )
    assert refused.status_code == 409 and Dossier.objects.count() == 1
    # The page offers a fresh form: with its token, the next applicant's dossier is received.
    fresh = form_token(again)
    assert fresh != token
    assert post_form(client, province.birth, form_data(province), token=fresh).status_code == 302
    assert Dossier.objects.count() == 2


def test_a_token_this_session_was_not_given_is_refused(province):
    client = client_for(province.counter)
    response = post_form(client, province.birth, form_data(province), token="forged")
    assert response.status_code == 400 and "Biểu mẫu đã hết hạn" in response.content.decode()
    other = client_for(province.counter)  # another session of the same officer: its own tokens
    token = form_token(other.get(f"{BASE}tiep-nhan/{province.birth.code}/"))
    assert post_form(client, province.birth, form_data(province), token=token).status_code == 400
    assert counts() == (0, 0, 0, 0)


def test_a_concurrent_second_submission_is_stopped_by_the_token_row(province, monkeypatch):
    """The second submission missed the first's token at lookup; its insert fails and nothing of it stays."""
    from motcua.backoffice.views import reception

    client = client_for(province.counter)
    token = form_token(client.get(f"{BASE}tiep-nhan/{province.birth.code}/"))
    assert post_form(client, province.birth, form_data(province), token=token).status_code == 302
    dossier = Dossier.objects.get()
    calls: list[str] = []
    lookup = reception._dossier_of_token

    def missing_once(request, token: str) -> str | None:
        calls.append(token)
        return None if len(calls) == 1 else lookup(request, token)

    monkeypatch.setattr(reception, "_dossier_of_token", missing_once)
    again = post_form(client, province.birth, form_data(province), token=token)
    assert again.status_code == 409 and f"hồ sơ {dossier.code} đã được lập" in again.content.decode()
    assert Dossier.objects.count() == 1 and DossierEvent.objects.count() == 1

"""Online submission: one page at a time, drafts resumed, uploads checked, submitted as status 1."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import Procedure
from motcua.documents.models import ComponentFile, StoredFile
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.interop.models import Notification
from motcua.portal.models import Draft
from tests.portal.helpers import exe_upload, pdf_upload

BASE = "/nop-ho-so/1.001193/"


@pytest.fixture
def citizen_client(client, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    client.force_login(province.citizen)
    return client


def fill_to_components(client, province):
    first = client.get(BASE)
    assert first.status_code == 302 and first["Location"].endswith("/nguoi-nop/")
    applicant = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "040090001234",
        "phone": "0912345678",
        "email": "an@example.vn",
        "action": "next",
    }
    assert client.post(BASE + "nguoi-nop/", applicant)["Location"].endswith("/noi-nop/")
    response = client.post(BASE + "noi-nop/", {"receiving_unit": province.commune.pk, "action": "next"})
    assert response["Location"].endswith("/giay-to-1/")


def test_full_submission_arrives_at_the_receiving_unit(
    citizen_client, province, django_capture_on_commit_callbacks
):
    client = citizen_client
    fill_to_components(client, province)
    assert client.post(BASE + "giay-to-1/", {"files": pdf_upload(), "action": "next"})["Location"].endswith(
        "/giay-to-2/"
    )
    assert client.post(BASE + "giay-to-2/", {"action": "next"})["Location"].endswith("/le-phi/")
    assert client.post(BASE + "le-phi/", {"action": "next"})["Location"].endswith("/xem-lai/")
    review = client.get(BASE + "xem-lai/")
    assert "to-khai.pdf" in review.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(BASE + "xem-lai/", {"action": "submit"})
    dossier = Dossier.objects.get()
    assert done["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    assert (dossier.status, dossier.channel, dossier.receiving_unit) == (
        Status.NEW_ONLINE,
        "online",
        province.commune,
    )
    assert dossier.applicant_user == province.citizen
    files = ComponentFile.objects.filter(dossier_component__dossier=dossier)
    assert [(f.kind, f.dossier_component.name) for f in files] == [("upload", "Tờ khai")]
    assert not Draft.objects.exists()
    assert Notification.objects.filter(dossier_code=dossier.code, recipient="an@example.vn").exists()
    assert dossier.code in client.get("/ho-so-cua-toi/").content.decode()


def test_mandatory_component_cannot_be_skipped(citizen_client, province):
    fill_to_components(citizen_client, province)
    response = citizen_client.post(BASE + "giay-to-1/", {"action": "next"})
    assert response.status_code == 400 and "Tờ khai" in response.content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        exe_upload(),
        SimpleUploadedFile("anh.png", b"GIF89a" + b"\x00" * 50, content_type="image/png"),
        SimpleUploadedFile("trong.pdf", b"", content_type="application/pdf"),
    ],
    ids=["renamed-executable", "wrong-type", "empty"],
)
def test_bad_upload_is_refused_and_nothing_saved(citizen_client, province, upload, settings):
    fill_to_components(citizen_client, province)
    response = citizen_client.post(BASE + "giay-to-1/", {"files": upload, "action": "next"})
    assert response.status_code == 400
    html = response.content.decode()
    assert any(m in html for m in ("Chỉ nhận tệp PDF, JPEG hoặc PNG", "Tệp rỗng", "rỗng"))
    assert not StoredFile.objects.exists()
    assert Draft.objects.get().data.get("files", {}) == {}
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_oversized_upload_is_refused(citizen_client, province, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 500
    fill_to_components(citizen_client, province)
    response = citizen_client.post(BASE + "giay-to-1/", {"files": pdf_upload(pages=5), "action": "next"})
    assert response.status_code == 400 and "vượt quá dung lượng" in response.content.decode()
    assert not StoredFile.objects.exists()


def test_draft_is_saved_and_resumed(citizen_client, province, client):
    fill_to_components(citizen_client, province)
    saved = citizen_client.post(BASE + "giay-to-1/", {"files": pdf_upload(), "action": "exit"})
    assert saved["Location"] == "/ho-so-cua-toi/"
    listing = citizen_client.get("/ho-so-cua-toi/").content.decode()
    assert "Tiếp tục nộp" in listing
    assert not Dossier.objects.exists()
    # Later (another session), the draft resumes at the first page not answered yet.
    citizen_client.logout()
    citizen_client.force_login(province.citizen)
    resumed = citizen_client.get(BASE)
    assert resumed["Location"].endswith("/giay-to-2/")
    page = citizen_client.get(BASE + "giay-to-1/").content.decode()
    assert "to-khai.pdf" in page


def test_only_online_procedures_and_citizens(client, province):
    client.force_login(province.citizen)
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="none")
    assert client.get(BASE)["Location"] == "/thu-tuc/1.001193/"
    client.force_login(province.counter)
    assert client.get(BASE).status_code == 403
    client.logout()
    assert client.get(BASE)["Location"].startswith("/tai-khoan/dang-nhap/")

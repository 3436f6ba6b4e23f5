"""Scanned and uploaded files: sniffed, checked, stored once by hash, never left behind when refused."""

import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.documents import services
from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.selectors import dossier_files
from motcua.dossiers.states import Status
from tests.dossiers.helpers import dossier_in
from tests.support.pdfs import pdf_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_paths(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def make_pdf(pages: int = 2) -> bytes:
    return pdf_bytes(*(f"Trang {number}" for number in range(1, pages + 1)))


def make_image(fmt: str) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str = "scan.pdf", content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("data", "content_type", "ext", "pages"),
    [
        (make_pdf(2), "application/pdf", "pdf", 2),
        (make_image("JPEG"), "image/jpeg", "jpg", 1),
        (make_image("PNG"), "image/png", "png", 1),
    ],
)
def test_accepted_types(db, media, province, data, content_type, ext, pages):
    stored = services.store_upload(uploaded=upload(data, "giay to.bin"), acting_user=province.counter)
    digest = hashlib.sha256(data).hexdigest()
    assert stored.sha256 == digest
    assert stored.content_type == content_type  # sniffed, not the client's "application/pdf"
    assert stored.page_count == pages
    assert stored.size == len(data)
    assert stored.original_name == "giay to.bin"
    assert stored.created_by == province.counter
    assert stored.file.name == f"files/{digest[:2]}/{digest[2:4]}/{digest}.{ext}"
    assert (media / stored.file.name).read_bytes() == data


def test_same_bytes_stored_once(db, media):
    data = make_pdf(1)
    first = services.store_upload(uploaded=upload(data, "a.pdf"), acting_user=None)
    second = services.store_upload(uploaded=upload(data, "b.pdf"), acting_user=None)
    assert first.pk == second.pk and StoredFile.objects.count() == 1
    assert len(stored_paths(media)) == 1


REFUSED = {
    "executable renamed .pdf": (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "unsupported_type"),
    "text renamed .pdf": ("Đơn đề nghị\n".encode() * 20, "unsupported_type"),
    "truncated pdf": (make_pdf(2)[:600], "corrupt_pdf"),
    "pdf header then garbage": (b"%PDF-1.7\n" + b"\x00garbage" * 50, "corrupt_pdf"),
    "png header then garbage": (b"\x89PNG\r\n\x1a\n" + b"junk" * 50, "corrupt_image"),
    "empty": (b"", "empty_file"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_upload_leaves_nothing(db, media, case):
    data, code = REFUSED[case]
    with pytest.raises(ValidationFailed) as caught:
        services.store_upload(uploaded=upload(data), acting_user=None)
    assert caught.value.code == code
    assert "file" in caught.value.fields
    assert stored_paths(media) == []
    assert not StoredFile.objects.exists()


def test_corrupt_pdf_message(db):
    with pytest.raises(ValidationFailed) as caught:
        services.store_upload(uploaded=upload(REFUSED["truncated pdf"][0]), acting_user=None)
    assert str(caught.value.message) == "tệp PDF bị hỏng"


def test_oversize_refused(db, media, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    data = make_pdf(2)
    assert len(data) > 1000
    with pytest.raises(ValidationFailed) as caught:
        services.store_upload(uploaded=upload(data), acting_user=None)
    assert caught.value.code == "file_too_large"
    assert stored_paths(media) == []


def test_size_limit_does_not_trust_the_declared_size(db, media, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1000
    uploaded = upload(make_pdf(2))
    uploaded.size = 10  # a client lying about the size
    with pytest.raises(ValidationFailed):
        services.store_upload(uploaded=uploaded, acting_user=None)
    assert stored_paths(media) == []


def test_failure_recording_the_row_deletes_the_file(db, media, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(StoredFile, "save", broken_save)
    with pytest.raises(RuntimeError):
        services.store_upload(uploaded=upload(make_pdf(1)), acting_user=None)
    assert stored_paths(media) == []


def test_file_left_by_a_rolled_back_transaction_is_adopted(db, media):
    data = make_pdf(1)

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        services.store_upload(uploaded=upload(data), acting_user=None)
        raise CallerFailed  # after storing: the row is rolled back, the file stays (documented window)
    assert not StoredFile.objects.exists()
    assert len(stored_paths(media)) == 1
    stored = services.store_upload(uploaded=upload(data), acting_user=None)
    assert stored_paths(media) == [stored.file.name]


def test_attach_files_to_a_component(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    component = dossier.components.get(name="Tờ khai")
    scan = services.store_upload(uploaded=upload(make_pdf(2)), acting_user=province.counter)
    photo = services.store_upload(uploaded=upload(make_image("PNG"), "anh.png"), acting_user=province.counter)
    links = services.attach_files(component=component, files=[scan, photo], acting_user=province.counter)
    assert [link.stored_file for link in links] == [scan, photo]
    assert {link.kind for link in links} == {ComponentFile.Kind.SCAN}
    assert links[0].digitised_by == province.counter and links[0].digitised_at is not None
    again = services.attach_files(component=component, files=[scan], acting_user=province.counter)
    assert again[0].pk == links[0].pk and component.files.count() == 2
    assert set(dossier_files(dossier=dossier, acting_user=province.counter)) == set(links)
    assert not dossier_files(dossier=dossier, acting_user=province.other_citizen).exists()


def test_attach_files_checks_who(province):
    dossier = dossier_in(province, Status.ACCEPTED)
    component = dossier.components.first()
    scan = services.store_upload(uploaded=upload(make_pdf(1)), acting_user=None)
    with pytest.raises(PermissionDenied):
        services.attach_files(component=component, files=[scan], acting_user=province.other_counter)
    with pytest.raises(PermissionDenied):
        services.attach_files(component=component, files=[scan], acting_user=province.other_citizen)
    with pytest.raises(ValidationFailed):
        services.attach_files(component=component, files=[scan], acting_user=province.counter, kind="other")

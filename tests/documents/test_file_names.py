"""Each attachment shows the file name its own uploader gave it (#13 item 15): the same bytes uploaded by
two people are stored once, but the second never sees the first one's name ("CCCD_Nguyen_Van_A.pdf")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import ProtectedError

from motcua.documents import services
from motcua.documents.models import ComponentFile, DataStoreItem, StoredFile
from motcua.documents.selectors import data_store_items
from motcua.dossiers.models import Channel, Dossier
from motcua.intake.services import receive_at_counter, submit_online
from tests.api.conftest import client_for
from tests.portal.helpers import pdf_bytes

from .once_only import AN, OFFLINE, set_up_once_only

A_NAME = "CCCD_Nguyen_Van_A.pdf"
B_NAME = "giay_to_cua_toi.pdf"
B_NUMBER = "040090009999"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    return tmp_path / "media"


def stored_paths(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(1), content_type="application/pdf")  # same bytes each time


def online_dossier(province, user, id_number: str) -> Dossier:
    return submit_online(intake=province.intake(id_number=id_number, user=user), acting_user=user)


def upload_to(dossier: Dossier, user, name: str) -> ComponentFile:
    """What the portal does with a citizen's upload (a supplement answer, a submitted draft's files)."""
    stored = services.store_upload(uploaded=upload(name), acting_user=user)
    component = dossier.components.get(name="Tờ khai")
    (link,) = services.attach_files(
        component=component, files=[stored], acting_user=user, kind=ComponentFile.Kind.UPLOAD
    )
    return link


@pytest.fixture
def two_people(province):
    """A uploads their ID card scan to their dossier, then B uploads the same bytes to theirs."""
    a = online_dossier(province, province.citizen, AN)
    b = online_dossier(province, province.other_citizen, B_NUMBER)
    return a, upload_to(a, province.citizen, A_NAME), b, upload_to(b, province.other_citizen, B_NAME)


def test_the_second_uploader_sees_their_own_name_on_the_portal(client, province, media, two_people):
    a, a_file, b, b_file = two_people
    assert a_file.stored_file_id == b_file.stored_file_id  # one blob
    assert StoredFile.objects.count() == 1 and len(stored_paths(media)) == 1

    client.force_login(province.other_citizen)
    page = client.get(f"/ho-so-cua-toi/{b.code}/").content.decode()
    assert B_NAME in page and "Nguyen_Van_A" not in page
    download = client.get(f"/ho-so-cua-toi/{b.code}/tep/{b_file.pk}/")
    assert download.status_code == 200
    assert B_NAME in download["Content-Disposition"] and "Nguyen_Van_A" not in download["Content-Disposition"]

    client.force_login(province.citizen)
    page = client.get(f"/ho-so-cua-toi/{a.code}/").content.decode()
    assert A_NAME in page and B_NAME not in page
    download = client.get(f"/ho-so-cua-toi/{a.code}/tep/{a_file.pk}/")
    assert A_NAME in download["Content-Disposition"]


def test_officers_and_the_api_see_each_attachments_own_name(client, province, two_people):
    a, a_file, b, b_file = two_people
    client.force_login(province.counter)
    for dossier, link, name, other in ((b, b_file, B_NAME, A_NAME), (a, a_file, A_NAME, B_NAME)):
        page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
        assert name in page and other not in page
        download = client.get(f"/can-bo/ho-so/{dossier.code}/tep/{link.pk}/")
        assert download.status_code == 200 and name in download["Content-Disposition"]

        detail = client_for(province.counter).get(f"/api/v1/dossiers/{dossier.code}/")
        assert detail.status_code == 200
        assert [(f["component"], f["name"]) for f in detail.json()["files"]] == [("Tờ khai", name)]


def test_deleting_one_attachment_leaves_the_shared_file_to_the_other(client, province, media, two_people):
    a, a_file, _b, b_file = two_people
    b_file.delete()
    stored = StoredFile.objects.get()
    with pytest.raises(ProtectedError):  # A's attachment still uses the blob
        stored.delete()
    client.force_login(province.citizen)
    download = client.get(f"/ho-so-cua-toi/{a.code}/tep/{a_file.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes(1)
    assert A_NAME in download["Content-Disposition"] and len(stored_paths(media)) == 1


def test_the_data_store_keeps_each_owners_name_and_reuse_shows_it(province, settings):
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    once = set_up_once_only(province)
    p = once.p
    for id_number, name in ((AN, A_NAME), (B_NUMBER, B_NAME)):  # both ID cards scanned at the counter
        first = receive_at_counter(
            intake=p.intake(id_number=id_number), channel=Channel.COUNTER, acting_user=p.counter
        )
        stored = services.store_upload(uploaded=upload(name), acting_user=p.counter)
        id_card = first.components.get(name__startswith="Thẻ căn cước")
        services.attach_files(component=id_card, files=[stored], acting_user=p.counter)
    assert StoredFile.objects.count() == 1
    for id_number, name in ((B_NUMBER, B_NAME), (AN, A_NAME)):
        items = data_store_items(id_number=id_number, acting_user=p.counter).filter(stored_file__isnull=False)
        assert [i.file_name for i in items] == [name]

    second = receive_at_counter(
        intake=once.intake(id_number=B_NUMBER, without=[once.id_card]),
        channel=Channel.COUNTER,
        acting_user=p.counter,
    )
    reused = ComponentFile.objects.get(dossier_component__dossier=second, kind=ComponentFile.Kind.REUSED)
    assert reused.display_name == B_NAME
    assert DataStoreItem.objects.filter(file_name=A_NAME).count() == 1


def test_an_attachment_without_a_name_gets_a_neutral_one_never_the_first_uploaders(province):
    """A draft's files reach the dossier as stored rows, without this upload's name: the first uploader's
    name is given only to their own attachment."""
    d = receive_at_counter(intake=province.intake(), channel=Channel.COUNTER, acting_user=province.counter)
    services.store_upload(uploaded=upload(A_NAME), acting_user=province.citizen)
    stored = StoredFile.objects.get()  # as a draft reads it back
    component = d.components.get(name="Tờ khai")
    link = services.attach_files(component=component, files=[stored], acting_user=province.counter)[0]
    assert link.file_name == "" and link.display_name == f"tep-{link.pk}.pdf"


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_attachments_their_own_names_only(province, settings):
    """Rows from before the per-attachment name: the blob's name (A's) goes to A's own attachments, the
    store item filed from them and its reuse; B's attachment of the same bytes gets none."""
    settings.MOTCUA_POPULATION_CONNECTOR = OFFLINE
    once = set_up_once_only(province)
    p = once.p
    a = receive_at_counter(intake=p.intake(), channel=Channel.COUNTER, acting_user=p.counter)
    stored = services.store_upload(uploaded=upload(A_NAME), acting_user=p.counter)
    a_id_card = a.components.get(name__startswith="Thẻ căn cước")
    services.attach_files(component=a_id_card, files=[stored], acting_user=p.counter)
    reusing = receive_at_counter(
        intake=once.intake(without=[once.id_card]), channel=Channel.COUNTER, acting_user=p.counter
    )
    b = submit_online(intake=p.intake(id_number=B_NUMBER, user=p.other_citizen), acting_user=p.other_citizen)
    services.attach_files(
        component=b.components.get(name="Tờ khai"),
        files=[StoredFile.objects.get()],
        acting_user=p.other_citizen,
        kind=ComponentFile.Kind.UPLOAD,
        names={stored.pk: B_NAME},
    )

    executor = MigrationExecutor(connection)
    executor.migrate([("documents", "0002_data_store_results_connectors")])
    executor = MigrationExecutor(connection)
    executor.migrate([("documents", "0003_attachment_file_names")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the later migrations too, for the next tests

    names = {
        (link.dossier_component.dossier_id, link.kind): link.file_name
        for link in ComponentFile.objects.select_related("dossier_component")
    }
    assert names == {
        (a.pk, ComponentFile.Kind.SCAN): A_NAME,
        (reusing.pk, ComponentFile.Kind.REUSED): A_NAME,
        (b.pk, ComponentFile.Kind.UPLOAD): "",
    }
    assert DataStoreItem.objects.get(stored_file__isnull=False).file_name == A_NAME
    assert StoredFile.objects.count() == 1

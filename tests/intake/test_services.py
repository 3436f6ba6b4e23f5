"""The intake orchestrator: one transaction per intake, the once-only reuse only for a verified identity,
and the same dossier whichever door it comes in by (the counter, the portal, the API)."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from reportlab.pdfgen.canvas import Canvas

from motcua.api.models import IdempotencyKey
from motcua.core.errors import ValidationFailed
from motcua.documents import services as documents
from motcua.documents.datastore import NATIONAL_DB_NOTE
from motcua.documents.models import ComponentFile, DataStoreReuse, StoredFile
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.intake import services as intake
from tests.api.conftest import client_for as api_client_for
from tests.api.conftest import create, create_body, ok
from tests.backoffice.helpers import BASE
from tests.backoffice.helpers import client_for as counter_client_for
from tests.documents.once_only import AN, OnceOnly, set_up_once_only
from tests.dossiers.helpers import at


@pytest.fixture
def once(province) -> OnceOnly:
    return set_up_once_only(province)


def pdf(label: str) -> SimpleUploadedFile:
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, f"Ban quet {label}")
    canvas.showPage()
    canvas.save()
    return SimpleUploadedFile(f"{label}.pdf", buffer.getvalue(), content_type="application/pdf")


def stored_rows() -> tuple[int, int, int, int, int]:
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        StoredFile.objects.count(),
        ComponentFile.objects.count(),
        DataStoreReuse.objects.count(),
    )


def shape(dossier: Dossier) -> dict:
    """What a dossier holds, without what differs by nature between two dossiers (code, times)."""
    return {
        "status": dossier.status,
        "channel": dossier.channel,
        "unit": dossier.receiving_unit_id,
        "applicant": (dossier.applicant_name, dossier.applicant_id_number),
        "components": sorted(
            (c.name, c.provided, c.note, sorted(f.kind for f in c.files.all()))
            for c in dossier.components.all()
        ),
        "reuses": dossier.reuses.count(),
        "steps": list(dossier.steps.values_list("name", "unit_id")),
        "events": list(dossier.events.values_list("act", "from_status", "to_status")),
    }


def test_a_failure_after_the_attachments_stores_nothing(once):
    """The caller's work in the transaction fails (here a form token already used): no dossier, no
    attachment, no stored file row, no reuse counted."""
    p = once.p
    IdempotencyKey.objects.create(
        key="token", user=p.counter, fingerprint="", response_status=302, response_body={}
    )
    before = stored_rows()
    application = once.intake(without=[once.id_card])  # the ID card comes from the population database

    def consume_token(dossier: Dossier) -> None:
        assert dossier.components.get(procedure_component=once.id_card).provided  # reused, attached
        assert ComponentFile.objects.filter(dossier_component__dossier=dossier).exists()  # the scan too
        IdempotencyKey.objects.create(
            key="token", user=p.counter, fingerprint="", response_status=302, response_body={}
        )

    scanned = application.components[0].component_id
    with pytest.raises(IntegrityError):
        intake.receive_at_counter(
            intake=application,
            channel=Channel.COUNTER,
            acting_user=p.counter,
            scans={scanned: [pdf("to-khai")]},
            then=consume_token,
        )
    assert stored_rows() == before


def test_a_bad_scan_refuses_the_whole_intake(once):
    p = once.p
    before = stored_rows()
    application = once.intake()
    good, bad = [c.component_id for c in application.components][:2]
    with pytest.raises(ValidationFailed) as refused:
        intake.receive_at_counter(
            intake=application,
            channel=Channel.COUNTER,
            acting_user=p.counter,
            scans={good: [pdf("to-khai")], bad: [SimpleUploadedFile("x.docx", b"PK\x03\x04 not a pdf")]},
        )
    assert "x.docx" in str(refused.value.message)
    assert stored_rows() == before


def test_a_scan_for_a_component_not_given_is_refused_before_anything_is_stored(once):
    p = once.p
    before = stored_rows()
    with pytest.raises(ValidationFailed) as refused:
        intake.receive_at_counter(
            intake=once.intake(without=[once.id_card]),
            channel=Channel.COUNTER,
            acting_user=p.counter,
            scans={once.id_card.pk: [pdf("cccd")]},
        )
    assert once.id_card.name in str(refused.value.message)
    assert stored_rows() == before


def test_online_reuse_only_for_the_account_verified_for_the_number(once):
    p = once.p
    stranger = intake.submit_online(
        intake=once.intake(without=[once.id_card]), acting_user=p.other_citizen, now=at(0)
    )
    owner = intake.submit_online(intake=once.intake(without=[once.id_card]), acting_user=p.citizen, now=at(0))
    assert p.citizen.citizen_id == AN and p.citizen.identity_verified_at is not None
    assert not stranger.components.get(procedure_component=once.id_card).provided
    assert not stranger.reuses.exists()
    reused = owner.components.get(procedure_component=once.id_card)
    assert reused.provided and reused.note == NATIONAL_DB_NOTE and owner.reuses.count() == 1


def test_online_uploads_are_attached_with_the_dossier_and_the_caller_work_in_one_go(once):
    p = once.p

    application = once.intake()
    first = application.components[0].component_id
    upload = documents.store_upload(uploaded=pdf("to-khai"), acting_user=p.citizen)
    seen: list[Dossier] = []
    dossier = intake.submit_online(
        intake=application, acting_user=p.citizen, uploads={first: [upload.pk]}, then=seen.append
    )
    link = dossier.components.get(procedure_component_id=first).files.get()
    assert (link.kind, link.stored_file) == (ComponentFile.Kind.UPLOAD, upload)
    assert seen == [dossier]


def test_the_same_dossier_from_the_counter_the_api_and_the_service(once, settings):
    p = once.p
    direct = intake.receive_at_counter(
        intake=once.intake(without=[once.id_card]), channel=Channel.COUNTER, acting_user=p.counter
    )

    body = create_body(p)
    body["components"] = [pk for pk in body["components"] if pk != once.id_card.pk]
    by_api = Dossier.objects.get(code=ok(create(api_client_for(p.counter), body), 201)["code"])

    client = counter_client_for(p.counter)
    url = f"{BASE}tiep-nhan/{p.birth.code}/"
    token = client.get(url).context["form_token"]
    form = {
        "form_token": token,
        "action": "receive",
        "channel": "counter",
        "applicant_kind": "citizen",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": AN,
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": "",
        "summary": "",
    } | {f"component_{c.component_id}": "1" for c in once.intake(without=[once.id_card]).components}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    at_counter = Dossier.objects.exclude(pk__in=[direct.pk, by_api.pk]).get()

    assert shape(direct)["reuses"] == 1
    assert shape(at_counter) == shape(by_api) == shape(direct)

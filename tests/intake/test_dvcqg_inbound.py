"""Dossiers submitted on the National Public Service Portal, received over real HTTP: the pull, the fetch and
the acknowledgement of `interop.dvcqg.inbound` and the webhook, against the in-project sandbox served by
`live_server`."""

import base64
import json
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.backoffice import selectors as worklists
from motcua.documents.datastore import NATIONAL_DB_NOTE
from motcua.documents.models import ComponentFile, DataStoreReuse, StoredFile
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.intake import inbound, sandbox
from motcua.intake.models import InboundCursor, InboundDossier, SandboxPortalDossier
from motcua.interop.dvcqg.inbound import SIGNATURE_HEADER, sign
from motcua.interop.dvcqg.transport import TransportError
from motcua.interop.models import SyncRecord
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import dispatch_pending
from tests.documents.once_only import AN, set_up_once_only

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "chia-se-voi-cong"


@pytest.fixture
def portal(settings, live_server) -> str:
    settings.MOTCUA_DVCQG_SANDBOX = True
    settings.MOTCUA_DVCQG_URL = f"{live_server.url}/lien-thong/dvcqg-sandbox/"
    settings.MOTCUA_DVCQG_USERNAME = "motcua-h40"
    settings.MOTCUA_DVCQG_PASSWORD = "sandbox-secret"
    settings.MOTCUA_DVCQG_TIMEOUT = 5.0
    settings.MOTCUA_DVCQG_SANDBOX_SLOW_SECONDS = 6.0
    settings.MOTCUA_DVCQG_WEBHOOK_SECRET = SECRET
    return live_server.url


def on_portal(province, code: str, **changes) -> dict:
    """A birth registration submitted on the (sandbox) portal for the commune, with its declaration."""
    payload = sandbox.sample_payload(
        code=code, procedure_code="1.001193", unit_code=province.commune.code, components=["Tờ khai"]
    )
    sandbox.submit(payload | changes)
    return payload | changes


def webhook(url: str, body: dict, *, secret: str = SECRET) -> tuple[int, dict]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        f"{url}/lien-thong/dvcqg/webhook",
        data=raw,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, secret)},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, json.loads(text) if text.startswith(b"{") else {}


def synced(dossier: Dossier, service: str) -> list[dict]:
    """What the portal accepted of the dossier's calls of `service`, in the order they were made."""
    records = SyncRecord.objects.filter(dossier=dossier, service=service, status="sent").order_by("sent_at")
    return [r.payload for r in records]


def test_a_pulled_dossier_lands_in_the_to_receive_list_with_its_file_and_the_portal_is_told(province, portal):
    on_portal(province, "G22.99-261201-0001")

    assert inbound.pull() == 1

    received = InboundDossier.objects.get(portal_code="G22.99-261201-0001")
    dossier = received.dossier
    assert received.status == "received" and received.via == "pull" and dossier is not None
    assert (dossier.status, dossier.channel, dossier.receiving_unit) == (1, "online", province.commune)
    assert dossier.applicant_name == "Nguyễn Thị Hoa" and dossier.applicant_id_number == "040190004321"
    assert dossier.code.startswith("001.00.50.H40-")  # the province's own code
    files = ComponentFile.objects.filter(dossier_component__dossier=dossier)
    assert [(f.dossier_component.name, f.file_name, f.kind) for f in files] == [
        ("Tờ khai", "tep-1.pdf", "upload")
    ]
    in_list = worklists.work_list(province.counter, "tiep-nhan")
    assert list(in_list.values_list("pk", flat=True)) == [dossier.pk]
    # The raw payload is kept, each file's content by its hash.
    kept = received.payload["TaiLieuNop"][0]
    assert "DuLieuTepDinhKem" not in kept and kept["SHA256"] == files[0].stored_file.sha256
    # The portal heard it was received, under the province's code; the cursor moved past it.
    on_sandbox = SandboxPortalDossier.objects.get(portal_code="G22.99-261201-0001")
    assert on_sandbox.acknowledgement["TrangThaiTiepNhan"] == "1"
    assert on_sandbox.acknowledgement["MaHoSoTinh"] == dossier.code
    assert InboundCursor.objects.get(name="dvcqg").cursor == str(on_sandbox.pk)
    assert inbound.pull() == 0  # nothing new after the cursor


def test_statuses_flow_back_in_order_under_the_portals_code(province, portal):
    on_portal(province, "G22.99-261201-0002")
    inbound.pull()
    dossier = Dossier.objects.get(portal_inbound__portal_code="G22.99-261201-0002")

    dossier = services.accept(dossier=dossier, acting_user=province.counter)
    services.start_processing(dossier=dossier, acting_user=province.counter)

    calls = synced(dossier, "DongBoHoSoMC")
    assert [c["TrangThaiHoSo"] for c in calls] == ["1", "2", "4"]  # new, received, processing
    assert {(c["MaHoSo"], c["KenhThucHien"]) for c in calls} == {("G22.99-261201-0002", "2")}
    progress = synced(dossier, "CapNhatTienDoHoSoMC")
    assert [(c["MaHoSo"], c["TrangThai"]) for c in progress] == [
        ("G22.99-261201-0002", "1"),
        ("G22.99-261201-0002", "2"),
        ("G22.99-261201-0002", "4"),
    ]


def test_a_dossier_delivered_twice_and_out_of_order_is_created_once(province, portal):
    sandbox.set_controls(duplicate=True, reverse=True)
    on_portal(province, "G22.99-261201-0003")
    on_portal(province, "G22.99-261201-0004")

    assert inbound.pull() == 2
    status, answer = webhook(portal, {"MaHoSo": "G22.99-261201-0003"})  # and once more by the webhook

    assert status == 202 and answer["MaHoSo"] == "G22.99-261201-0003"
    assert Dossier.objects.count() == 2
    assert InboundDossier.objects.get(portal_code="G22.99-261201-0003").deliveries == 2
    assert set(InboundDossier.objects.values_list("status", flat=True)) == {"received"}
    # The second delivery is answered with the acknowledgement again, not with a second dossier.
    acks = OutboxMessage.objects.filter(topic=inbound.ACKNOWLEDGE, payload__code="G22.99-261201-0003")
    assert acks.count() == 2 and not acks.filter(dispatched_at__isnull=True).exists()


@pytest.mark.postgres_only
def test_the_webhook_and_the_pull_delivering_the_same_dossier_at_once_create_one(province, portal):
    on_portal(province, "G22.99-261201-0005")
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def by_webhook() -> None:
        start.wait()
        outcomes.append(webhook(portal, {"MaHoSo": "G22.99-261201-0005"})[0])

    def by_pull() -> None:
        from django.db import connection

        try:
            start.wait()
            outcomes.append(inbound.pull())
        finally:
            connection.close()

    threads = [threading.Thread(target=by_webhook), threading.Thread(target=by_pull)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(outcomes) == 2 and 202 in outcomes
    assert Dossier.objects.count() == 1
    assert InboundDossier.objects.get().deliveries == 2
    assert InboundDossier.objects.get().status == "received"


def test_a_failing_portal_loses_nothing_and_is_retried(province, portal):
    on_portal(province, "G22.99-261201-0006")
    sandbox.set_controls(fail=1)

    with pytest.raises(TransportError):  # HTTP 503 on the list: the outbox would retry the pull
        inbound.pull()
    assert not InboundDossier.objects.exists() and not InboundCursor.objects.exclude(cursor="").exists()

    assert inbound.pull() == 1  # the next pull finds it and takes it in
    assert InboundDossier.objects.get().status == "received" and Dossier.objects.count() == 1


def test_the_fetch_failing_then_timing_out_is_retried_until_received(province, portal):
    on_portal(province, "G22.99-261201-0007")
    sandbox.set_controls(fail=1, slow=1)

    status, _answer = webhook(portal, {"MaHoSo": "G22.99-261201-0007"})  # a notice: the files are fetched

    assert status == 202
    delivery = InboundDossier.objects.get(portal_code="G22.99-261201-0007")
    message = OutboxMessage.objects.get(topic=inbound.RECEIVE)
    assert delivery.status == "waiting" and "HTTP 503" in delivery.last_error
    assert message.dispatched_at is None and message.attempts == 1

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    dispatch_pending()  # the second attempt: the sandbox answers too late
    message.refresh_from_db()
    delivery.refresh_from_db()
    assert message.dispatched_at is None and message.attempts == 2
    assert delivery.status == "waiting" and not Dossier.objects.exists()

    OutboxMessage.objects.filter(pk=message.pk).update(available_at=timezone.now())
    dispatch_pending()
    delivery.refresh_from_db()
    assert delivery.status == "received" and Dossier.objects.count() == 1
    assert SandboxPortalDossier.objects.get().acknowledgement["TrangThaiTiepNhan"] == "1"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"MaTTHC": "9.999999"},
            "Thủ tục 9.999999 không có trong danh mục đang có hiệu lực của tỉnh.",
        ),
        ({"LoaiDoiTuong": "5"}, "Loại đối tượng (LoaiDoiTuong) phải là 1 (công dân) hoặc 2 (tổ chức)."),
        (
            {"TaiLieuNop": [{"TenThanhPhan": "Tờ khai", "TenTepDinhKem": "to-khai.pdf"}]},
            "Thiếu nội dung tệp “to-khai.pdf” của “Tờ khai”.",
        ),
        ({"TaiLieuNop": []}, "Thiếu tệp của thành phần bắt buộc: Tờ khai"),
        (
            {
                "TaiLieuNop": [
                    {
                        "TenThanhPhan": "Tờ khai",
                        "TenTepDinhKem": "to-khai.exe",
                        "DuLieuTepDinhKem": base64.b64encode(b"MZ not a scan").decode(),
                    }
                ]
            },
            "Tệp “to-khai.exe” không được nhận: Chỉ nhận tệp PDF, JPEG hoặc PNG.",
        ),
        ({"MaDonViTiepNhan": "999.00.00.H40"}, "Không có đơn vị tiếp nhận mã 999.00.00.H40."),
    ],
)
def test_a_bad_dossier_is_rejected_with_its_reason_and_nothing_is_created(province, portal, changes, reason):
    payload = on_portal(province, "G22.99-261201-0008", **changes)

    status, _answer = webhook(portal, {"HoSo": payload})

    assert status == 202
    rejected = InboundDossier.objects.get(portal_code="G22.99-261201-0008")
    assert (rejected.status, rejected.reason, rejected.dossier) == ("rejected", reason, None)
    assert not Dossier.objects.exists() and not StoredFile.objects.exists()
    told = SandboxPortalDossier.objects.get().acknowledgement
    assert (told["TrangThaiTiepNhan"], told["LyDo"], told["MaHoSoTinh"]) == ("0", reason, "")


def test_the_webhook_believes_only_a_signed_body(province, portal, settings):
    on_portal(province, "G22.99-261201-0009")

    assert webhook(portal, {"MaHoSo": "G22.99-261201-0009"}, secret="doan-bua")[0] == 401
    assert webhook(portal, {"HoSo": "không phải hồ sơ"})[0] == 400
    assert webhook(portal, {"MaHoSo": ""})[0] == 400
    settings.MOTCUA_DVCQG_WEBHOOK_SECRET = ""
    assert webhook(portal, {"MaHoSo": "G22.99-261201-0009"})[0] == 404
    assert not InboundDossier.objects.exists()


def test_only_a_vneid_verified_applicant_is_linked_to_their_account(province, portal):
    # The province's citizen 040090001234 has a verified account (and so an e-data store).
    on_portal(province, "G22.99-261201-0010", MaDoiTuong="040090001234")
    on_portal(
        province, "G22.99-261201-0011", MaDoiTuong="040090001234", XacThucDinhDanh="VNeID", MucDoXacThuc="2"
    )

    inbound.pull()

    typed = Dossier.objects.get(portal_inbound__portal_code="G22.99-261201-0010")
    checked = Dossier.objects.get(portal_inbound__portal_code="G22.99-261201-0011")
    assert typed.applicant_user is None
    assert checked.applicant_user == province.citizen


def test_the_pull_is_scheduled_only_when_a_portal_is_configured(province, settings):
    settings.MOTCUA_DVCQG_URL = ""
    assert inbound.schedule_pull() is False

    settings.MOTCUA_DVCQG_URL = "http://127.0.0.1:9/lien-thong/dvcqg-sandbox/"
    settings.MOTCUA_OUTBOX_DISPATCH = "workers"
    unheard = InboundDossier.objects.create(
        portal_code="G22.99-261201-0012", via="webhook", status="rejected"
    )
    assert inbound.schedule_pull() is True
    # What was settled while no portal was configured is told now.
    assert (
        OutboxMessage.objects.filter(topic=inbound.ACKNOWLEDGE, payload__inbound_id=unheard.pk).count() == 1
    )
    assert inbound.schedule_pull() is False  # one waits already
    InboundCursor.objects.create(name="dvcqg", pulled_at=timezone.now() - timedelta(minutes=1))
    OutboxMessage.objects.filter(topic=inbound.PULL).update(dispatched_at=timezone.now())
    assert inbound.schedule_pull() is False  # pulled a minute ago; every 5 minutes by default


def test_dvcqg_pull_pulls_now_and_refuses_without_a_portal(province, portal, settings):
    on_portal(province, "G22.99-261201-0013")
    out = StringIO()

    call_command("dvcqg_pull", stdout=out)

    assert out.getvalue().startswith("1 new dossiers from the portal;")
    assert InboundDossier.objects.get().status == "received"
    settings.MOTCUA_DVCQG_URL = ""
    with pytest.raises(CommandError, match="MOTCUA_DVCQG_URL is empty"):
        call_command("dvcqg_pull")


def test_a_dossier_refused_at_reception_is_reported_refused_under_the_portals_code(province, portal):
    on_portal(province, "G22.99-261201-0014")
    inbound.pull()
    dossier = Dossier.objects.get(portal_inbound__portal_code="G22.99-261201-0014")

    services.refuse_reception(dossier=dossier, acting_user=province.counter, reason="Sai cơ quan tiếp nhận")

    calls = synced(dossier, "DongBoHoSoMC")
    assert [(c["MaHoSo"], c["TrangThaiHoSo"]) for c in calls] == [
        ("G22.99-261201-0014", "1"),
        ("G22.99-261201-0014", "3"),
    ]
    assert (
        synced(dossier, "CapNhatTienDoHoSoMC")[-1]["NoiDungXuLy"]
        == "Từ chối tiếp nhận: Sai cơ quan tiếp nhận"
    )


def test_the_webhook_answers_at_once_and_the_outbox_takes_the_dossier_in(province, portal, settings):
    settings.MOTCUA_OUTBOX_DISPATCH = "workers"  # no dispatch inside the request
    payload = on_portal(province, "G22.99-261201-0015")

    status, answer = webhook(portal, {"HoSo": payload})

    assert (status, answer["error_code"], answer["MaHoSo"]) == (202, 0, "G22.99-261201-0015")
    delivery = InboundDossier.objects.get()
    assert (delivery.status, delivery.via, Dossier.objects.count()) == ("waiting", "webhook", 0)
    assert OutboxMessage.objects.get(topic=inbound.RECEIVE).payload["code"] == "G22.99-261201-0015"

    while dispatch_pending():  # a worker
        pass

    delivery.refresh_from_db()
    assert delivery.status == "received" and delivery.dossier.status == 1
    assert SandboxPortalDossier.objects.get().acknowledgement["MaHoSoTinh"] == delivery.dossier.code


def test_one_pull_goes_through_every_page_the_portal_lists(province, portal, settings):
    settings.MOTCUA_DVCQG_SANDBOX_PAGE = 2
    for number in (16, 17, 18):
        on_portal(province, f"G22.99-261201-00{number}")

    assert inbound.pull() == 3
    assert InboundDossier.objects.filter(status="received").count() == 3
    assert inbound.pull(max_pages=1) == 0


def test_the_e_data_store_serves_only_an_applicant_the_portal_verified_through_vneid(province, portal):
    once = set_up_once_only(province)  # birth registration also asks for the ID card, which the store holds
    on_portal(province, "G22.99-261201-0019", MaDoiTuong=AN, XacThucDinhDanh="VNeID", MucDoXacThuc="2")
    on_portal(province, "G22.99-261201-0020", MaDoiTuong=AN)  # the same number, only typed

    inbound.pull()

    verified = Dossier.objects.get(portal_inbound__portal_code="G22.99-261201-0019")
    id_card = verified.components.get(procedure_component=once.id_card)
    assert id_card.provided and id_card.note == NATIONAL_DB_NOTE and verified.reuses.count() == 1
    typed = InboundDossier.objects.get(portal_code="G22.99-261201-0020")
    assert (typed.status, typed.dossier) == ("rejected", None)
    assert typed.reason == "Thiếu tệp của thành phần bắt buộc: Thẻ căn cước (xuất trình)"
    assert DataStoreReuse.objects.count() == 1

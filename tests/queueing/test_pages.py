"""The kiosk and its ticket, the counter page, the display board and its server-sent events."""

import json
from datetime import date

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import AsyncClient, Client

from motcua.queueing import services, views
from motcua.queueing.models import Ticket
from tests.queueing import helpers
from tests.queueing.helpers import area_of, make_counter, person
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


def take(unit, area=None, **extra):
    """A ticket taken now: the pages show today's."""
    return helpers.take(unit, area, now=None, **extra)


def events_of(chunk: bytes) -> list[dict]:
    lines = chunk.decode().splitlines()
    return [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]


AN_QR = "040090001234|186123456|Nguyễn Văn An|15031990|Nam|Xóm 3, Hưng Lộc, Vinh, Nghệ An|20042021"


def test_the_kiosk_offers_the_served_areas_then_prints_a_ticket_for_the_scanned_card(province):
    make_counter(province.commune, 1, "Tư pháp – Hộ tịch")
    make_counter(province.commune, 2, "Đất đai", is_open=False)
    take(province.commune, area_of(province.commune, "Tư pháp – Hộ tịch"))
    kiosk = f"/xep-hang/{province.commune.code}/lay-so/"
    page = Client().get(kiosk)
    assert page.status_code == 200
    assert "Tư pháp – Hộ tịch" in page.text and "Đất đai" not in page.text
    assert 'href="?khu-vuc=tu-phap-ho-tich"' in page.text
    assert f'href="/xep-hang/{province.commune.code}/dat-lich/nhan-so/">Tôi đã đặt lịch hẹn</a>' in page.text
    identify = Client().get(kiosk + "?khu-vuc=tu-phap-ho-tich")
    assert 'name="qr"' in identify.text and 'name="id_number"' in identify.text
    assert 'value="pregnant"' in identify.text and 'value="elderly"' not in identify.text
    assert 'name="photo"' not in identify.text  # photos are off unless the center enables them

    taken = Client().post(kiosk, {"area": "tu-phap-ho-tich", "qr": AN_QR + "\n"})
    ticket = Ticket.objects.get(number=2)
    assert taken.status_code == 302 and taken.url == f"/xep-hang/{province.commune.code}/so/{ticket.pk}/"
    assert (ticket.holder_id_number, ticket.holder_name, ticket.identified_by) == (
        "040090001234",
        "Nguyễn Văn An",
        "card_qr",
    )
    slip = Client().get(taken.url).text
    assert "0002" in slip and "Tư pháp – Hộ tịch" in slip and "Có 1 người đang chờ trước bạn" in slip
    assert "N.V.A." in slip and "040090001234" not in slip and "Nguyễn Văn An" not in slip

    again = Client().post(
        kiosk, {"area": "tu-phap-ho-tich", "id_number": "040090001234", "name": "Nguyễn Văn An"}
    )
    assert again.status_code == 400
    assert "Bạn đang giữ số 0002 của khu vực Tư pháp – Hộ tịch hôm nay" in again.text
    assert Ticket.objects.count() == 2


def test_kiosk_bad_input(province):
    make_counter(province.commune, 1, "Tư pháp – Hộ tịch")
    kiosk = f"/xep-hang/{province.commune.code}/lay-so/"
    assert Client().get("/xep-hang/999.99.99.H99/lay-so/").status_code == 404
    assert Client().post("/xep-hang/999.99.99.H99/lay-so/", {"area": "khac"}).status_code == 404
    assert Client().get(kiosk + "?khu-vuc=khong-co").status_code == 400
    person = {"id_number": "040090001234", "name": "Nguyễn Văn An"}
    for data, says in [
        ({"area": "khong-co"} | person, "Hãy chọn một khu vực"),
        ({"area": "tu-phap-ho-tich", "qr": "xin chào"}, "Đây không phải mã QR của thẻ căn cước"),
        ({"area": "tu-phap-ho-tich", "id_number": "12345", "name": "An"}, "đúng 12 chữ số"),
        ({"area": "tu-phap-ho-tich"} | person | {"birth_date": "1990-03-15"}, "Ngày sinh phải theo dạng"),
        ({"area": "tu-phap-ho-tich"} | person | {"priority": "elderly"}, "không áp dụng ưu tiên này"),
        ({"area": "tu-phap-ho-tich"} | person | {"photo": jpeg()}, "không chụp ảnh"),
    ]:
        refused = Client().post(kiosk, data)
        assert refused.status_code == 400 and says in refused.text, data
    assert not Ticket.objects.exists()
    other = Ticket.objects.create(
        unit=province.center, day="2026-03-02", number=1, issued_at="2026-03-02T01:00Z"
    )
    assert Client().get(f"/xep-hang/{province.commune.code}/so/{other.pk}/").status_code == 404


def jpeg(name="photo.jpg"):
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"0" * 200, content_type="image/jpeg")


def test_the_kiosk_takes_a_photo_where_the_center_enables_it(province, settings, tmp_path):
    settings.MOTCUA_QUEUE_PHOTOS = True
    settings.MEDIA_ROOT = tmp_path
    desk = make_counter(province.commune, 1)
    kiosk = f"/xep-hang/{province.commune.code}/lay-so/"
    page = Client().get(kiosk + "?khu-vuc=khac").text
    assert 'name="photo"' in page and "được xóa vào cuối ngày" in page
    person = {"area": "khac", "id_number": "040090001234", "name": "Nguyễn Văn An"}
    fake = SimpleUploadedFile("x.jpg", b"<svg/>", content_type="image/jpeg")
    assert Client().post(kiosk, person | {"photo": fake}).status_code == 400
    assert Client().post(kiosk, person | {"photo": jpeg()}).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.photo.name.endswith(".jpg") and ticket.photo.storage.exists(ticket.photo.name)
    client = client_for(province.counter)
    client.post(f"/xep-hang/quay/{desk.pk}/", {"action": "next"})
    photo_url = f"/xep-hang/quay/{desk.pk}/anh/{ticket.pk}/"
    assert photo_url in client.get(f"/xep-hang/quay/{desk.pk}/").text
    shown = client.get(photo_url)
    assert shown.status_code == 200 and shown["Cache-Control"] == "private, no-store"
    assert client_for(province.other_counter).get(photo_url).status_code == 403
    assert Client().get(photo_url).status_code == 302


def test_the_counter_page_calls_and_closes_tickets(province):
    desk = make_counter(province.commune, 3, "Tư pháp")
    take(
        province.commune,
        area_of(province.commune, "Tư pháp"),
        holder=person(1234, "Nguyễn Thị Hoa", date(1950, 1, 1)),
    )
    page = f"/xep-hang/quay/{desk.pk}/"
    client = client_for(province.counter)
    assert "Gọi số tiếp theo" in client.get(page).text
    assert client.post(page, {"action": "next"}).status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == Ticket.Status.CALLED and ticket.counter == desk
    shown = client.get(page).text
    assert "0001" in shown and "Đã phục vụ" in shown and "Vắng mặt" in shown
    # Who should come: the full name, the ID number's last four digits, the priority, the area.
    assert "Nguyễn Thị Hoa" in shown and "…1234" in shown and "040090001234" not in shown
    assert "Người cao tuổi" in shown and "Tư pháp" in shown
    client.post(page, {"action": "no_show", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NO_SHOW and ticket.finished_by == province.counter
    stale = client.post(page, {"action": "served", "ticket": ticket.pk}, follow=True)
    assert "không còn đang được phục vụ" in stale.text
    assert client.post(page, {"action": "explode"}).status_code == 400


def test_the_counter_page_is_for_the_units_counter_officers(province):
    desk = make_counter(province.commune, 1)
    page = f"/xep-hang/quay/{desk.pk}/"
    assert client_for(province.other_counter).get(page).status_code == 403
    assert client_for(province.specialist).get(page).status_code == 403
    assert Client().get(page).status_code == 302  # to the officers' login
    assert client_for(province.other_counter).post(page, {"action": "next"}).status_code == 403
    listed = client_for(province.counter).get("/xep-hang/quay/")
    assert desk.name in listed.text


def test_the_counter_page_transfers_the_ticket(province):
    desk = make_counter(province.commune, 3, "Tư pháp")
    other = make_counter(province.commune, 4, "Đất đai")
    ticket = take(province.commune, area_of(province.commune, "Tư pháp"))
    page = f"/xep-hang/quay/{desk.pk}/"
    client = client_for(province.counter)
    client.post(page, {"action": "next"})
    shown = client.get(page).text
    assert f'value="counter-{other.pk}"' in shown and f'value="counter-{desk.pk}"' not in shown
    assert f'value="area-{area_of(province.commune, "Đất đai").pk}"' in shown
    moved = client.post(
        page, {"action": "transfer", "ticket": ticket.pk, "to": f"counter-{other.pk}"}, follow=True
    )
    assert "Đã chuyển số 0001" in moved.text
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reserved_counter) == (Ticket.Status.WAITING, other)
    client.post(f"/xep-hang/quay/{other.pk}/", {"action": "next"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.counter, ticket.number) == (Ticket.Status.CALLED, other, 1)
    refused = client.post(
        f"/xep-hang/quay/{other.pk}/",
        {"action": "transfer", "ticket": ticket.pk, "to": "nowhere"},
        follow=True,
    )
    assert "Hãy chọn một quầy hoặc một khu vực" in refused.text


def test_the_board_shows_the_open_counters_and_their_tickets(province):
    desk = make_counter(province.commune, 3, "Tư pháp")
    take(province.commune, holder=person(1, "Nguyễn Văn An"))
    services.call_next(counter=desk, acting_user=province.counter)
    board = Client().get(f"/xep-hang/{province.commune.code}/bang/")
    assert board.status_code == 200
    assert "Quầy 3 – Tư pháp" in board.text and "0001" in board.text
    assert (
        "N.V.A." in board.text and "Nguyễn Văn An" not in board.text and 'aria-live="assertive"' in board.text
    )
    assert '<noscript><meta http-equiv="refresh"' in board.text and "EventSource" in board.text
    assert Client().get("/xep-hang/999.99.99.H99/bang/").status_code == 404


def test_events_stream_the_board_state(province):
    desk = make_counter(province.commune, 3, "Tư pháp")
    take(province.commune)
    take(province.commune)
    services.call_next(counter=desk, acting_user=province.counter)
    response = Client().get(f"/xep-hang/{province.commune.code}/su-kien/")
    try:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert response["Cache-Control"] == "no-cache"
        first = next(iter(response.streaming_content))
    finally:
        response.close()
    assert first.startswith(b"retry: ")
    (state,) = events_of(first)
    assert state["counters"] == [
        {"number": 3, "name": "Quầy 3 – Tư pháp", "ticket": "0001", "initials": "N.V.A."}
    ]
    assert state["waiting"] == 1 and state["recent"][0]["ticket"] == "0001"


def test_events_follow_changes_and_the_stream_ends_with_a_retry_hint(province, monkeypatch):
    monkeypatch.setattr(views, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(views, "STREAM_SECONDS", 2.0)
    desk = make_counter(province.commune, 1)
    take(province.commune)
    response = Client().get(f"/xep-hang/{province.commune.code}/su-kien/")
    chunks = iter(response.streaming_content)
    try:
        assert events_of(next(chunks))[0]["counters"][0]["ticket"] is None
        services.call_next(counter=desk, acting_user=province.counter)
        assert events_of(next(chunks))[0]["counters"][0]["ticket"] == "0001"
        rest = b"".join(chunks)  # nothing changes any more: only the end of the stream
    finally:
        response.close()
    assert rest.startswith(b"retry: ") and b"data:" not in rest


def test_under_asgi_the_stream_is_asynchronous_and_pages_answer_while_it_is_open(province, monkeypatch):
    """Production serves ASGI (uvicorn workers): a board's stream must hold no worker between its polls. A
    plain generator there is read whole (the stream's 30 s) in Django's one thread for synchronous views,
    so every page of that worker waited for it, and the board saw nothing until the stream ended."""
    monkeypatch.setattr(views, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(views, "STREAM_SECONDS", 5.0)
    desk = make_counter(province.commune, 1)
    take(province.commune)

    async def scenario() -> tuple[bytes, int, bytes]:
        client = AsyncClient()
        response = await client.get(f"/xep-hang/{province.commune.code}/su-kien/")
        chunks = aiter(response.streaming_content)
        try:
            first = await anext(chunks)
            page = await client.get(f"/xep-hang/{province.commune.code}/bang/")
            await sync_to_async(services.call_next)(counter=desk, acting_user=province.counter)
            second = await anext(chunks)
        finally:
            await sync_to_async(response.close)()
        return first, page.status_code, second

    first, page_status, second = async_to_sync(scenario)()
    assert events_of(first)[0]["counters"][0]["ticket"] is None
    assert page_status == 200
    assert events_of(second)[0]["counters"][0]["ticket"] == "0001"


def test_the_kiosk_gives_no_number_while_no_counter_is_open(province):
    """It printed tickets nobody would ever call."""
    make_counter(province.commune, 1, "Hộ tịch", is_open=False)
    kiosk = f"/xep-hang/{province.commune.code}/lay-so/"
    page = Client().get(kiosk)
    assert page.status_code == 200
    assert "Hiện chưa có quầy nào mở" in page.text and "khu-vuc=" not in page.text
    for area in ("", "ho-tich"):
        refused = Client().post(kiosk, {"area": area, "id_number": "040090001234", "name": "An"})
        assert refused.status_code == 409
        assert "Hiện chưa có quầy nào mở nên chưa thể lấy số" in refused.text
    assert not Ticket.objects.exists()
    english = Client()
    english.cookies["django_language"] = "en"
    assert "No counter is open" in english.post(kiosk, {"area": ""}).text


def test_a_ticket_no_longer_waiting_says_where_it_stands(province):
    """A no-show ticket's page said "0 people before you"."""
    desk = make_counter(province.commune, 4, "Tư pháp")
    first, second = (take(province.commune) for _ in range(2))
    slip = f"/xep-hang/{province.commune.code}/so/{first.pk}/"
    assert "Có 0 người đang chờ trước bạn" in Client().get(slip).text
    services.call_next(counter=desk, acting_user=province.counter)
    called = Client().get(slip).text
    assert "mời bạn đến quầy 4 (Quầy 4 – Tư pháp)" in called and "đang chờ trước bạn" not in called
    assert (
        "Có 0 người đang chờ trước bạn"
        in Client().get(f"/xep-hang/{province.commune.code}/so/{second.pk}/").text
    )
    services.finish(ticket=first, acting_user=province.counter, served=False)
    absent = Client().get(slip).text
    assert "bạn vắng mặt" in absent and "đang chờ trước bạn" not in absent
    services.call_next(counter=desk, acting_user=province.counter)
    services.finish(ticket=second, acting_user=province.counter, served=True)
    served = Client().get(f"/xep-hang/{province.commune.code}/so/{second.pk}/").text
    assert "Số này đã được phục vụ" in served and "đang chờ trước bạn" not in served

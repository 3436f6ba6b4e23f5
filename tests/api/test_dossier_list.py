"""The dossier list: newest first, `next` links that continue after the last row (keyset), a clear 400 for a
bad cursor, and a fixed number of queries per page and per dossier."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import DOSSIERS, client_for
from tests.dossiers.helpers import at


def _receive(province, count: int, start: float = 0) -> list[str]:
    return [province.receive(now=at(start + i)).code for i in range(count)]


def test_following_next_walks_every_dossier_once_newest_first(province):
    codes = _receive(province, 7)
    client = client_for(province.counter)
    seen, url, pages = [], f"{DOSSIERS}?limit=3", 0
    while url:
        body = client.get(url).json()
        assert body["count"] == 7
        seen += [row["code"] for row in body["results"]]
        url, pages = body["next"], pages + 1
        assert url is None or ("after=" in url and "offset=" not in url)
    assert seen == list(reversed(codes))
    assert pages == 3


def test_offset_paging_still_works_and_its_next_link_is_a_cursor(province):
    codes = _receive(province, 5)
    body = client_for(province.counter).get(DOSSIERS, {"limit": 2, "offset": 2}).json()
    assert [row["code"] for row in body["results"]] == [codes[2], codes[1]]
    assert "after=" in body["next"] and body["previous"]


def test_same_moment_dossiers_are_ordered_by_id_and_none_is_skipped(province):
    same = [province.receive(now=at(1)).code for _ in range(4)]
    client = client_for(province.counter)
    first = client.get(DOSSIERS, {"limit": 2}).json()
    second = client.get(first["next"]).json()
    assert [r["code"] for r in first["results"] + second["results"]] == list(reversed(same))


def test_a_bad_cursor_is_a_clear_400(province):
    response = client_for(province.counter).get(DOSSIERS, {"after": "hôm qua_1"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_pagination" and "after" in body["fields"]


def test_list_and_detail_queries_do_not_grow_with_rows(province):
    client = client_for(province.counter)
    codes = _receive(province, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(DOSSIERS)
    with CaptureQueriesContext(connection) as detail_one:
        client.get(f"{DOSSIERS}{codes[0]}/")
    more = province.processing(now=at(2))
    for hours in (3, 4, 5):
        province.receive(now=at(hours) + timedelta(minutes=1))
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(DOSSIERS).json()["results"]) == 5
    with CaptureQueriesContext(connection) as detail_more:
        client.get(f"{DOSSIERS}{more.code}/")
    assert len(five.captured_queries) <= len(one.captured_queries)
    assert len(detail_more.captured_queries) <= len(detail_one.captured_queries) + 1

"""The axis sandbox checks each request's signature as the axis does: tampered, replayed, stale or signed
with another secret, it is refused (403) and never reaches the ministry."""

import json
import time

import pytest

from motcua.interop import http
from motcua.interop.axis import auth, sandbox, signing
from motcua.interop.axis.registry import axis
from tests.interop.axis.support import SIGNING_SECRET, connect

pytestmark = pytest.mark.django_db(transaction=True)
PATH = "/lien-thong/truc-sandbox/lgsp/btp/lltp/tiepNhanHoSo"
BODY = json.dumps(
    {
        "maTinh": "40",
        "maHoSoMCDT": "X-1",
        "toKhai": {"nycHoTen": "Nguyễn Văn An", "nycSoGiayTo": "040090001234"},
    }
).encode()


@pytest.fixture
def post(settings, live_server):
    connect(settings, live_server.url)
    bearer = {"Authorization": f"Bearer {auth.token(axis('lgsp'))}", "Content-Type": "application/json"}

    def post(body: bytes, headers: dict[str, str], *, token: bool = True) -> http.Answer:
        sent = (bearer if token else {}) | headers
        return http.post(f"{live_server.url}{PATH}", body, headers=sent, deadline=5)

    return post


def test_a_signed_request_goes_through(post):
    answer = post(BODY, signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET))

    assert answer.status == 200 and json.loads(answer.text)["statusCode"] == "00"
    assert len(sandbox.received()) == 1


def test_a_tampered_body_is_refused(post):
    headers = signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET)

    answer = post(BODY.replace(b"X-1", b"X-2"), headers)

    assert answer.status == 403 and "đã bị sửa" in answer.text
    assert sandbox.received() == []


def test_a_digest_made_to_match_still_fails_the_signature(post):
    headers = signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET)
    tampered = BODY.replace(b"X-1", b"X-2")
    forged = signing.sign("POST", PATH, tampered, secret="another-secret")

    answer = post(tampered, headers | {signing.DIGEST: forged[signing.DIGEST]})

    assert answer.status == 403 and "chữ ký không hợp lệ" in answer.text
    assert sandbox.received() == []


def test_a_replayed_request_is_refused(post):
    headers = signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET)
    assert post(BODY, headers).status == 200

    replayed = post(BODY, headers)

    assert replayed.status == 403 and "phát lại" in replayed.text
    assert len(sandbox.received()) == 1


def test_a_stale_timestamp_is_refused(post):
    headers = signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET, now=time.time() - 600)

    answer = post(BODY, headers)

    assert answer.status == 403 and "quá hạn" in answer.text


def test_without_a_token_the_axis_answers_401(post):
    answer = post(BODY, signing.sign("POST", PATH, BODY, secret=SIGNING_SECRET), token=False)

    assert answer.status == 401 and sandbox.received() == []

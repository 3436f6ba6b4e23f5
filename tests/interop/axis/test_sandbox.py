"""The axes' sandbox: switched off, it is not there (404); on, its controls are set over HTTP too."""

import json

import pytest

from motcua.interop import http
from motcua.interop.axis import sandbox
from tests.interop.axis.support import connect

pytestmark = pytest.mark.django_db(transaction=True)


def test_off_every_endpoint_is_404(settings, live_server):
    connect(settings, live_server.url)
    settings.MOTCUA_AXIS_SANDBOX = False
    base = f"{live_server.url}/lien-thong/truc-sandbox"

    for url in (f"{base}/lgsp/token", f"{base}/lgsp/btp/lltp/tiepNhanHoSo", f"{base}/dieu-khien"):
        assert http.post(url, b"{}", headers={}, deadline=5).status == 404


def test_the_controls_are_set_over_http(settings, live_server):
    connect(settings, live_server.url)
    url = f"{live_server.url}/lien-thong/truc-sandbox/dieu-khien"

    answer = http.post(url, json.dumps({"fail": 2, "twice": True}).encode(), headers={}, deadline=5)

    assert answer.status == 200
    assert json.loads(answer.text)["controls"] == {"fail": 2, "slow": 0, "delay": 0.0, "twice": True}
    assert http.post(url, b'{"fail": "x"}', headers={}, deadline=5).status == 400
    assert sandbox.tokens_issued() == 0

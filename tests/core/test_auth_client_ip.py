"""The client's address behind the proxy (MOTCUA_TRUSTED_PROXIES), and limits shared by all workers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from motcua.core.ratelimit import client_ip, count_hit

PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored():
    assert address("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(behind_proxy):
    assert address(PROXY, "203.0.113.9") == "203.0.113.9"
    # The client wrote the left part itself: only what our proxies appended is believed.
    assert address(PROXY, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert address(PROXY, "203.0.113.9, 10.0.0.7") == "203.0.113.9"  # two proxies of ours
    assert address(PROXY, "") == PROXY
    assert address(PROXY, "garbage") == PROXY
    # Anyone else's header is not believed.
    assert address("198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_tracking_limit_is_per_citizen_behind_the_proxy(behind_proxy, province):
    def track(client_address: str) -> int:
        query = {"ma": "X-1", "xac_thuc": "040000000000"}
        response = Client().get("/tra-cuu/", query, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)
        return response.status_code

    assert [track("203.0.113.9") for _ in range(21)][-1] == 429
    assert track("198.51.100.23") == 404  # another citizen behind the same proxy is not limited


def test_a_stranger_behind_the_proxy_cannot_lock_out_a_citizen(behind_proxy, province):
    url = "/tai-khoan/dang-nhap/"
    stranger = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(6):
        stranger.post(url, {"username": "citizen", "password": "sai"})
    citizen = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.23")
    assert citizen.post(url, {"username": "citizen", "password": "pw-citizen"}).status_code == 302


def test_spoofed_https_header_is_dropped_unless_a_trusted_proxy_sent_it(settings, db):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    assert Client(REMOTE_ADDR="198.51.100.4").get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    assert Client(REMOTE_ADDR=PROXY).get("/", HTTP_X_FORWARDED_PROTO="https").status_code != 301


COUNT_IN_ANOTHER_PROCESS = """
import json, sys
import django
from django.conf import settings
settings.DATABASES["default"].update(json.loads(sys.argv[1]))
django.setup()
from motcua.core.ratelimit import count_hit
for _ in range(3):
    count_hit("shared-between-workers", window_seconds=60)
"""


@pytest.mark.django_db(transaction=True)
def test_rate_limit_counts_are_shared_between_worker_processes():
    database = {key: connection.settings_dict[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "motcua.settings"}
    subprocess.run(
        [sys.executable, "-c", COUNT_IN_ANOTHER_PROCESS, json.dumps(database)],
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert count_hit("shared-between-workers", window_seconds=60) == 4

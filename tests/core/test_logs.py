"""Structured logs: one JSON object a line, a request id through each request, no personal data."""

import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
import structlog

from motcua.core.logs import bound_request_id, current_request_id, logging_config, scrub_sentry_event
from motcua.dossiers.states import Status
from tests.core.json_logs import JsonLines, captured_json_logs
from tests.dossiers.helpers import dossier_in


@pytest.fixture
def json_logs() -> Iterator[JsonLines]:
    with captured_json_logs() as lines:
        yield lines


def test_a_request_gets_an_id_that_its_response_and_access_line_carry(client, db, json_logs):
    response = client.get("/healthz", {"ma": "HS-1", "xac_thuc": "040090001234"})
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    (line,) = json_logs.of("motcua.access")
    assert line["request_id"] == rid
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["user_id"] is None
    assert "040090001234" not in json_logs.text and "xac_thuc" not in json_logs.text
    assert client.get("/healthz")["X-Request-ID"] != rid


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("req-1.A_b", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("has space", False),
        ('x"}{"inject', False),
        ("", False),
    ],
)
def test_a_client_request_id_is_kept_only_when_sane(client, db, offered, kept):
    rid = client.get("/healthz", HTTP_X_REQUEST_ID=offered)["X-Request-ID"]
    assert (rid == offered) is kept
    if not kept:
        assert re.fullmatch(r"[0-9a-f]{32}", rid)


def test_the_access_line_names_the_signed_in_user(client, province, json_logs):
    client.force_login(province.counter)
    client.get("/can-bo/")
    (line,) = json_logs.of("motcua.access")
    assert line["user_id"] == province.counter.pk and line["status"] == 200


def test_djangos_own_lines_carry_the_request_id(client, db, json_logs):
    rid = client.get("/metrics", REMOTE_ADDR="192.0.2.7")["X-Request-ID"]
    (forbidden,) = json_logs.of("django.request")
    assert forbidden["event"] == "Forbidden: /metrics" and forbidden["request_id"] == rid
    assert "request" not in forbidden  # its repr would carry the query string


def test_bound_request_id_binds_for_the_block_and_restores(json_logs):
    log = logging.getLogger("motcua.test")
    assert current_request_id() is None
    with bound_request_id("outer"):
        log.info("one")
        with bound_request_id(None):
            assert current_request_id() is None
            log.info("two")
        assert current_request_id() == "outer"
        structlog.get_logger("motcua.test").info("three", n=3)
    assert current_request_id() is None
    log.info("four")
    one, two, three, four = json_logs.records
    assert one["request_id"] == "outer" and three["request_id"] == "outer" and three["n"] == 3
    assert "request_id" not in two and "request_id" not in four


def test_extras_are_fields_and_exceptions_are_text(json_logs):
    log = logging.getLogger("motcua.test")
    log.warning("payment %s refused", "PAY-1", extra={"dossier_id": 7})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    warning, error = json_logs.records
    assert warning["event"] == "payment PAY-1 refused" and warning["dossier_id"] == 7
    assert warning["level"] == "warning" and warning["logger"] == "motcua.test" and "timestamp" in warning
    assert error["level"] == "error" and "ValueError: boom" in error["exception"]


def test_log_format_is_json_or_console():
    assert logging_config(log_format="console", level="debug")["root"]["level"] == "DEBUG"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config(log_format="xml", level="INFO")


# What Django does at start-up with the settings (LOGGING_CONFIG called with LOGGING), then two records.
_EMIT = """
import logging
from motcua import settings
from motcua.core.logs import configure
configure(settings.LOGGING)
logging.getLogger("django.request").warning("Not Found: %s", "/x")
logging.getLogger("motcua.test").info("hello", extra={"n": 1})
"""


def _stderr_of_a_process(tmp_path, **env: str) -> str:
    environment = os.environ | {"MOTCUA_VAR_DIR": str(tmp_path), "SECRET_KEY": "x", "EMAIL_BACKEND": "none"}
    environment.pop("LOG_FORMAT", None)
    command = [sys.executable, "-c", _EMIT]
    done = subprocess.run(command, env=environment | env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_production_writes_json_lines_and_development_a_console(tmp_path):
    lines = [json.loads(line) for line in _stderr_of_a_process(tmp_path, DEBUG="0").splitlines()]
    assert {"logger": "django.request", "event": "Not Found: /x", "level": "warning"}.items() <= lines[
        -2
    ].items()
    assert lines[-1]["event"] == "hello" and lines[-1]["n"] == 1
    console = _stderr_of_a_process(tmp_path, DEBUG="1")
    assert "Not Found: /x" in console and not console.lstrip().startswith("{")


def test_a_whole_journey_logs_nothing_personal(
    client, province, settings, tmp_path, django_capture_on_commit_callbacks, json_logs
):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.LoggingSms"
    settings.MEDIA_ROOT, settings.MOTCUA_PKI_DIR = tmp_path / "media", tmp_path / "pki"
    citizen = province.citizen
    citizen.first_name, citizen.last_name, citizen.phone = "An", "Nguyễn Văn", "0912345678"
    citizen.save()
    login = "/tai-khoan/dang-nhap/"
    assert client.post(login, {"username": "040090001234", "password": "wrong"}).status_code == 400
    assert client.post(login, {"username": "citizen", "password": "pw-citizen"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):  # the outbox: SMS, e-mail, the signed e-result
        dossier = dossier_in(province, Status.RETURNED)
    tracking = client.get("/tra-cuu/", {"ma": dossier.code, "xac_thuc": "040090001234"})
    assert tracking.status_code == 200
    client.get(f"/ho-so-cua-toi/{dossier.code}/")
    client.post("/tai-khoan/dang-xuat/")

    events = {(r["logger"], r["event"]) for r in json_logs.records}
    assert {("motcua.audit", e) for e in ("login_failed", "login", "logout", "e_result_issued")} <= events
    assert any(logger == "motcua.sms" for logger, _ in events)
    text = json_logs.text
    for personal in ("Nguyễn Văn An", "Nguyễn Văn", "040090001234", "0912345678", "0912 345 678"):
        assert personal not in text
    assert "an@example.vn" not in text and "pw-citizen" not in text and "wrong" not in text
    assert dossier.code in text  # the tracking page's access line: its path, not the query


_SENTRY = """
import sentry_sdk
from motcua import settings
client = sentry_sdk.get_client()
print(client.is_active(), client.options.get("send_default_pii"), client.options.get("environment"))
"""


def _sentry_state(tmp_path, **env: str) -> str:
    environment = os.environ | {"MOTCUA_VAR_DIR": str(tmp_path)} | env
    done = subprocess.run(
        [sys.executable, "-c", _SENTRY], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_error_reporting_starts_only_with_a_dsn(tmp_path, monkeypatch):
    monkeypatch.delenv("SENTRY_DSN", raising=False)
    assert _sentry_state(tmp_path).startswith("False")
    dsn = "http://public@127.0.0.1:9/1"  # nothing is sent: no error happens
    assert _sentry_state(tmp_path, SENTRY_DSN=dsn, MOTCUA_ENVIRONMENT="staging") == "True False staging"


def test_the_error_report_carries_no_body_cookie_or_personal_data():
    event = {
        "request": {
            "url": "https://motcua.example/tra-cuu/?ma=HS-1&xac_thuc=040090001234",
            "method": "POST",
            "data": {"password": "pw", "id_number": "040090001234"},
            "cookies": {"sessionid": "abc"},
            "query_string": "ma=HS-1&xac_thuc=040090001234",
            "headers": {"Cookie": "sessionid=abc", "Authorization": "Token t", "User-Agent": "Firefox"},
        },
        "user": {"id": 7, "email": "an@example.vn", "username": "040090001234", "ip_address": "192.0.2.4"},
        "message": "boom",
    }
    scrubbed = scrub_sentry_event(event, None)
    assert scrubbed["request"] == {
        "url": "https://motcua.example/tra-cuu/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox"},
    }
    assert scrubbed["user"] == {"id": 7} and scrubbed["message"] == "boom"

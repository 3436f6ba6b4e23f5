"""The production shape, through its real nginx: pages, static files, client addresses, the outbox workers,
display boards held open while pages stay fast, and the probes. Run by `make test-production`
(scripts/production-shape -- pytest tests/deploy); skipped without it."""

import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from tests.deploy.shape import Client, Response, csrf_token

OFFICER = "tiepnhan.tinh"
PASSWORD = "motcua-demo"
LOGIN = "/can-bo/dang-nhap/"
WRONG_PASSWORD = "Tên đăng nhập hoặc mật khẩu không đúng."
LOCKOUT = "Bạn đã đăng nhập sai quá"


def test_pages_through_nginx(client: Client, database: psycopg.Connection) -> None:
    home = client.get("/")
    assert home.status == 200
    assert home.headers["Server"] == "nginx"
    assert home.headers["Content-Type"].startswith("text/html")
    code, name = database.execute(
        "SELECT code, name FROM catalog_procedure WHERE online_level = 'full' ORDER BY code LIMIT 1"
    ).fetchone()
    assert f"/thu-tuc/{code}/" in home.text  # the catalogue lists it
    procedure = client.get(f"/thu-tuc/{code}/")
    assert procedure.status == 200 and name in procedure.text
    services = client.get("/dich-vu-cong/")
    assert services.status == 200
    login = client.get(LOGIN)
    assert login.status == 200 and 'name="password"' in login.text
    # No HTTPS redirect and no secure cookies here: nginx listens plain HTTP on loopback (MOTCUA_HTTPS=0).
    assert "secure" not in (login.headers.get("Set-Cookie") or "").lower()


def test_nginx_gives_each_request_its_id(client: Client) -> None:
    page = client.get("/", **{"X-Request-ID": "chosen-by-the-client"})
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])  # nginx's $request_id


def test_static_files_served_by_nginx_with_cache_headers(client: Client) -> None:
    css = client.get("/static/admin/css/base.css")
    assert css.status == 200
    assert css.headers["Content-Type"] == "text/css"
    assert css.headers["Cache-Control"] == "public, max-age=86400"
    assert css.headers["ETag"] and css.headers["Last-Modified"]
    assert "X-Request-ID" not in css.headers  # nginx answered, not the app
    revalidated = client.get("/static/admin/css/base.css", **{"If-None-Match": css.headers["ETag"]})
    assert revalidated.status == 304
    assert client.get("/static/admin/css/no-such-file.css").status == 404


def test_media_never_served_by_nginx(client: Client) -> None:
    media = Path(os.environ["MOTCUA_VAR_DIR"]) / "media"
    media.mkdir(exist_ok=True)
    probe = media / f"probe-{uuid.uuid4().hex}.txt"
    probe.write_text("a stored document")
    try:
        answer = client.get(f"/media/{probe.name}")
    finally:
        probe.unlink()
    assert answer.status == 404
    assert "a stored document" not in answer.text
    assert "X-Request-ID" in answer.headers  # the app's 404: nginx passed it on


def _login(client: Client, password: str) -> Response:
    form = client.get(LOGIN)
    return client.post_form(
        LOGIN, {"username": OFFICER, "password": password, "csrfmiddlewaretoken": csrf_token(form)}
    )


def test_client_addresses_reach_the_app_through_forwarded_for() -> None:
    """Failed logins lock a user name at one client address (5 forgiven, the 6th locks): nginx's
    X-Forwarded-For tells 127.0.0.2 and 127.0.0.3 apart, though both reach the app from nginx's address."""
    here, elsewhere = Client(source="127.0.0.2"), Client(source="127.0.0.3")
    for _ in range(5):
        failed = _login(here, "wrong password")
        assert failed.status == 200 and WRONG_PASSWORD in failed.text
    locked = _login(here, "wrong password")
    assert locked.status == 429 and LOCKOUT in locked.text

    failed_elsewhere = _login(elsewhere, "wrong password")
    assert failed_elsewhere.status == 200
    assert WRONG_PASSWORD in failed_elsewhere.text and LOCKOUT not in failed_elsewhere.text
    assert _login(here, PASSWORD).status == 429  # locked here even with the right password
    signed_in = _login(elsewhere, PASSWORD)
    assert signed_in.status == 302  # on to the second factor (or the work lists without it)


def test_outbox_workers_dispatch_a_submission(database: psycopg.Connection) -> None:
    citizen = Client(source="127.0.0.4")
    token = citizen.post_json("/api/v1/auth/token", {"username": "congdan", "password": PASSWORD})
    assert token.status == 201, token.text
    auth = {"Authorization": f"Token {token.json()['token']}"}
    code, unit = database.execute(
        "SELECT p.code, u.code FROM catalog_procedure p, core_orgunit u WHERE p.online_level = 'full' "
        "AND p.level = 'commune' AND u.kind = 'commune' AND u.is_active ORDER BY p.code, u.code LIMIT 1"
    ).fetchone()
    procedure = citizen.request("GET", f"/api/v1/procedures/{code}/", headers=auth).json()
    (before,) = database.execute("SELECT coalesce(max(id), 0) FROM interop_outboxmessage").fetchone()

    submitted = citizen.post_json(
        "/api/v1/dossiers/",
        {
            "procedure": code,
            "channel": "online",
            "receiving_unit": unit,
            "applicant": {"kind": "citizen", "name": "Nguyễn Văn An", "id_number": "040090001234"},
            "components": [c["id"] for c in procedure["components"] if c["is_mandatory"]],
        },
        **auth,
        **{"Idempotency-Key": uuid.uuid4().hex},
    )
    assert submitted.status == 201, submitted.text

    deadline = time.monotonic() + 20
    while True:
        rows = database.execute(
            "SELECT topic, dispatched_at IS NOT NULL, last_error FROM interop_outboxmessage WHERE id > %s",
            [before],
        ).fetchall()
        if rows and all(dispatched for _, dispatched, _ in rows):
            break
        assert time.monotonic() < deadline, f"not dispatched within 20 s: {rows}"
        time.sleep(0.5)
    logs = Path(os.environ["MOTCUA_SHAPE_DIR"]) / "logs"
    worker_logs = "".join(log.read_text() for log in logs.glob("outbox-*.log"))
    assert "dispatched" in worker_logs  # by the `motcua outbox --forever` processes, not the web workers


def _open_stream(path: str) -> tuple[socket.socket, bytes]:
    """A board's event stream, open, with its first frame read."""
    connection = Client(timeout=10).connection()
    connection.request("GET", path, headers={"Accept": "text/event-stream"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/event-stream")
    first = b""
    while b"\n\n" not in first:
        chunk = response.read1(65536)
        assert chunk, "the stream ended before its first frame"
        first += chunk
    return connection.sock, first


def _still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read yet, not closed


def test_boards_held_open_while_pages_stay_fast(client: Client, database: psycopg.Connection) -> None:
    """Eight board screens on the 2 web workers, and pages still answer: the streams tie no worker."""
    (unit,) = database.execute("SELECT code FROM core_orgunit WHERE kind = 'center' LIMIT 1").fetchone()
    (procedure,) = database.execute("SELECT code FROM catalog_procedure ORDER BY code LIMIT 1").fetchone()
    assert client.get(f"/xep-hang/{unit}/bang/").status == 200
    with ThreadPoolExecutor(8) as pool:
        streams = list(pool.map(_open_stream, [f"/xep-hang/{unit}/su-kien/"] * 8))
    try:
        assert all(b"data: " in first for _, first in streams)
        pages = ["/", "/dich-vu-cong/", f"/thu-tuc/{procedure}/", "/tra-cuu/", f"/xep-hang/{unit}/bang/"] * 4

        def timed(path: str) -> tuple[str, int, float]:
            started = time.monotonic()
            status = Client(timeout=30).get(path).status
            return path, status, time.monotonic() - started

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(timed, pages))
        assert [status for _, status, _ in answers] == [200] * len(pages)
        slow = [(path, round(seconds, 1)) for path, _, seconds in answers if seconds > 5]
        assert not slow, f"pages stalled while the boards were open: {slow}"
        assert all(_still_open(sock) for sock, _ in streams)
    finally:
        for sock, _ in streams:
            sock.close()


def test_health_probes(client: Client) -> None:
    healthz = client.get("/healthz")
    if healthz.status == 404:
        pytest.skip("/healthz and /readyz not in this version")
    assert healthz.status == 200 and healthz.json()["status"] == "ok"
    readyz = client.get("/readyz")
    assert readyz.status == 200, readyz.text
    assert set(readyz.json()["checks"].values()) == {"ok"}


ROOT = Path(__file__).resolve().parents[2]


def test_nginx_site_with_tls_is_valid(tmp_path: Path) -> None:
    """The site as production renders it (TLS, the redirect from port 80), checked by nginx itself."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    subprocess.run(
        [
            *(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=motcua.test",
            ),
            *("-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")),
        ],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [ROOT / "deploy" / "render-nginx-site"],
        env={
            "PATH": os.environ["PATH"],
            "MOTCUA_SERVER_NAME": "motcua.test",
            "MOTCUA_TLS_CERT": str(tmp_path / "cert.pem"),
            "MOTCUA_TLS_KEY": str(tmp_path / "key.pem"),
        },
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n include /etc/nginx/mime.types;\n"
        f" include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        [
            nginx,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    assert "listen 443 ssl;" in site and "return 301 https://$host$request_uri;" in site


def test_systemd_units_are_valid(tmp_path: Path) -> None:
    """The units, pointed at this checkout instead of /opt/motcua, as systemd reads them."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    units = sorted((ROOT / "deploy" / "systemd").iterdir())
    for unit in units:
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/motcua", str(ROOT)))
    checked = subprocess.run(
        [analyze, "verify", *(str(tmp_path / unit.name) for unit in units)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def test_database_connections_stay_bounded_however_many_requests(database: psycopg.Connection) -> None:
    """Under ASGI each request runs its synchronous code in a new thread: a connection kept per thread
    (CONN_MAX_AGE) was never reused, and the load scenario took PostgreSQL to 97 connections of 100. The web
    workers borrow from a pool of MOTCUA_DB_POOL_SIZE (10) each instead."""

    def page(_: int) -> int:
        return Client().get("/dich-vu-cong/").status

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(page, range(120))) == {200}
    connections = database.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    ).fetchone()[0]
    web, outbox = int(os.environ["MOTCUA_WEB_WORKERS"]), int(os.environ["MOTCUA_OUTBOX_WORKERS"])
    assert connections <= web * 10 + outbox * 2 + 1  # + this test's own; an outbox worker also LISTENs

"""The page table over HTTP in production shape (issue #11).

gunicorn (4 sync workers) serves motcua with DEBUG=0 on the configured PostgreSQL, which already holds
data (or `--generate N` makes N synthetic dossiers on the demo province first, on a fresh database). Each
page is loaded by 1 client, then by 16 at once (threads, keep-alive connections), for `--seconds`:
requests per second, p50, p99 and the non-2xx answers. Before that, one request of each page in this
process counts its SQL statements and times its slowest one.

Production shape, as behind nginx: the bench stands for the proxy (MOTCUA_TRUSTED_PROXIES=127.0.0.1), sends
X-Forwarded-Proto: https, and gives every tracking request its own client address (X-Forwarded-For), so that
the per-address limit of tracking (20 in 10 minutes) is counted, as for real citizens, but never reached.
Officers' sessions and the API token are made directly (no login form: the lockout and the login rate
limit would count the bench), with MOTCUA_OFFICER_OTP=0.

Goals (#11): tracking and catalogue search ≥ 80 % of the floor (the anonymous login form, same server, same
run) and p99 < 100 ms with 16 clients; officer work lists and search p50 < 50 ms with 1 client and p99 <
500 ms with 16 (at 2 M dossiers: `make bench-scale`).

Usage: python bench/pages.py [--generate 20000] [--seconds 5] [--workers 4]
"""

import argparse
import atexit
import io
import itertools
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from urllib.parse import urlencode

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "motcua.settings",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_BACKEND": "none",
    "MOTCUA_OFFICER_OTP": "0",
    "MOTCUA_OUTBOX_DISPATCH": "off",
    "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)  # this process makes the sessions and tokens the server reads: same settings
os.environ.setdefault("SECRET_KEY", "motcua-bench-pages-not-a-secret")
if "MOTCUA_VAR_DIR" not in os.environ:  # the server's static root and uploads: a directory of this run only
    os.environ["MOTCUA_VAR_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-pages-")
    atexit.register(shutil.rmtree, os.environ["MOTCUA_VAR_DIR"], ignore_errors=True)
import django  # noqa: E402
from http_load import Cell, gunicorn, load  # noqa: E402  (bench/ is the script's directory)
from timing import goal  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from motcua.api import tokens  # noqa: E402
from motcua.backoffice.selectors import WORK_LISTS  # noqa: E402
from motcua.core.models import User  # noqa: E402
from motcua.dossiers.models import Dossier  # noqa: E402
from motcua.dossiers.selectors import dossier_for_tracking, visible_dossiers  # noqa: E402

BASE_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Language": "vi"}
LEADER, COUNTER, CENTER_ADMIN = "lanhdao.thanhvinh", "tiepnhan.tinh", "quantri"
CATALOGUE_SEARCH = "khai sinh"  # without diacritics, as citizens type it
FLOOR = "login form (floor)"
FLOOR_SHARE, PUBLIC_P99_MS = 0.80, 100
OFFICER_P50_MS, OFFICER_P99_MS = 50, 500
MANY = 16
NAME = 38  # width of the page column
CONCURRENCY = (1, MANY)


@dataclass
class Page:
    name: str
    paths: list[str]  # the requests take them in turn
    headers: dict[str, str] = field(default_factory=dict)
    group: str = ""  # "public" and "officer" pages have goals
    forwarded: bool = False  # each request from its own client address
    statements: int = 0
    slowest: tuple[float, str] = (0.0, "")  # ms, SQL
    cells: dict[int, Cell] = field(default_factory=dict)


# --- the data and the people ---------------------------------------------------------------------------


def prepare(generate: int) -> None:
    if generate:
        call_command("migrate", verbosity=0)
        if Dossier.objects.exists():
            sys.exit("--generate wants a fresh database: this one holds dossiers already (run without it)")
        call_command("demo", "--no-dossiers", stdout=io.StringIO())
        started = time.perf_counter()
        call_command("generate", "--dossiers", str(generate), stdout=io.StringIO())
        print(
            f"generated {generate:,} dossiers and their statistics in {time.perf_counter() - started:.0f} s"
        )
    else:
        executor = MigrationExecutor(connection)
        if plan := executor.migration_plan(executor.loader.graph.leaf_nodes()):
            print(f"! {len(plan)} migrations of the code are not applied to this database: pages may fail")


def session_cookie(username: str) -> dict[str, str]:
    """A signed-in session of `username`, made directly (no login form)."""
    user = User.objects.get(username=username)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(int(timedelta(hours=settings.MOTCUA_OFFICER_SESSION_HOURS).total_seconds()))
    session.save()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}


def api_token(username: str) -> dict[str, str]:
    _, key = tokens.issue(user=User.objects.get(username=username))
    return {"Authorization": f"Token {key}"}


def tracking_pairs(rng: random.Random, count: int = 200) -> list[tuple[str, str]]:
    """(code, ID number) of dossiers spread over the table, picked by random primary keys."""
    top = Dossier.objects.aggregate(top=Max("pk"))["top"] or 0
    picks = rng.sample(range(1, top + 1), min(top, count * 3))
    rows = Dossier.objects.filter(pk__in=picks).exclude(applicant_id_number="")
    return list(rows.values_list("code", "applicant_id_number")[:count])


def pages_to_load(rng: random.Random) -> list[Page]:
    leader = User.objects.get(username=LEADER)
    mine = list(visible_dossiers(leader).order_by("-pk").values_list("code", "applicant_name")[:500])
    if not mine:
        sys.exit(f"{LEADER} sees no dossier: generate some (--generate N)")
    codes = [code for code, _ in rng.sample(mine, min(50, len(mine)))]
    surname = mine[0][1].split()[0]
    pairs = tracking_pairs(rng)
    as_leader, as_counter = session_cookie(LEADER), session_cookie(COUNTER)
    token = api_token(LEADER)

    def work_list(name: str, **query: str) -> str:
        return f"/can-bo/?{urlencode({'list': name, **query})}"

    pages = [
        Page(FLOOR, ["/can-bo/dang-nhap/"], group="floor"),
        Page("catalogue home", ["/"]),
        Page("catalogue search", [f"/?{urlencode({'q': CATALOGUE_SEARCH})}"], group="public"),
        Page(
            "tracking",
            [f"/tra-cuu/?{urlencode({'ma': code, 'xac_thuc': factor})}" for code, factor in pairs],
            group="public",
            forwarded=True,
        ),
    ]
    for who, headers in ((LEADER, as_leader), (COUNTER, as_counter)):
        pages += [Page(f"{who}: {w.name}", [work_list(w.name)], headers, group="officer") for w in WORK_LISTS]
        pages.append(Page(f"{who}: search name", [work_list("xu-ly", q=surname)], headers, group="officer"))
    pages += [
        Page(f"{LEADER}: search code", [work_list("xu-ly", q=codes[0])], as_leader, group="officer"),
        Page(f"{LEADER}: dossier page", [f"/can-bo/ho-so/{code}/" for code in codes], as_leader),
        Page("API dossier list", ["/api/v1/dossiers/"], token),
        Page("API dossier detail", [f"/api/v1/dossiers/{code}/" for code in codes], token),
        Page(f"766 dashboard {LEADER}", ["/chat-luong/"], as_leader),
        Page(f"766 dashboard {CENTER_ADMIN}", ["/chat-luong/"], session_cookie(CENTER_ADMIN)),
    ]
    return pages


def time_tracking_selector(pairs: list[tuple[str, str]]) -> float:
    """The tracking lookup's own cost in this process, no HTTP: median ms of a call."""
    timings = []
    for code, factor in pairs:
        started = time.perf_counter()
        dossier_for_tracking(code=code, second_factor=factor)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


# --- requests ------------------------------------------------------------------------------------------

_addresses = itertools.count(random.randrange(2**23))  # client addresses 10.x.y.z, one per tracking request


def forwarded_for() -> str:
    n = next(_addresses) % 2**24
    return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"


def requester(page: Page):
    def request(index: int, number: int) -> tuple[str, dict[str, str]]:
        headers = BASE_HEADERS | page.headers
        if page.forwarded:
            headers["X-Forwarded-For"] = forwarded_for()
        return page.paths[(index * 7 + number) % len(page.paths)], headers

    return request


def count_statements(page: Page) -> None:
    """One request of the page in this process: its statements and its slowest one (and that it answers)."""
    path, headers = requester(page)(0, 0)
    meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Cookie"}
    client = Client(raise_request_exception=False)
    if "Cookie" in headers:
        name, _, value = headers["Cookie"].partition("=")
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **meta)
    if not 200 <= response.status_code < 300:
        print(f"! {page.name}: {path} answered {response.status_code}")
    page.statements = len(queries)
    timed = [(float(q["time"]) * 1000, q["sql"]) for q in queries.captured_queries]
    page.slowest = max(timed, default=(0.0, ""))


# --- the report ----------------------------------------------------------------------------------------


def clients(n: int) -> str:
    return f"{n} client{'s' if n > 1 else ''}"


def print_table(pages: list[Page]) -> None:
    head = "".join(
        f" | {clients(n) + ':':11} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'err':>4}" for n in CONCURRENCY
    )
    print(f"\n{'page':{NAME}} {'SQL':>4} {'slowest':>8}{head}")
    for page in pages:
        line = f"{page.name:{NAME}} {page.statements:4} {page.slowest[0]:6.1f}ms"
        for n in CONCURRENCY:
            cell = page.cells[n]
            line += (
                f" | {'':11} {cell.per_second:6.1f} {cell.ms(0.5):7.1f} {cell.ms(0.99):7.1f} {cell.errors:4}"
            )
        print(line)
    for page in pages:
        for n in CONCURRENCY:
            if page.cells[n].errors:
                print(f"! {page.name}, {clients(n)}: non-2xx {dict(page.cells[n].statuses)} (0: no answer)")


def print_goals(pages: list[Page], tracking_ms: float) -> None:
    floor = next(p for p in pages if p.group == "floor").cells
    print(
        f"\nGoals (#11); the floor, {FLOOR}: p50 {floor[1].ms(0.5):.1f} ms with 1 client, "
        f"{floor[MANY].per_second:.0f} req/s with {MANY}"
    )
    for page in (p for p in pages if p.group == "public"):
        one, many = page.cells[1], page.cells[MANY]
        speed = floor[1].ms(0.5) / one.ms(0.5) if one.ms(0.5) else 0.0
        throughput = many.per_second / floor[MANY].per_second if floor[MANY].per_second else 0.0
        print(
            f"  {page.name} ÷ floor: {speed:.0%} (p50 with 1 client), {throughput:.0%} (req/s with {MANY}): "
            f"{goal(min(speed, throughput) >= FLOOR_SHARE)} (≥ {FLOOR_SHARE:.0%}); p99 with {MANY} "
            f"{many.ms(0.99):.0f} ms: {goal(many.ms(0.99) < PUBLIC_P99_MS)} (< {PUBLIC_P99_MS} ms)"
        )
    print(
        f"  tracking's own lookup (dossier_for_tracking in process, no HTTP): {tracking_ms:.2f} ms (median)"
    )
    officer = [p for p in pages if p.group == "officer"]
    worst50 = max(officer, key=lambda p: p.cells[1].ms(0.5))
    worst99 = max(officer, key=lambda p: p.cells[MANY].ms(0.99))
    p50, p99 = worst50.cells[1].ms(0.5), worst99.cells[MANY].ms(0.99)
    print(
        f"  officer work lists and search ({len(officer)} pages): worst p50 with 1 client {p50:.1f} ms "
        f"({worst50.name}): {goal(p50 < OFFICER_P50_MS)} (< {OFFICER_P50_MS} ms); worst p99 with {MANY} "
        f"{p99:.0f} ms ({worst99.name}): {goal(p99 < OFFICER_P99_MS)} (< {OFFICER_P99_MS} ms)"
    )


def short_sql(sql: str) -> str:
    """The statement on one line, without its column list, long lists of ids counted instead of shown."""
    sql = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", " ".join(sql.split()))
    return re.sub(r"IN \(((?:\d+, ){8,}\d+)\)", lambda m: f"IN (… {m.group(1).count(',') + 1} ids)", sql)


def print_slow_statements(pages: list[Page], threshold_ms: float, most: int = 10) -> None:
    slow = sorted((p for p in pages if p.slowest[0] >= threshold_ms), key=lambda p: -p.slowest[0])
    if slow:
        print(
            f"\nSlowest statement of the pages where one took ≥ {threshold_ms:.0f} ms (1 request in process):"
        )
    for page in slow[:most]:
        print(f"  {page.name}: {page.slowest[0]:.0f} ms  {short_sql(page.slowest[1])[:500]}")
    if len(slow) > most:
        print(f"  … and {len(slow) - most} more pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generate", type=int, default=0, help="synthetic dossiers to make first (fresh DB)")
    parser.add_argument("--seconds", type=float, default=5, help="per page and concurrency")
    parser.add_argument("--at-least", type=int, default=5, help="requests of the single client, at least")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow-ms", type=float, default=20, help="list statements slower than this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/pages.py measures production shape: set DATABASE_URL to PostgreSQL")
    started = time.perf_counter()
    rng = random.Random(args.seed)
    prepare(args.generate)
    pages = pages_to_load(rng)
    tracking_ms = time_tracking_selector(tracking_pairs(rng))
    for page in pages:
        count_statements(page)
    total = Dossier.objects.count()
    print(
        f"Pages over HTTP: gunicorn motcua.wsgi, {args.workers} sync workers, DEBUG=0, PostgreSQL, "
        f"{total:,} dossiers; {args.seconds:g} s per page and concurrency ({os.cpu_count()} cpus, "
        "client threads on the same machine)"
    )
    print(
        "MOTCUA_OFFICER_OTP=0 (sessions and API token made directly); HTTPS and client addresses as behind "
        "nginx (trusted proxy 127.0.0.1); every tracking request from its own address"
    )
    env = dict(os.environ)
    with gunicorn(workers=args.workers, env=env, ready="/can-bo/dang-nhap/", headers=BASE_HEADERS) as port:
        for page in pages:
            request = requester(page)
            load(port, request, clients=args.workers, seconds=0)  # warm each worker on this page
            page.cells[1] = load(port, request, clients=1, seconds=args.seconds, at_least=args.at_least)
            page.cells[MANY] = load(port, request, clients=MANY, seconds=args.seconds)
    print_table(pages)
    print_goals(pages, tracking_ms)
    print_slow_statements(pages, args.slow_ms)
    print(f"\npages.py took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

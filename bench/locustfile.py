"""The load scenario of `make bench` (#12): officers, citizens and display boards on the production shape.

Run by bench/load.py (locust headless, as a subprocess: locust patches the standard library with gevent, so it
never runs inside a Django process). load.py writes the fixtures (demo accounts, dossier codes with their
applicant's ID number, procedure and unit codes) to the JSON file named by MOTCUA_LOAD_FIXTURES; the outcomes
counted here (acts done, conflicts, dossiers received, board events) go to MOTCUA_LOAD_OUTCOMES at exit.

- Officer: logs in through the login form once (MOTCUA_OFFICER_OTP=0 on the shape: password only), opens
  work lists and dossiers, now and then acts on a dossier through the act's own form on the dossier page
  (a conflict, another officer having acted first, redirects with a message: normal, counted, not an error);
  counter officers also receive new paper dossiers at the counter, which feed the others' work lists.
- Citizen: tracks a real dossier by code and ID number, browses and searches the catalogue, opens a
  procedure, takes a number at a kiosk. Every citizen has a loopback address of their own (127.1.x.y) that
  nginx passes on in X-Forwarded-For, so tracking's per-address limit (20 in 10 minutes) is counted as for
  real citizens; after TRACKING_PER_CITIZEN lookups the next citizen takes the seat, with a new address and
  new cookies, so the limit is never reached.
- Board: the display board page, then its event stream held (the server ends it after ~30 s, or the board
  closes it after BOARD_HOLD_SECONDS) and reconnected after the stream's retry delay; MOTCUA_LOAD_BOARDS of
  them (default 4: four screens once took the site down, #12 fault 5).
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from locust import HttpUser, between, constant, events, task
from requests.adapters import HTTPAdapter
from requests.exceptions import ChunkedEncodingError, RequestException

if not os.environ.get("MOTCUA_LOAD_FIXTURES"):
    raise SystemExit("bench/locustfile.py is run by bench/load.py, which writes its fixtures")
FIXTURES = json.loads(Path(os.environ["MOTCUA_LOAD_FIXTURES"]).read_text(encoding="utf-8"))
OUTCOMES: Counter = Counter()  # what happened besides the requests; written to MOTCUA_LOAD_OUTCOMES at exit
SPAWNED: Counter = Counter()  # users by class

TRACKING_PER_CITIZEN = 5  # well under the limit of 20 an address in 10 minutes
BOARD_HOLD_SECONDS = 45.0
BOARD_READ_TIMEOUT = 60.0  # seconds without a byte on a board's stream: the board gives up on it
# Acts that move a dossier on and need no more input than an optional note; the others (refusals,
# supplements, rescheduling, payments) want a reason or figures a person types, and stop the flow.
FORWARD_ACTS = {
    "accept",
    "start-processing",
    "assign-step",
    "complete-step",
    "approve",
    "issue-result",
    "return-result",
    "complete-supplement",
    "fulfil-financial-obligation",
}
CONFLICT = "Hồ sơ vừa được người khác cập nhật"
DOSSIER_LINK = re.compile(r'href="/can-bo/ho-so/([^/"]+)/"')
MESSAGE = re.compile(r'<li class="(error|success|info|warning)">([^<]*)</li>')
ALERT = re.compile(r'(?:class="errorlist[^"]*"|role="alert")[^>]*>\s*(?:<li>)?([^<]+)')
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Hữu", "Ngọc", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Mai", "Nam", "Sơn", "Tâm"]

# (code, applicant's ID number) of dossiers citizens may track; the counter officers add what they receive.
trackable: list[tuple[str, str]] = [tuple(pair) for pair in FIXTURES["tracking"]]
_officers = itertools.cycle(FIXTURES["officers"])  # counter officers first: every run has them
_office_addresses = itertools.count(10)  # officers and boards: 127.0.0.10 and up
_citizen_addresses = itertools.count()
_boards = itertools.cycle(FIXTURES["boards"])


def office_address() -> str:
    return f"127.0.0.{next(_office_addresses) % 240 + 10}"


def citizen_address() -> str:
    """A loopback address no other citizen of this run had: 127.1.0.1, 127.1.0.2, ... (65,000 of them)."""
    n = next(_citizen_addresses)
    block, host = divmod(n, 254)
    return f"127.{1 + block // 256 % 254}.{block % 256}.{host + 1}"


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one local address: the user's own client address, as nginx will see it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def bind(user: HttpUser, address: str) -> None:
    for prefix in ("http://", "https://"):
        old = user.client.adapters.get(prefix)
        user.client.mount(prefix, SourceAddressAdapter(address))
        if old is not None:
            old.close()
    user.client.cookies.clear()


# --- forms, as a browser would send them ------------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # what the form sends untouched (hidden, checked)
    texts: list[str] = field(default_factory=list)  # textareas
    options: dict[str, list[str]] = field(default_factory=dict)  # select name → its option values
    checkboxes: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "form":
            self._form = Form(action=a.get("action") or "")
            self.forms.append(self._form)
        elif self._form is None or not (name or tag == "option"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "checkbox":
                self._form.checkboxes.append((name, a.get("value") or "on"))
            elif kind == "radio":
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.fields[name] = a.get("value") or ""
        elif tag == "textarea":
            self._form.texts.append(name)
        elif tag == "select":
            self._select = name
            self._form.options[name] = []
        elif tag == "option" and self._select and a.get("value"):
            self._form.options[self._select].append(a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def page_error(html: str) -> str:
    """The first error a refused form shows, for the failure message."""
    found = ALERT.search(html) or MESSAGE.search(html)
    return found.group(found.lastindex or 1).strip()[:200] if found else "no message on the page"


def stale(html: str, form: Form) -> bool:
    """Whether a refused act's page shows the dossier changed since the form was read: the act no longer
    offered, or the other act forms carrying a newer version than the one posted."""
    acts = [f for f in forms_of(html) if "/xu-ly/" in f.action]
    offered = any(f.action == form.action for f in acts)
    versions = {f.fields.get("version") for f in acts} - {None}
    return not offered or bool(versions - {form.fields.get("version")})


# --- the users ---------------------------------------------------------------------------------------------


class Officer(HttpUser):
    weight = 1
    wait_time = between(1, 4)  # reading a page before the next click

    def on_start(self) -> None:
        SPAWNED["officer"] += 1
        account = next(_officers)
        self.username, self.is_counter = account["username"], account["counter"]
        self.receivable = FIXTURES["receivable"].get(self.username, [])
        self.seen: list[str] = []  # dossier codes of the lists this officer opened
        bind(self, office_address())
        self.login()

    def login(self) -> None:
        page = self.client.get("/can-bo/dang-nhap/", name="officer: login form")
        token = next(
            (f.fields["csrfmiddlewaretoken"] for f in forms_of(page.text) if "password" in f.fields), ""
        )
        data = {"csrfmiddlewaretoken": token, "username": self.username, "password": FIXTURES["password"]}
        headers = {"Referer": page.url}
        with self.client.post(
            "/can-bo/dang-nhap/",
            data=data,
            headers=headers,
            allow_redirects=False,
            name="officer: login",
            catch_response=True,
        ) as answer:
            target = answer.headers.get("Location", "")
            if answer.status_code != 302:
                answer.failure(f"login of {self.username}: {answer.status_code} {page_error(answer.text)}")
            elif "xac-thuc-hai-buoc" in target:
                answer.failure("the officers' second factor is on: run the shape with MOTCUA_OFFICER_OTP=0")
            elif "dang-nhap" in target:
                answer.failure(f"login of {self.username} refused")
        self.work_list("xu-ly")

    def work_list(self, name: str, **query: str) -> list[str]:
        """The dossier codes the list shows (remembered for the next clicks when there are any)."""
        label = "officer: search" if query else "officer: work list"
        page = self.client.get(f"/can-bo/?{urlencode({'list': name, **query})}", name=label)
        codes = DOSSIER_LINK.findall(page.text)
        if codes:
            self.seen = codes
        return codes

    @task(6)
    def open_work_list(self) -> None:
        names = FIXTURES["work_lists"]
        self.work_list(random.choice(["xu-ly", "xu-ly", *names]))

    @task(1)
    def search(self) -> None:
        if self.seen:
            self.work_list("xu-ly", q=random.choice(self.seen))
        else:
            self.work_list("xu-ly", q=random.choice(FAMILY))

    @task(5)
    def open_dossier(self) -> None:
        if self.seen:
            self.client.get(f"/can-bo/ho-so/{random.choice(self.seen)}/", name="officer: dossier page")

    @task(3)
    def act(self) -> None:
        """A dossier of the officer's own lists, opened and moved on by one of the forms it offers."""
        lists = ["tiep-nhan", "da-tiep-nhan", "tra-ket-qua"] if self.is_counter else ["xu-ly"]
        codes = self.work_list(random.choice(lists))
        if not codes:
            return
        code = random.choice(codes)
        page = self.client.get(f"/can-bo/ho-so/{code}/", name="officer: dossier page")
        acts = [f for f in forms_of(page.text) if f.action.rstrip("/").rsplit("/", 1)[-1] in FORWARD_ACTS]
        if not acts:
            return
        form = random.choice(acts)
        data = dict(form.fields)
        for text in form.texts:
            data[text] = "Đồng ý."
        for select, values in form.options.items():
            if values:
                data[select] = random.choice(values)
        with self.client.post(
            form.action,
            data=data,
            headers={"Referer": page.url},
            allow_redirects=False,
            name="officer: act",
            catch_response=True,
        ) as answer:
            if answer.status_code == 409:  # the API's answer to a stale version; the page redirects
                OUTCOMES["act conflicts"] += 1
                answer.success()
                return
            if answer.status_code == 400 and stale(answer.text, form):
                # Someone acted in between and the stale input (an assignee of the step as it was) failed
                # the form's validation before the service could answer with its conflict message.
                OUTCOMES["act conflicts answered 400"] += 1
                answer.success()
                return
            if answer.status_code != 302:
                answer.failure(
                    f"{answer.status_code} {form.action.split('/')[-2]}: {page_error(answer.text)}"
                )
                return
        after = self.client.get(answer.headers["Location"], name="officer: dossier page")
        said = {kind for kind, _ in MESSAGE.findall(after.text)}
        if CONFLICT in after.text:
            OUTCOMES["act conflicts"] += 1
        elif "success" in said:
            OUTCOMES["acts done"] += 1

    @task(2)
    def receive(self) -> None:
        """A paper dossier received at the counter: every component ticked, a new applicant."""
        if not self.is_counter or not self.receivable:
            return
        procedure = random.choice(self.receivable)
        page = self.client.get(f"/can-bo/tiep-nhan/{procedure}/", name="officer: reception form")
        form = next((f for f in forms_of(page.text) if "applicant_name" in f.fields), None)
        if form is None:
            return
        id_number = f"040{random.randrange(10**9):09d}"
        name = f"{random.choice(FAMILY)} {random.choice(MIDDLE)} {random.choice(GIVEN)}"
        data = {
            **form.fields,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": f"09{random.randrange(10**8):08d}",
            "action": "receive",
        }
        parts = [(k, (None, v)) for k, v in data.items()] + [(k, (None, v)) for k, v in form.checkboxes]
        with self.client.post(
            f"/can-bo/tiep-nhan/{procedure}/",
            files=parts,  # multipart/form-data, as the page's form sends it
            headers={"Referer": page.url},
            allow_redirects=False,
            name="officer: receive",
            catch_response=True,
        ) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code != 302 or "/ho-so/" not in location:
                answer.failure(f"{answer.status_code} {procedure}: {page_error(answer.text)}")
                return
        code = location.rstrip("/").rsplit("/", 1)[-1]
        trackable.append((code, id_number))
        OUTCOMES["dossiers received"] += 1
        self.client.get(location, name="officer: dossier page")


class Citizen(HttpUser):
    weight = 2
    wait_time = between(1, 5)

    def on_start(self) -> None:
        SPAWNED["citizen"] += 1
        self.arrive()

    def arrive(self) -> None:
        """The next citizen at this seat: their own address, no cookies."""
        bind(self, citizen_address())
        self.tracked = 0
        OUTCOMES["citizens"] += 1

    @task(4)
    def track(self) -> None:
        if self.tracked >= TRACKING_PER_CITIZEN:
            self.arrive()
        self.tracked += 1
        code, id_number = random.choice(trackable)
        query = urlencode({"ma": code, "xac_thuc": id_number})
        with self.client.get(f"/tra-cuu/?{query}", name="citizen: tracking", catch_response=True) as answer:
            if answer.status_code == 200 and code not in answer.text:
                answer.failure("the tracking page does not show the dossier")

    @task(2)
    def catalogue(self) -> None:
        self.client.get("/dich-vu-cong/", name="citizen: catalogue")

    @task(1)
    def home(self) -> None:
        self.client.get("/", name="citizen: home")

    @task(2)
    def search(self) -> None:
        query = urlencode({"q": random.choice(FIXTURES["searches"])})
        self.client.get(f"/dich-vu-cong/?{query}", name="citizen: catalogue search")

    @task(2)
    def procedure(self) -> None:
        self.client.get(f"/thu-tuc/{random.choice(FIXTURES['procedures'])}/", name="citizen: procedure page")

    @task(1)
    def take_number(self) -> None:
        unit = random.choice(FIXTURES["boards"])
        page = self.client.get(f"/xep-hang/{unit}/lay-so/", name="citizen: kiosk")
        token = next((f.fields.get("csrfmiddlewaretoken", "") for f in forms_of(page.text)), "")
        data = {"csrfmiddlewaretoken": token, "field": ""}
        with self.client.post(
            f"/xep-hang/{unit}/lay-so/",
            data=data,
            headers={"Referer": page.url},
            allow_redirects=False,
            name="citizen: take a number",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{answer.status_code}: {page_error(answer.text)}")
                return
        OUTCOMES["numbers taken"] += 1
        self.client.get(answer.headers["Location"], name="citizen: ticket")


class Board(HttpUser):
    fixed_count = int(os.environ.get("MOTCUA_LOAD_BOARDS", "4"))
    wait_time = constant(2)  # the stream's retry: 2000 ms

    def on_start(self) -> None:
        SPAWNED["board"] += 1
        self.unit = next(_boards)
        bind(self, office_address())
        self.client.get(f"/xep-hang/{self.unit}/bang/", name="board: page")

    @task
    def hold_stream(self) -> None:
        """One stream: the time to its first event is the board's latency; then events until it ends."""
        began = time.perf_counter()
        first_seen, ended = False, False
        try:
            stream = self.client.get(
                f"/xep-hang/{self.unit}/su-kien/",
                name="board: event stream",
                stream=True,
                timeout=(10, BOARD_READ_TIMEOUT),
            )
            if stream.status_code != 200:
                return  # counted as a failure of the stream request itself
            OUTCOMES["board streams"] += 1
            try:
                # chunk_size=None: each chunk as it arrives (an event is a chunk), not 512 bytes at a time
                for line in stream.iter_lines(chunk_size=None):
                    if line.startswith(b"data:"):
                        OUTCOMES["board events"] += 1
                        if not first_seen:
                            first_seen = True
                            self.record("board: first event", began)
                    elif line.startswith(b": end of stream"):
                        ended = True
                        OUTCOMES["board streams ended by the server"] += 1
                    if ended or time.perf_counter() - began > BOARD_HOLD_SECONDS:
                        break
            finally:
                stream.close()
        except ChunkedEncodingError as error:  # cut off before its end
            self.record("board: first event" if not first_seen else "board: stream cut off", began, error)
            return
        except RequestException as error:  # silent for BOARD_READ_TIMEOUT
            if not first_seen:
                self.record("board: first event", began, error)
            return
        if not first_seen:
            self.record("board: first event", began, RuntimeError("the stream ended without an event"))

    def record(self, name: str, began: float, failure: Exception | None = None) -> None:
        self.environment.events.request.fire(
            request_type="SSE",
            name=name,
            response_time=(time.perf_counter() - began) * 1000,
            response_length=0,
            exception=failure,
            context={},
        )


@events.quitting.add_listener
def write_outcomes(environment, **kwargs) -> None:
    path = os.environ.get("MOTCUA_LOAD_OUTCOMES")
    if path:
        Path(path).write_text(json.dumps({**OUTCOMES, "users": SPAWNED}), encoding="utf-8")

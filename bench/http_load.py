"""A small HTTP load client and the server it loads: stdlib only (threads, keep-alive `http.client`).

`load()` runs N clients at once against a port, each sending its requests one after the other for a fixed
time, and returns the latencies, the throughput and the non-2xx answers. `gunicorn()` starts the project
under gunicorn on a free loopback port for the time of a `with` block.
"""

import http.client
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from timing import percentile

# (client index, request number) → (path, headers) of that request
Request = Callable[[int, int], tuple[str, dict[str, str]]]
TIMEOUT = 600  # seconds: a slow page is measured, not cut off


@dataclass
class Cell:
    """One page at one concurrency: what the clients saw."""

    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds
    statuses: Counter = field(default_factory=Counter)  # non-2xx answers by status (0: no answer)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def ms(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) * 1000


def load(port: int, request: Request, *, clients: int, seconds: float, at_least: int = 1) -> Cell:
    """`clients` threads at once, each with its own keep-alive connection, sending requests until
    `seconds` have passed and it has sent `at_least` of them."""
    cell = Cell(clients)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        latencies: list[float] = []
        statuses: Counter = Counter()
        start.wait()
        end_by = time.perf_counter() + seconds
        while len(latencies) < at_least or time.perf_counter() < end_by:
            path, headers = request(index, len(latencies))
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()  # the next request opens a new connection
                status = 0
            latencies.append(time.perf_counter() - began)
            if not 200 <= status < 300:
                statuses[status] += 1
        connection.close()
        with lock:
            cell.latencies.extend(latencies)
            cell.statuses.update(statuses)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    cell.seconds = time.perf_counter() - began
    return cell


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


@contextmanager
def gunicorn(*, workers: int, env: dict[str, str], ready: str, headers: dict[str, str]) -> Iterator[int]:
    """gunicorn serving motcua.wsgi on a free loopback port (yielded) once `ready` answers 200."""
    port = free_port()
    binary = Path(sys.executable).parent / "gunicorn"
    command = [str(binary), "motcua.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    command += ["--timeout", str(TIMEOUT), "--log-level", "warning"]
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if get(port, ready, headers) == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(f"gunicorn did not start:\n{log.read()[-3000:]}")
                time.sleep(0.3)
            yield port
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

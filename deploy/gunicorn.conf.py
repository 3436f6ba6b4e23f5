"""gunicorn for motcua: the ASGI application on uvicorn workers, behind nginx (deploy/nginx.conf).

One file for every way of running it: scripts/production-shape, deploy/systemd/motcua-web.service and
compose.yaml all start `gunicorn -c deploy/gunicorn.conf.py`. Configured from the environment:
MOTCUA_BIND (default 127.0.0.1:8001), MOTCUA_WEB_WORKERS (default 2 x cores + 1), MOTCUA_WEB_TIMEOUT.
"""

import importlib
import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

wsgi_app = "motcua.asgi:application"
worker_class = "uvicorn_worker.UvicornWorker"
bind = os.environ.get("MOTCUA_BIND", "127.0.0.1:8001")
# Django runs the (synchronous) views of a worker one at a time in its thread, so a worker per core is not
# enough while views wait on the database; streams (the display board) wait on the event loop and do not
# count.
workers = int(os.environ.get("MOTCUA_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
# A worker whose event loop has not answered the master for this long is killed and replaced.
timeout = int(os.environ.get("MOTCUA_WEB_TIMEOUT", "60"))
# On stop or reload, requests in flight get this long; a board's stream ends within ~30 s anyway.
graceful_timeout = 30
# nginx keeps idle connections to the app for 60 s (deploy/nginx.conf, upstream keepalive_timeout): the app
# keeps them longer, so nginx never reuses a connection the app has just closed (a 502).
keepalive = 75
# uvicorn would otherwise rewrite the client's address from X-Forwarded-For by its own list (127.0.0.1 by
# default). The app has one rule for that, core.ratelimit.client_ip with MOTCUA_TRUSTED_PROXIES, used by
# the rate limits and the login lockout: uvicorn passes the peer's address and the headers through.
forwarded_allow_ips = ""
# nginx logs every request (with its X-Request-ID); the app's own logs go to stderr (JSON, core.logs).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The heartbeat file of each worker in memory: a slow or full disk does not get workers killed.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
proc_name = "motcua-web"
# gunicorn's control socket would be one path per user (~/.gunicorn/gunicorn.ctl), shared by every gunicorn
# of that user on the machine; the master is driven by signals (systemd, compose, the shape's script).
control_socket_disable = True


def on_starting(server: Any) -> None:
    """Metrics of the workers (prometheus-client, multiprocess mode) start from an empty directory: files
    left by a previous run would add its counts to this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not directory:
        directory = tempfile.mkdtemp(prefix="motcua-prometheus-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exits hands its live gauges back (motcua.core.metrics.worker_exit, once it exists)."""
    if importlib.util.find_spec("motcua.core.metrics") is None:
        return
    worker_exit = getattr(importlib.import_module("motcua.core.metrics"), "worker_exit", None)
    if worker_exit is not None:
        worker_exit(worker.pid)

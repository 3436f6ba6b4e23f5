"""Structured logs: one JSON object a line on stderr (LOG_FORMAT=json) or coloured lines (console), and the
request id that ties together every line written for one request and for the outbox messages it enqueued.

Every log record goes through the standard library (`logging.getLogger(...)`, Django's own loggers) and is
rendered by structlog's ProcessorFormatter, so there is one format whoever wrote the line.
`logging_config()` builds settings.LOGGING; `configure()` is settings.LOGGING_CONFIG (it also configures
structlog's own loggers).

The request id is the client's `X-Request-ID` when it is a sane token (a proxy such as nginx sets one), else
a new uuid4; it is returned in the response's `X-Request-ID`. `current_request_id()` reads it (the outbox
stores it with a message) and `bound_request_id(rid)` binds it again while that message is handled.

No personal data goes into a log: ids and lengths, never names, citizen ids, phones, e-mail addresses, message
texts, query strings or bodies.
"""

import logging
import logging.config
import re
import time
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from typing import Any

import structlog
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from motcua.core.middleware import AroundMiddleware

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_request_id: ContextVar[str | None] = ContextVar("motcua_request_id", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("motcua_request", default=None)

access_log = logging.getLogger("motcua.access")

EventDict = MutableMapping[str, Any]


def current_request_id() -> str | None:
    """The id of the request (or outbox message) being handled in this context, if any."""
    return _request_id.get()


@contextmanager
def bound_request_id(rid: str | None) -> Iterator[None]:
    """Bind `rid` as the current request id (None: no request id) for the duration of the block."""
    token = _request_id.set(rid)
    tokens = structlog.contextvars.bind_contextvars(request_id=rid)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
        _request_id.reset(token)


def current_request() -> HttpRequest | None:
    """The request being handled in this context (the audit log reads its user and client address)."""
    return _request.get()


def route_of(request: HttpRequest) -> str:
    """The URL pattern the request matched ("can-bo/ho-so/<str:code>/"), never the path with its ids;
    "<unmatched>" for a request that matched none (a 404, or one answered before URL resolution)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.route or match.view_name or "<unnamed>"


def request_id_from(request: HttpRequest) -> str:
    """The client's X-Request-ID when it is a sane token, else a new one."""
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> int | None:
    # Only a user already loaded by the request is named: reading request.user here would cost an anonymous
    # request a session lookup just for its log line.
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


def _log_access(request: HttpRequest, status: int, started: float) -> None:
    access_log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,  # never the query string: a tracking form's id number travels in it
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": _user_id(request),
        },
    )


class RequestIdMiddleware(AroundMiddleware):
    """First middleware: binds the request id, returns it in X-Request-ID, and logs one access line."""

    def before(self, request: HttpRequest) -> tuple[ExitStack, str, float]:
        started = time.perf_counter()
        rid = request.request_id = request_id_from(request)  # type: ignore[attr-defined]
        bound = ExitStack()
        bound.callback(_request.reset, _request.set(request))
        bound.enter_context(bound_request_id(rid))
        return bound, rid, started

    def after(
        self, request: HttpRequest, response: HttpResponse, state: tuple[ExitStack, str, float]
    ) -> None:
        _bound, rid, started = state
        response[REQUEST_ID_HEADER] = rid
        _log_access(request, response.status_code, started)

    def done(self, state: tuple[ExitStack, str, float]) -> None:
        state[0].close()


# --- Rendering ---

# Attributes every LogRecord has: what is left are the `extra=` fields of the call.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# Django's loggers pass the request (whose repr carries the query string) and the socket server's internals.
_DROPPED_EXTRAS = frozenset({"request", "server_time", "connection"})
_QUERY_STRING = re.compile(r"\?[^\s\"]*")


def add_extras(logger: Any, method_name: str, event_dict: EventDict) -> EventDict:
    """The `extra=` fields of a standard library record, except the ones that may carry personal data."""
    record = event_dict.get("_record")
    if record is not None:
        # Django writes "Forbidden: /path" and "Internal Server Error" once the middleware has returned
        # (the request id unbound): the request it passes along still carries its id.
        request_id = getattr(getattr(record, "request", None), "request_id", None)
        if isinstance(request_id, str):
            event_dict.setdefault("request_id", request_id)
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _DROPPED_EXTRAS and not key.startswith("_"):
                event_dict.setdefault(key, value)
    return event_dict


def add_request_id(logger: Any, method_name: str, event_dict: EventDict) -> EventDict:
    rid = _request_id.get()
    if rid is None:
        event_dict.pop("request_id", None)
    else:
        event_dict["request_id"] = rid
    return event_dict


def drop_query_strings(logger: Any, method_name: str, event_dict: EventDict) -> EventDict:
    """The development server logs each request line, query string included: keep the path only."""
    if event_dict.get("logger") == "django.server" and isinstance(event_dict.get("event"), str):
        event_dict["event"] = _QUERY_STRING.sub("", event_dict["event"])
    return event_dict


def _pre_chain() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        add_request_id,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        add_extras,
        drop_query_strings,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """settings.LOGGING: every record to stderr, rendered as JSON (`log_format` "json") or for a console."""
    if log_format not in {"json", "console"}:
        raise ValueError(f'LOG_FORMAT must be "json" or "console", not {log_format!r}')
    if log_format == "json":
        render: list[Any] = [
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    else:
        render = [structlog.dev.ConsoleRenderer()]
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": _pre_chain(),
                "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, *render],
            }
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "structlog"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        # Django's own handlers (mail to the admins, its console) give way to the root's.
        "loggers": {
            "django": {"handlers": [], "level": level.upper(), "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
        },
    }


def configure(config: dict[str, Any]) -> None:
    """settings.LOGGING_CONFIG: the standard library from `config`, and structlog's loggers into it."""
    logging.config.dictConfig(config)
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_pre_chain(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# --- Error reporting (Sentry), when SENTRY_DSN is set ---

_SECRET_HEADERS = frozenset({"cookie", "authorization", "x-csrftoken", "proxy-authorization"})


def scrub_sentry_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send: the request without its body, cookies, query string or credentials, and the
    user by id only (no e-mail, user name or address)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() not in _SECRET_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    return event


def init_sentry(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    import sentry_sdk  # only when a DSN is set: the SDK's integrations cost start-up time otherwise

    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_sentry_event,  # type: ignore[arg-type]
    )

"""Capture what production writes to stderr: every log record, rendered by the JSON formatter of
settings.LOGGING (core.logs), one object a line."""

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from motcua.core.logs import logging_config


class JsonLines:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines()]

    def of(self, logger: str, event: str | None = None) -> list[dict[str, Any]]:
        return [r for r in self.records if r["logger"] == logger and (event is None or r["event"] == event)]


@contextmanager
def captured_json_logs() -> Iterator[JsonLines]:
    spec = logging_config(log_format="json", level="INFO")["formatters"]["structlog"]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=spec["foreign_pre_chain"], processors=spec["processors"]
    )
    captured = JsonLines()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield captured
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

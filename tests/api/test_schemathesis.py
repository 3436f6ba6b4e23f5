"""Property-based run of the whole API against its OpenAPI schema (schemathesis), as an officer and as a
citizen: no server error, every response as the schema describes it (status, content type, body, headers).

Run on PostgreSQL only (`make test-postgres`). Time-bounded for `make test`: MOTCUA_SCHEMATHESIS_EXAMPLES
examples per operation and generation mode (default 15; about a minute for both callers). Requests go through
Django's test handler, inside the test's transaction.
"""

import os
import time

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode

from motcua.api import tokens

EXAMPLES = int(os.environ.get("MOTCUA_SCHEMATHESIS_EXAMPLES", "15"))
# Checked: no 5xx, and every response as documented (status code, content type, body, headers). Not
# checked: whether a schema-valid request is accepted or an invalid one refused, which the schema cannot
# tell (an unknown procedure code is schema-valid and rightly 400; see the report of issue #10).
ACCEPTANCE_HEURISTICS = [checks.positive_data_acceptance, checks.negative_data_rejection]


class HandlerApp:
    """Django's test-client handler as a WSGI application: requests stay in the test's transaction (the
    plain WSGIHandler would close the database connection after each one)."""

    def __init__(self) -> None:
        self.handler = ClientHandler(enforce_csrf_checks=False)

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = [
            *response.items(),
            *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]


def run_operation(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=ACCEPTANCE_HEURISTICS)

    check()


# The contract does not depend on the database engine: `make test` runs it once, on PostgreSQL.
@pytest.mark.postgres_only
@pytest.mark.parametrize("who", ["counter", "citizen"])
def test_the_api_keeps_its_schema(province, who):
    # The API refuses NUL characters anywhere (core.middleware, api.parsers): not worth generating.
    config = SchemathesisConfig.from_dict({"generation": {"allow-x00": False}})
    schema = schemathesis.openapi.from_wsgi("/api/schema/", HandlerApp(), config=config)
    started = time.monotonic()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # A fresh token each time: the run may revoke the one it holds (DELETE /auth/token).
            _token, key = tokens.issue(user=getattr(province, who))
            try:
                run_operation(operation, mode, {"Authorization": f"Token {key}"})
            except Unsatisfiable:  # nothing to make invalid (a GET whose only input is a free-text path part)
                continue
            except (Exception, BaseExceptionGroup) as error:  # every operation is tried, all failures shown
                failures.append(f"{operation.label} ({mode}): {error}")
    elapsed = time.monotonic() - started
    print(f"schemathesis as {who}: {len(operations)} operations, {elapsed:.1f} s")
    assert not failures, "\n\n".join(failures)

"""Probes for a load balancer or an orchestrator, over plain HTTP and never rate limited.

`/healthz`: the process answers (touches nothing else, so a database outage does not get every app
server restarted). `/readyz`: this process can serve: the database answers, every migration is applied,
every cache answers; 503 naming the failing checks otherwise.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK = "ok"


def database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


_migrated = False  # once every migration is applied it stays so: later probes skip reading the graph


def migrations() -> None:
    global _migrated
    if _migrated:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        raise RuntimeError(f"{len(unapplied)} migrations not applied")
    _migrated = True


def cache() -> None:
    key, value = "motcua:readyz", uuid.uuid4().hex
    for alias in settings.CACHES:
        store = caches[alias]
        store.set(key, value, 10)
        if store.get(key) != value:
            raise RuntimeError(f"cache {alias} did not keep a value")


CHECKS: dict[str, Callable[[], None]] = {"database": database, "migrations": migrations, "cache": cache}


def readiness() -> dict[str, str]:
    """Each check's outcome: "ok", "skipped" (migrations without a database) or the error's type."""
    outcomes: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and outcomes.get("database") != OK:
            outcomes[name] = "skipped"
            continue
        try:
            check()
        except Exception as exc:  # any failure means not ready; its type only (a message may hold a DSN)
            outcomes[name] = f"error: {type(exc).__name__}"
        else:
            outcomes[name] = OK
    return outcomes


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    failing = [name for name, outcome in checks.items() if outcome != OK]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
    return JsonResponse({"status": OK, "checks": checks})

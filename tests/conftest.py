from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.core.workcalendar import forget_calendar
from tests.factories import Province, build_province


def pytest_configure(config) -> None:
    from django.conf import settings

    # The real hasher costs ~0.4 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# What can behave differently on SQLite (the development database, `make run`) and PostgreSQL (production):
# `make test` runs the whole suite on PostgreSQL and, on SQLite, only these (`pytest --engine-dependent`), so
# that it stays under 6 minutes on 2 cores (issue #14 item 4). Every test database is still built by running
# the migrations, on both engines (once a run, then copied: `django_db_setup` below).
ENGINE_DEPENDENT = (
    # code with a branch per engine: SQLite's online backup, its write lock, the readiness probe
    "tests/core/test_backup.py",
    "tests/core/test_database_busy.py",
    "tests/core/test_health.py",
    # data migrations, run on data
    "tests/documents/test_file_names.py",
    "tests/quality/test_rating_model_moved.py",
    "tests/outbox/test_moved_from_interop.py",
    # text matching and keyset order in SQL (case, diacritics, LIKE, row comparisons)
    "tests/catalog/test_search.py",
    "tests/backoffice/test_search.py",
    "tests/api/test_dossier_list.py",
    # date arithmetic and aggregates in SQL: the statistics and their indicators
    "tests/quality/test_statistics.py",
    "tests/quality/test_indicator_sources.py",
    "tests/quality/test_lateness.py",  # percentiles over histograms, quantised in SQL
    "tests/quality/test_lateness_rules.py",
    # locks, unique numbers and batches claimed by concurrent workers
    "tests/dossiers/test_concurrency.py",
    "tests/queueing/test_concurrency.py",
    "tests/directives/test_concurrency.py",
    "tests/standing/test_concurrency.py",  # one year imported twice at once
    "tests/queueing/test_bookings.py",  # the last place of a slot taken by two at once
    "tests/interop/test_outbox_batches.py",
    "tests/intake/test_dvcqg_inbound.py",  # one dossier per portal code, by webhook and pull at once
    "tests/interop/axis/test_transport.py",  # a dossier's calls in order: JSON lookups on the outbox
    "tests/interop/ministries/test_judicial_record.py",  # each message applied once, under a live server
    # the demo province that `make run` loads into SQLite (its generator, counters and calendar included)
    "tests/demo/",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine-dependent",
        action="store_true",
        help="run only the tests of behaviour that can differ between database engines (ENGINE_DEPENDENT)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--engine-dependent"):
        return
    keep = [item for item in items if item.nodeid.startswith(ENGINE_DEPENDENT)]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def pytest_runtest_setup(item: pytest.Item) -> None:
    from django.db import connection

    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: `make test` runs it on its throwaway PostgreSQL")


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's, but each process's database copied from one migrated template
    (tests/support/template_db.py) rather than migrated by each worker; dropped at the end as usual."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests.support.template_db import copy_template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        for alias in aliases:
            copy_template(connections[alias])
        config = setup_databases(
            verbosity=verbosity,
            interactive=False,
            keepdb=True,  # the copy just made, migrations already applied
            aliases=aliases,
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(config, verbosity=verbosity)
        except Exception as error:  # e.g. a live server's thread still connected: a warning, as pytest-django
            request.node.warn(
                pytest.PytestWarning(f"Error when trying to teardown test databases: {error!r}")
            )


@pytest.fixture(scope="session")
def _session_pki_dir(tmp_path_factory) -> Path:
    # One certificate authority per test process: creating keys costs, and a unit's key is the same for every
    # test of the process. A test that needs its own sets MOTCUA_PKI_DIR itself.
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, _session_pki_dir) -> None:
    """No test writes into the developer's var/: uploads go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = _session_pki_dir


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory, _session_pki_dir) -> Iterator[None]:
    """One transaction around a whole module, for data that is expensive to build and that its tests only
    read: a module-scoped fixture that depends on this one builds it once; each test then runs in a savepoint
    inside this transaction (what it writes is rolled back after it, as usual) and everything is rolled back
    at the module's end. Not for modules with `transaction=True` tests."""
    from django.db import transaction
    from django.test import override_settings

    files = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("module-media"),
        MOTCUA_PKI_DIR=_session_pki_dir,
        MOTCUA_OUTBOX_DISPATCH="sync",
    )
    with django_db_blocker.unblock(), files:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            forget_calendar()


@pytest.fixture(autouse=True)
def _outbox_dispatch_inline(settings) -> None:
    settings.MOTCUA_OUTBOX_DISPATCH = "sync"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # A test's calendar exceptions are rolled back with its transaction; the cached calendar must go too.
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def _vietnamese_again():
    # A request in English activates English for the thread; the next test must start in Vietnamese.
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()  # rate-limit counters must not leak from one test into another


@pytest.fixture
def province(db) -> Province:
    return build_province()


@pytest.fixture(scope="module")
def module_province(module_db) -> Province:
    """The small province built once for a module (module_db), for modules of many tests that only read it:
    such a module overrides `province` with it. Each test's own writes are rolled back after it as usual;
    the shared model instances must not be changed in memory."""
    return build_province()

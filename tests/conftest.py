from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.core.workcalendar import forget_calendar
from tests.factories import Province, build_province


def pytest_configure(config) -> None:
    from django.conf import settings

    # The real hasher costs ~0.4 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    from django.db import connection

    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: `make test` runs it on its throwaway PostgreSQL")


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

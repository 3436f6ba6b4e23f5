from pathlib import Path

import pytest

from motcua.core.workcalendar import forget_calendar
from tests.factories import Province, build_province


def pytest_configure(config) -> None:
    from django.conf import settings

    # The real hasher costs ~0.4 s a user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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

"""Fixtures of the once-only, connector and e-result tests (see `once_only.py`)."""

import pytest

from .once_only import OnceOnly, set_up_once_only


@pytest.fixture
def isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_PKI_DIR = tmp_path / "pki"
    return tmp_path


@pytest.fixture
def once(province, isolated_files) -> OnceOnly:
    return set_up_once_only(province)

"""Fixtures of the once-only, connector and e-result tests (see `once_only.py`)."""

import pytest

from .once_only import OnceOnly, set_up_once_only


@pytest.fixture
def once(province) -> OnceOnly:
    # Files and keys are isolated by the root conftest's `_isolated_files`.
    return set_up_once_only(province)

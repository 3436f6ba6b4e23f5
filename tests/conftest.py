import pytest

from tests.factories import Province, build_province


@pytest.fixture(autouse=True)
def _outbox_dispatch_inline(settings) -> None:
    settings.MOTCUA_OUTBOX_DISPATCH = "sync"


@pytest.fixture
def province(db) -> Province:
    return build_province()

"""The production shape's smoke test talks to a running shape (scripts/production-shape, `make
test-production`) over HTTP and reads its database; without MOTCUA_URL these tests are skipped."""

import os
from collections.abc import Iterator

import psycopg
import pytest

from tests.deploy.shape import SHAPE_URL, Client


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(reason="needs a running production shape: scripts/production-shape -- pytest")
    for item in items:
        if not SHAPE_URL and str(item.path).startswith(here):
            item.add_marker(skip)


# The suite's autouse fixtures set Django settings and clear the cache of *this* process, which here would be
# the shape's Redis: nothing of the kind for black-box tests.
@pytest.fixture(autouse=True)
def _outbox_dispatch_inline() -> None:
    return None


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    return None


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def database() -> Iterator[psycopg.Connection]:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        yield connection

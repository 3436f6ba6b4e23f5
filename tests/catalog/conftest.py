import pytest

from motcua.demo.catalogue import load_demo_catalogue
from motcua.demo.org import load_org


@pytest.fixture(scope="module")
def _demo_catalogue_once(module_db) -> None:
    """The demo province's units, accounts and catalogue, loaded once for a module whose tests read them
    (what one writes is rolled back after it); without the rest of the demo (queue history, dossiers...),
    which these tests do not read. `motcua demo` itself is pinned by tests/demo/test_catalogue.py."""
    load_demo_catalogue(load_org())


@pytest.fixture
def demo(_demo_catalogue_once, db) -> None:
    return None

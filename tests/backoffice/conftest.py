import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    # Scans uploaded by the tests go to a temporary directory, not the embedded deployment's var/.
    settings.MEDIA_ROOT = tmp_path / "media"

"""Where the installation keeps its files outside the database: configuration, so every app may ask."""

from pathlib import Path

from django.conf import settings


def pki_dir() -> Path:
    """The agencies' signing keys and certificates (`MOTCUA_PKI_DIR`, or `VAR_DIR/pki`): used by
    `documents.signing`, copied by `core.backup`."""
    configured = getattr(settings, "MOTCUA_PKI_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "pki"

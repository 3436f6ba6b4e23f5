"""Configurable choices of the Decision 766 computation, read in one place and shown on the indicator page."""

from django.conf import settings


def withdrawal_ends_processing() -> bool:
    """Whether a withdrawal after reception (status 7) counts as an end of processing (Decision 766 guidance;
    setting QUALITY_WITHDRAWAL_ENDS_PROCESSING, default off)."""
    return bool(getattr(settings, "QUALITY_WITHDRAWAL_ENDS_PROCESSING", False))

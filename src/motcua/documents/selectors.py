"""Reads of the documents app for pages and the API: which slips a dossier has, and its files."""

from django.db.models import QuerySet

from motcua.core.models import User
from motcua.documents.models import ComponentFile
from motcua.documents.slips.content import latest_event
from motcua.documents.slips.reception import REFUSAL_ACTS, supplement_source
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import reschedule_of, visible_dossiers
from motcua.dossiers.states import Status

__all__ = ["available_slips", "dossier_files"]


def available_slips(dossier: Dossier) -> list[str]:
    """The kinds of `documents.slips.SLIPS` that the dossier's records can fill now, in form order."""
    kinds = []
    if dossier.received_at is not None and dossier.appointment_at is not None:
        kinds.append("tiep-nhan")
    if supplement_source(dossier) is not None:
        kinds.append("bo-sung")
    if latest_event(dossier, *REFUSAL_ACTS) is not None:
        kinds.append("tu-choi")
    if reschedule_of(dossier) is not None:
        kinds.append("xin-loi")
    if dossier.status != Status.DRAFT:
        kinds.append("kiem-soat")
    return kinds


def dossier_files(*, dossier: Dossier, acting_user: User) -> QuerySet[ComponentFile]:
    """The files attached to the dossier's components, for a user who may see the dossier (else none)."""
    files = ComponentFile.objects.filter(dossier_component__dossier=dossier).select_related(
        "dossier_component", "stored_file", "digitised_by"
    )
    if not visible_dossiers(acting_user).filter(pk=dossier.pk).exists():
        return files.none()
    return files

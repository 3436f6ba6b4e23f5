"""How the applicant's pages word a dossier's clock: the appointment, or the pause while the dossier waits for
the applicant (status 5, 6), and the timeliness from the dossier's own rule (`dossier_timeliness`)."""

from datetime import datetime

from motcua.dossiers.clock import TIMELINESS_LABELS, Timeliness
from motcua.dossiers.models import Dossier

__all__ = ["pause_text", "timeliness_label"]
from motcua.dossiers.selectors import dossier_timeliness, pause_text


def timeliness_label(dossier: Dossier, *, now: datetime | None = None) -> str:
    """ "Đang xử lý trong hạn", "Đang xử lý quá hạn", "Đúng hạn"...; "" when not judged (not accepted) and
    while paused (the pause text says it)."""
    timeliness = dossier_timeliness(dossier, as_of=now)
    if timeliness is None or timeliness == Timeliness.PAUSED:
        return ""
    return str(TIMELINESS_LABELS[timeliness])

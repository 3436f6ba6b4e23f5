"""How the applicant's pages word a dossier's clock: the appointment, or the pause while the dossier waits for
the applicant (status 5, 6), and the timeliness from the dossier's own rule (`dossier_timeliness`)."""

from datetime import datetime

from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.clock import TIMELINESS_LABELS, Timeliness
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_timeliness, paused_since
from motcua.dossiers.states import Status

PAUSE_TEXTS = {
    Status.SUPPLEMENT_REQUESTED: _("Tạm dừng tính thời hạn, chờ bổ sung từ %(date)s"),
    Status.FINANCIAL_OBLIGATION: _("Tạm dừng tính thời hạn, chờ thực hiện nghĩa vụ tài chính từ %(date)s"),
}


def pause_text(dossier: Dossier) -> str:
    """ "Tạm dừng tính thời hạn, chờ bổ sung từ dd/mm/yyyy" while the clock is stopped; "" otherwise."""
    if dossier.status not in PAUSE_TEXTS:
        return ""
    since = paused_since(dossier)
    if since is None:
        return str(TIMELINESS_LABELS[Timeliness.PAUSED])
    return PAUSE_TEXTS[Status(dossier.status)] % {"date": localtime(since).strftime("%d/%m/%Y")}


def timeliness_label(dossier: Dossier, *, now: datetime | None = None) -> str:
    """ "Đang xử lý trong hạn", "Đang xử lý quá hạn", "Đúng hạn"...; "" when not judged (not accepted) and
    while paused (the pause text says it)."""
    timeliness = dossier_timeliness(dossier, as_of=now)
    if timeliness is None or timeliness == Timeliness.PAUSED:
        return ""
    return str(TIMELINESS_LABELS[timeliness])

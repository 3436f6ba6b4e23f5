"""Downloads of a dossier's documents: its slips (PDF) and its scanned files, within the officer's scope."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from motcua.backoffice import selectors
from motcua.backoffice.views.common import officer
from motcua.core.decorators import officer_required
from motcua.core.errors import ValidationFailed
from motcua.documents import services as document_files
from motcua.documents import slips


@officer_required
def slip(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    dossier = selectors.visible_dossier(officer(request), code)
    if dossier is None or kind not in slips.SLIPS:
        raise Http404(_("Không tìm thấy phiếu."))
    try:
        pdf = slips.SLIPS[kind](dossier)
    except ValidationFailed:  # no such record for this dossier (no reception, no apology, ...)
        raise Http404(_("Hồ sơ này không có phiếu này.")) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slips.slip_filename(kind, dossier)}"'
    return response


@officer_required
def component_file(request: HttpRequest, code: str, file_id: int) -> FileResponse:
    user = officer(request)
    dossier = selectors.visible_dossier(user, code)
    attachment = selectors.component_file(dossier, user, file_id) if dossier is not None else None
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    return document_files.file_response(
        attachment.stored_file, as_attachment=False, filename=attachment.display_name
    )

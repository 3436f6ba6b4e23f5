"""Intake: a dossier comes in with its files and what the system already holds for its applicant.

The one place where the acts of `dossiers` (submit online, receive, refuse at the counter) meet the files
and the once-only reuse of `documents`, each in one transaction: the scans are stored (and so checked)
first, the components the applicant's electronic data store or the population database can give are
computed, the dossier is created, then the reused items and the files are attached. Any failure stores
nothing: no dossier, no attachment, no `StoredFile` row. A blob already written by
`documents.services.store_upload` stays on disk and is adopted by the next upload of the same bytes (that
module's docstring: "Orphans").

Used alike by the counter (backoffice), the portal and the API; none of them opens a transaction of its own.
"""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import FieldError, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.documents import selectors as documents_selectors
from motcua.documents import services as documents
from motcua.documents.models import ComponentFile, StoredFile
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Channel, Dossier
from motcua.eforms import services as eforms

# Work the caller adds to the intake's transaction once the dossier exists (a one-time form token, deleting
# the draft it came from), so that it happens with the dossier or not at all.
Then = Callable[[Dossier], object] | None
# Procedure component id → the files scanned for it.
Scans = Mapping[int, Sequence["UploadedFile[bytes]"]]


def submit_online(
    *,
    intake: dossiers.Intake,
    acting_user: User,
    uploads: Mapping[int, Sequence[int]] | None = None,
    names: Mapping[int, str] | None = None,
    then: Then = None,
    now: datetime | None = None,
    declaration: eforms.Declaration | None = None,
    reuse: bool = True,
) -> Dossier:
    """An online application (status 1) with the files already uploaded (`uploads`: procedure component id →
    stored file ids, `names`: stored file id → the name this applicant gave it); what the store holds is
    attached only for an account verified for the applicant. A `declaration` (the procedure's e-form
    answered) is checked first and stored with the dossier, its PDF as the declaration component's file.
    `reuse=False`: nothing is taken from the e-data store (a connected system acting for an applicant whose
    identity it did not verify, `intake.inbound`)."""
    uploads = uploads or {}
    answers = None
    if declaration is not None:
        answers = eforms.checked(
            declaration, procedure=intake.procedure, today=localdate(now or timezone.now())
        )
    with transaction.atomic():
        dossier = dossiers.submit_online(intake=intake, acting_user=acting_user, now=now)
        if declaration is not None and answers is not None:
            eforms.store_declaration(
                dossier=dossier, declaration=declaration, answers=answers, acting_user=acting_user
            )
        if reuse:
            documents.attach_reusable(dossier=dossier, acting_user=acting_user)
        stored = StoredFile.objects.in_bulk([pk for ids in uploads.values() for pk in ids])
        _attach(
            dossier,
            {
                component_id: [stored[pk] for pk in ids if pk in stored]
                for component_id, ids in uploads.items()
            },
            acting_user,
            kind=ComponentFile.Kind.UPLOAD,
            names=names,
        )
        if then is not None:
            then(dossier)
    return dossier


def receive_at_counter(
    *,
    intake: dossiers.Intake,
    channel: str,
    acting_user: User,
    scans: Scans | None = None,
    then: Then = None,
    now: datetime | None = None,
) -> Dossier:
    """A paper dossier received complete at the counter or by post, with its scans (`scans`: procedure
    component id → files); a component the system already holds for the applicant is not asked for."""
    return _at_counter(
        intake=intake, channel=channel, acting_user=acting_user, scans=scans, then=then, now=now, reason=None
    )


def refuse_at_counter(
    *,
    intake: dossiers.Intake,
    channel: str,
    acting_user: User,
    reason: str,
    scans: Scans | None = None,
    then: Then = None,
    now: datetime | None = None,
) -> Dossier:
    """A paper dossier the counter refuses (form 03), recorded with the scans made of it."""
    return _at_counter(
        intake=intake,
        channel=channel,
        acting_user=acting_user,
        scans=scans,
        then=then,
        now=now,
        reason=reason,
    )


def receive_from_api(
    *, intake: dossiers.Intake, channel: str, acting_user: User, now: datetime | None = None
) -> Dossier:
    """A dossier a connected system sends: online (status 1), or received at its counter or by post."""
    if channel == Channel.ONLINE:
        return submit_online(intake=intake, acting_user=acting_user, now=now)
    return receive_at_counter(intake=intake, channel=channel, acting_user=acting_user, now=now)


def _at_counter(
    *,
    intake: dossiers.Intake,
    channel: str,
    acting_user: User,
    scans: Scans | None,
    then: Then,
    now: datetime | None,
    reason: str | None,
) -> Dossier:
    scans = {component_id: files for component_id, files in (scans or {}).items() if files}
    names = _require_ticked(intake, scans)
    with transaction.atomic():
        stored = {
            component_id: _store(names[component_id], files, acting_user)
            for component_id, files in scans.items()
        }
        if reason is None:
            dossier = dossiers.receive(
                intake=intake,
                channel=channel,
                acting_user=acting_user,
                reusable=documents_selectors.reusable_component_ids(
                    procedure=intake.procedure,
                    applicant_kind=intake.applicant.kind,
                    id_number=intake.applicant.id_number,
                    acting_user=acting_user,
                ),
                now=now,
            )
        else:
            dossier = dossiers.refuse_at_counter(
                intake=intake, channel=channel, acting_user=acting_user, reason=reason, now=now
            )
        documents.attach_reusable(dossier=dossier, acting_user=acting_user)
        _attach(dossier, stored, acting_user, kind=ComponentFile.Kind.SCAN)
        if then is not None:
            then(dossier)
    return dossier


def _require_ticked(intake: dossiers.Intake, scans: Scans) -> dict[int, str]:
    """The names of the scanned components, each marked as given: the officer scans what the applicant
    brought."""
    names = {c.pk: c.name for c in intake.procedure.components.all()}
    unknown = sorted(component_id for component_id in scans if component_id not in names)
    if unknown:
        raise ValidationFailed(
            interpolate(_("Thành phần hồ sơ không thuộc thủ tục này: %(ids)s"), {"ids": unknown}),
            fields={"components": FieldError("unknown")},
        )
    ticked = {provided.component_id for provided in intake.components}
    unticked = [names[component_id] for component_id in scans if component_id not in ticked]
    if unticked:
        raise ValidationFailed(
            interpolate(
                _("Có tệp quét cho giấy tờ chưa đánh dấu “đã nộp”: %(items)s"), {"items": "; ".join(unticked)}
            ),
            code="scan_not_ticked",
        )
    return {component_id: names[component_id] for component_id in scans}


def _store(component: str, files: Sequence["UploadedFile[bytes]"], acting_user: User) -> list[StoredFile]:
    """Store (and so check) each scan of the component named `component`."""
    stored = []
    for uploaded in files:
        try:
            stored.append(documents.store_upload(uploaded=uploaded, acting_user=acting_user))
        except ValidationFailed as error:
            raise ValidationFailed(
                interpolate(
                    _("Tệp “%(file)s” của “%(component)s” không được nhận: %(error)s"),
                    {"file": uploaded.name, "component": component, "error": error.message},
                ),
                code=error.code,
            ) from error
    return stored


def _attach(
    dossier: Dossier,
    files: Mapping[int, list[StoredFile]],
    acting_user: User,
    *,
    kind: str,
    names: Mapping[int, str] | None = None,
) -> None:
    by_component = {
        c.procedure_component_id: c for c in dossier.components.filter(procedure_component_id__in=files)
    }
    for component_id, stored in files.items():
        if component_id in by_component:
            documents.attach_files(
                component=by_component[component_id],
                files=stored,
                acting_user=acting_user,
                kind=kind,
                names=names,
            )

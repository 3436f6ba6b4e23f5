"""The portal's writes: drafts of online applications, their submission, supplements answered online,
ratings. Acts on dossiers go through `dossiers.services`; files through `documents.services`.
"""

from collections.abc import Iterable
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.errors import FieldError, NotFound, PermissionDenied, ValidationFailed, invalid_fields
from motcua.core.i18n import interpolate
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.documents.models import StoredFile
from motcua.documents.services import attach_files, store_upload
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.intake import services as intake_services
from motcua.portal import declaration, selectors
from motcua.portal.accounts import applicant_defaults
from motcua.portal.models import Draft
from motcua.portal.submission import file_names, files_of
from motcua.quality.models import Rating

ONLINE_LEVELS = ("full", "partial")
MAX_FILES_PER_COMPONENT = 10


def _require_citizen(user: User) -> None:
    if not user.is_authenticated or user.role != Role.CITIZEN:
        raise PermissionDenied(_("Chỉ tài khoản công dân, doanh nghiệp được nộp hồ sơ trực tuyến."))


def draft_for(*, user: User, procedure: Procedure, create: bool = True) -> Draft:
    """The user's draft for the procedure. When there is none, a new one pre-filled from the account:
    saved when `create` (a page was answered), otherwise not saved (`pk` None: a page only shown, so that
    opening or going Back to a page never leaves an empty draft behind)."""
    _require_citizen(user)
    if procedure.online_level not in ONLINE_LEVELS:
        raise ValidationFailed(
            _("Thủ tục này chưa cung cấp dịch vụ nộp hồ sơ trực tuyến."), code="not_online"
        )
    defaults = {"data": {"prefill": applicant_defaults(user)}}
    if not create:
        existing = Draft.objects.filter(user=user, procedure=procedure).first()
        return existing or Draft(user=user, procedure=procedure, **defaults)
    draft, _created = Draft.objects.get_or_create(user=user, procedure=procedure, defaults=defaults)
    return draft


def delete_draft(*, draft_id: int, acting_user: User) -> None:
    """The owner deletes a draft (never a submitted dossier: those are `Dossier`s, not drafts); its uploads
    go with it unless another draft or a dossier (or the applicant's data store) holds the same content."""
    _require_citizen(acting_user)
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(pk=draft_id, user=acting_user).first()
        if draft is None:
            raise NotFound(_("Không tìm thấy hồ sơ nháp."))
        file_ids = {pk for ids in (draft.data.get("files") or {}).values() for pk in ids}
        draft.delete()
        _discard_unused_files(file_ids)


def _discard_unused_files(file_ids: Iterable[int]) -> None:
    """Delete the stored files no draft lists and nothing else references (dossier attachments, data store
    items and results protect their rows); the bytes go after commit."""
    in_drafts: set[int] = set()
    for data in Draft.objects.values_list("data", flat=True).iterator():
        for ids in ((data or {}).get("files") or {}).values():
            in_drafts.update(ids)
    for stored in StoredFile.objects.filter(pk__in=set(file_ids) - in_drafts):
        name, storage = stored.file.name, stored.file.storage
        try:
            with transaction.atomic():
                stored.delete()
        except ProtectedError:
            continue  # a dossier (or the data store) holds this content
        if name:
            transaction.on_commit(partial(storage.delete, name))


def save_applicant(*, draft: Draft, applicant: dict[str, str]) -> Draft:
    draft.data["applicant"] = applicant
    draft.save(update_fields=["data", "updated_at"])
    return draft


def save_receiving_unit(*, draft: Draft, unit: OrgUnit) -> Draft:
    draft.data["receiving_unit"] = unit.pk
    draft.save(update_fields=["data", "updated_at"])
    return draft


def add_component_files(
    *, draft: Draft, component: ProcedureComponent, uploads: list["UploadedFile[bytes]"], acting_user: User
) -> Draft:
    """Check and store the uploads of one component; one refused file refuses them all (nothing saved)."""
    if component.procedure_id != draft.procedure_id:
        raise ValidationFailed(_("Giấy tờ không thuộc thủ tục này."), code="bad_component")
    current = files_of(draft, component)
    if len(current) + len(uploads) > MAX_FILES_PER_COMPONENT:
        raise ValidationFailed(
            interpolate(_("Mỗi giấy tờ tối đa %(n)s tệp."), {"n": MAX_FILES_PER_COMPONENT}), code="too_many"
        )
    with transaction.atomic():
        stored = [store_upload(uploaded=upload, acting_user=acting_user) for upload in uploads]
        ids = current + [f.pk for f in stored if f.pk not in current]
        draft.data.setdefault("files", {})[str(component.pk)] = ids
        names = draft.data.setdefault("names", {})
        names.update({str(f.pk): f.upload_name for f in stored if getattr(f, "upload_name", "")})
        _mark_seen(draft, component)
        draft.save(update_fields=["data", "updated_at"])
    return draft


def add_other_papers(
    *,
    draft: Draft,
    uploads: dict[ProcedureComponent, list["UploadedFile[bytes]"]],
    acting_user: User,
) -> Draft:
    """The papers needed only in some cases, asked on one page (#16): each component's uploads stored, all
    marked seen; one refused file refuses them all (nothing saved)."""
    with transaction.atomic():
        for component, files in uploads.items():
            if files:
                add_component_files(draft=draft, component=component, uploads=files, acting_user=acting_user)
        for component in uploads:
            _mark_seen(draft, component)
        draft.save(update_fields=["data", "updated_at"])
    return draft


def remove_component_file(*, draft: Draft, component: ProcedureComponent, file_id: int) -> Draft:
    ids = [pk for pk in files_of(draft, component) if pk != file_id]
    draft.data.setdefault("files", {})[str(component.pk)] = ids
    draft.save(update_fields=["data", "updated_at"])
    return draft


def skip_component(*, draft: Draft, component: ProcedureComponent) -> Draft:
    if component.is_mandatory and not files_of(draft, component):
        raise ValidationFailed(
            interpolate(_("Vui lòng tải lên “%(name)s” (giấy tờ bắt buộc)."), {"name": component.name}),
            code="component_required",
            fields={"file": FieldError("required")},
        )
    _mark_seen(draft, component)
    draft.save(update_fields=["data", "updated_at"])
    return draft


def _mark_seen(draft: Draft, component: ProcedureComponent) -> None:
    seen = set(draft.data.get("seen", []))
    seen.add(str(component.pk))
    draft.data["seen"] = sorted(seen)


def mark_fees_seen(*, draft: Draft) -> Draft:
    draft.data["fees_seen"] = True
    draft.save(update_fields=["data", "updated_at"])
    return draft


def submit_draft(*, draft: Draft, acting_user: User) -> Dossier:
    """Submit the application (status 1 at the chosen receiving unit) with its uploads; the draft goes."""
    _require_citizen(acting_user)
    if draft.user_id != acting_user.pk:
        raise PermissionDenied(_("Đây không phải hồ sơ nháp của bạn."))
    procedure, data = draft.procedure, draft.data
    found = declaration.form_of(procedure)
    form = found[0] if found else None
    # Only what is asked online: not the declaration's components, not those shown in person, not what
    # the system holds for a verified applicant (#16).
    asked = declaration.components_to_upload(procedure, form, draft=draft, user=acting_user)
    missing = [c.name for c in asked if c.is_mandatory and not files_of(draft, c)]
    unanswered = [s.title for s in declaration.unanswered_sections(draft)]
    applicant = data.get("applicant")
    unit = OrgUnit.objects.filter(pk=data.get("receiving_unit")).first()
    if missing or unanswered or not applicant or unit is None:
        fields = {}
        if unanswered:
            fields["declaration"] = str(
                interpolate(_("Tờ khai còn phần chưa khai: %(items)s"), {"items": "; ".join(unanswered)})
            )
        if missing:
            fields["components"] = str(
                interpolate(_("Còn thiếu giấy tờ bắt buộc: %(items)s"), {"items": "; ".join(missing)})
            )
        if not applicant:
            fields["applicant"] = str(_("Chưa nhập thông tin người nộp."))
        if unit is None:
            fields["receiving_unit"] = str(_("Chưa chọn nơi tiếp nhận hồ sơ."))
        raise ValidationFailed(
            _("Hồ sơ chưa đủ thông tin để nộp."), code="incomplete", fields=invalid_fields(fields, "required")
        )
    with_files = {int(component_id): ids for component_id, ids in data.get("files", {}).items() if ids}
    intake = dossier_services.Intake(
        procedure=procedure,
        applicant=dossier_services.Applicant(
            kind=applicant["kind"],
            name=applicant["name"],
            id_number=applicant["id_number"],
            phone=applicant.get("phone", ""),
            email=applicant.get("email", ""),
            address=applicant.get("address", ""),
            user=acting_user,
        ),
        receiving_unit=unit,
        components=[
            dossier_services.ProvidedComponent(component_id)
            for component_id in {*with_files, *([form.component_id] if form and form.component_id else [])}
        ],
        summary=applicant.get("summary", ""),
    )
    return intake_services.submit_online(
        intake=intake,
        acting_user=acting_user,
        uploads=with_files,
        names=file_names(draft),
        then=lambda _dossier: draft.delete(),
        declaration=declaration.declaration_of(draft, form) if form is not None else None,
    )


def answer_supplement(
    *,
    dossier: Dossier,
    acting_user: User,
    answers: list[tuple[dossier_services.SupplementItem, list["UploadedFile[bytes]"], str]],
) -> Dossier:
    """The applicant answers every requested item at once: each item's files are attached to its own
    component and the clock restarts from zero (`dossiers.services.complete_supplement`), all in one
    transaction. An item without a file refuses the whole answer before anything is stored."""
    requested = dossier_services.open_supplement_items(dossier)
    given = {item: (uploads, note) for item, uploads, note in answers if uploads}
    missing = [item.name for item in requested if item not in given]
    if missing or not requested:
        raise ValidationFailed(
            interpolate(
                _("Vui lòng chọn tệp cho từng giấy tờ được yêu cầu bổ sung; còn thiếu: %(items)s."),
                {"items": "; ".join(missing)},
            )
            if missing
            else _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."),
            code="file_required",
        )
    with transaction.atomic():
        supplied = []
        for item in requested:
            uploads, note = given[item]
            stored = [store_upload(uploaded=upload, acting_user=acting_user) for upload in uploads]
            component = dossier_services.supplement_component(dossier=dossier, item=item)
            attach_files(component=component, files=stored, acting_user=acting_user, kind="upload")
            supplied.append(dossier_services.SuppliedItem(item, component, len(stored), note.strip()))
        note = "\n".join(f"{a.item.name}: {a.note}" for a in supplied if a.note)
        return dossier_services.complete_supplement(
            dossier=dossier, acting_user=acting_user, note=note, supplied=supplied
        )


def rate(
    *,
    dossier: Dossier,
    satisfied: bool,
    attitude: int | None,
    timeliness: int | None,
    guidance: int | None,
    comment: str,
    acting_user: User | None,
) -> Rating:
    """The applicant's one rating of the dossier's settlement (Decision 766 indicator 6)."""
    if not selectors.can_be_rated(dossier):
        raise ValidationFailed(_("Chỉ đánh giá được hồ sơ đã có kết quả giải quyết."), code="not_finished")
    for score in (attitude, timeliness, guidance):
        if score is not None and not 1 <= score <= 5:
            raise ValidationFailed(_("Điểm đánh giá từ 1 đến 5."), code="bad_score")
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                satisfied=satisfied,
                attitude=attitude,
                timeliness=timeliness,
                guidance=guidance,
                comment=comment.strip()[:2000],
                rated_by=acting_user if acting_user and acting_user.is_authenticated else None,
                unit_path=dossier.receiving_unit.path,
            )
    except IntegrityError:
        raise ValidationFailed(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."), code="already_rated"
        ) from None

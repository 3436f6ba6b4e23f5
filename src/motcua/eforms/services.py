"""The writes of the declaration forms: a new version of a procedure's form, and a dossier's declaration
(answers + PDF) stored with the dossier, in the intake's transaction."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.core.text import fold
from motcua.documents import services as documents
from motcua.documents.models import ComponentFile
from motcua.dossiers.models import Dossier
from motcua.eforms import pdf
from motcua.eforms.models import DeclarationForm, DossierDeclaration
from motcua.eforms.schema import Field, FormSchema, parse
from motcua.eforms.validation import Answers, display_value, validate_answers

SEARCH_TEXT_LENGTH = 1000
SUMMARY_LENGTH = 300
EDITOR_ROLES = frozenset({Role.CENTER_ADMIN})


def new_form_version(
    *,
    procedure: Procedure,
    schema: dict[str, Any],
    legal_form: str,
    acting_user: User | None,
    component: ProcedureComponent | None = None,
    replaces: list[ProcedureComponent] | None = None,
) -> DeclarationForm:
    """Make `schema` the procedure version's active form, as a new version; the previous versions stay
    (dossiers point at the one they answered). `acting_user` None: the system (demo, data loads)."""
    if acting_user is not None and acting_user.role not in EDITOR_ROLES:
        raise PermissionDenied(_("Chỉ quản trị Trung tâm được sửa tờ khai điện tử."))
    parse(schema)  # ValidationFailed naming each wrong place
    if not legal_form.strip():
        raise ValidationFailed(_("Vui lòng ghi mẫu tờ khai theo văn bản nào."), code="legal_form_required")
    for c in [component, *(replaces or [])]:
        if c is not None and c.procedure_id != procedure.pk:
            raise ValidationFailed(_("Thành phần hồ sơ không thuộc thủ tục này."), code="bad_component")
    with transaction.atomic():
        Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
        last = DeclarationForm.objects.filter(procedure=procedure).aggregate(v=Max("version"))["v"] or 0
        DeclarationForm.objects.filter(procedure=procedure, is_active=True).update(is_active=False)
        form = DeclarationForm.objects.create(
            procedure=procedure,
            version=last + 1,
            schema=schema,
            legal_form=legal_form.strip(),
            component=component,
            is_active=True,
            created_by=acting_user,
        )
        if replaces:
            form.replaces.set(replaces)
    return form


@dataclass(frozen=True)
class Declaration:
    """The declaration an online applicant filled in: the form version, the answers as typed or pre-filled,
    and the paths of the answers the state pre-filled."""

    form: DeclarationForm
    answers: dict[str, Any]
    prefilled: list[str] = field(default_factory=list)


def checked(declaration: Declaration, *, procedure: Procedure, today: date) -> Answers:
    """The answers cleaned against the form, or ValidationFailed naming each wrong field (nothing stored)."""
    if declaration.form.procedure_id != procedure.pk:
        raise ValidationFailed(_("Tờ khai không thuộc thủ tục này."), code="bad_form")
    if not declaration.form.is_active:
        raise ValidationFailed(
            _("Mẫu tờ khai đã được cập nhật; vui lòng khai lại theo mẫu mới."), code="form_changed"
        )
    return validate_answers(parse(declaration.form.schema), declaration.answers, today=today)


def _shown(schema: FormSchema, answers: Answers, marked: Callable[[Field], bool]) -> list[str]:
    """The answers of the fields `marked` picks, as shown to people, leaving out the empty ones."""
    values = (
        display_value(f, answers.get(path.split(".")[0], {}).get(f.key))
        for path, f in schema.all_fields()
        if marked(f)
    )
    return [v for v in values if v]


def search_text(schema: FormSchema, answers: Answers) -> str:
    """The main answers (fields marked searchable), folded for searches without diacritics."""
    return fold(" ".join(_shown(schema, answers, lambda f: f.searchable)))[:SEARCH_TEXT_LENGTH]


def summary(schema: FormSchema, answers: Answers) -> str:
    """The answers marked `summary` as written (the child's name for a birth), for the work lists."""
    return " · ".join(_shown(schema, answers, lambda f: f.summary))[:SUMMARY_LENGTH]


def store_declaration(
    *, dossier: Dossier, declaration: Declaration, answers: Answers, acting_user: User
) -> DossierDeclaration:
    """Store the checked answers with the dossier and attach their PDF as the declaration component's file.
    Called inside the intake's transaction (`intake.services.submit_online`)."""
    form = declaration.form
    schema = parse(form.schema)
    stored = DossierDeclaration.objects.create(
        dossier=dossier,
        form=form,
        answers=answers,
        prefilled=sorted(declaration.prefilled),
        search_text=search_text(schema, answers),
        summary=summary(schema, answers),
    )
    component = (
        dossier.components.filter(procedure_component_id=form.component_id).first()
        if form.component_id
        else None
    )
    if component is not None:
        content = pdf.render_declaration(dossier=dossier, form=form, schema=schema, answers=answers)
        name = f"to-khai-{dossier.code}.pdf"
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        file = documents.store_upload(uploaded=upload, acting_user=acting_user)
        documents.attach_files(
            component=component,
            files=[file],
            acting_user=acting_user,
            kind=ComponentFile.Kind.UPLOAD,
            names={file.pk: name},
        )
    return stored

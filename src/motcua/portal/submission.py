"""The online application's pages, one thing per page, in order, for one procedure."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.models import User
from motcua.documents.models import StoredFile
from motcua.eforms.schema import Section
from motcua.portal import declaration
from motcua.portal.models import Draft

APPLICANT, UNIT, FEES, REVIEW = "nguoi-nop", "noi-nop", "le-phi", "xem-lai"
COMPONENT_PREFIX = "giay-to-"
OTHER_PAPERS = "giay-to-khac"  # the papers needed only in some cases, on one page (#16)
DECLARATION_PREFIX = "to-khai-"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    component: ProcedureComponent | None = None
    section: Section | None = None  # a page of the declaration (#16)
    components: tuple[ProcedureComponent, ...] = ()  # the papers needed only in some cases (#16)


def steps_for(procedure: Procedure, *, draft: Draft | None = None, user: User | None = None) -> list[Step]:
    """The pages, in order: the applicant, the receiving unit, the declaration's shown sections when the
    procedure version has an e-form, the components still to upload (`declaration.components_to_upload`:
    not the declaration's, not those shown in person, not what the system holds for a verified
    applicant), the fees, the review."""
    steps = [Step(APPLICANT, str(_("Thông tin người nộp"))), Step(UNIT, str(_("Nơi tiếp nhận hồ sơ")))]
    found = declaration.form_of(procedure)
    form = found[0] if found else None
    if found is not None:
        for section in declaration.shown_sections(draft, *found):
            steps.append(Step(f"{DECLARATION_PREFIX}{section.key}", section.title, section=section))
    user = user or (draft.user if draft is not None else None)
    uploads = declaration.components_to_upload(procedure, form, draft=draft, user=user)
    # Two or more papers needed only in some cases ("nếu có", "trường hợp…") are asked on one page.
    optional = tuple(c for c in uploads if not c.is_mandatory)
    grouped = len(optional) >= 2
    for component in uploads:
        if not (grouped and not component.is_mandatory):
            steps.append(Step(f"{COMPONENT_PREFIX}{component.position}", component.name, component))
    if grouped:
        steps.append(
            Step(OTHER_PAPERS, str(_("Giấy tờ chỉ cần trong một số trường hợp")), components=optional)
        )
    steps += [Step(FEES, str(_("Phí, lệ phí"))), Step(REVIEW, str(_("Xem lại và nộp hồ sơ")))]
    return steps


def is_done(step: Step, draft: Draft) -> bool:
    data = draft.data
    if step.slug == APPLICANT:
        return bool(data.get("applicant"))
    if step.slug == UNIT:
        return bool(data.get("receiving_unit"))
    if step.components:
        seen = set(data.get("seen", []))
        return all(str(c.pk) in seen or files_of(draft, c) for c in step.components)
    if step.section is not None:
        return step.section.key in ((data.get("declaration") or {}).get("answers") or {})
    if step.component is not None:
        return str(step.component.pk) in data.get("seen", []) or bool(files_of(draft, step.component))
    if step.slug == FEES:
        return bool(data.get("fees_seen"))
    return False


def first_open_step(steps: list[Step], draft: Draft) -> Step:
    return next((step for step in steps if not is_done(step, draft)), steps[-1])


def files_of(draft: Draft, component: ProcedureComponent) -> list[int]:
    return list(draft.data.get("files", {}).get(str(component.pk), []))


def file_names(draft: Draft) -> dict[int, str]:
    """The name the applicant gave each file they uploaded to this draft (stored file id → name): the same
    bytes uploaded by someone else carry that person's name on the shared blob, never shown here."""
    return {int(pk): name for pk, name in (draft.data.get("names") or {}).items()}


@dataclass(frozen=True)
class DraftFile:
    stored: StoredFile
    name: str


def draft_files(draft: Draft, component: ProcedureComponent) -> list[DraftFile]:
    """The component's files as this applicant named them (a neutral name for one they did not name)."""
    names = file_names(draft)
    stored = StoredFile.objects.in_bulk(files_of(draft, component))
    return [
        DraftFile(stored[pk], names.get(pk) or f"tep-{pk}")
        for pk in files_of(draft, component)
        if pk in stored
    ]

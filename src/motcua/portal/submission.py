"""The online application's pages, one thing per page, in order, for one procedure."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.documents.models import StoredFile
from motcua.portal.models import Draft

APPLICANT, UNIT, FEES, REVIEW = "nguoi-nop", "noi-nop", "le-phi", "xem-lai"
COMPONENT_PREFIX = "giay-to-"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    component: ProcedureComponent | None = None


def steps_for(procedure: Procedure) -> list[Step]:
    steps = [Step(APPLICANT, str(_("Thông tin người nộp"))), Step(UNIT, str(_("Nơi tiếp nhận hồ sơ")))]
    for component in procedure.components.order_by("position"):
        steps.append(Step(f"{COMPONENT_PREFIX}{component.position}", component.name, component))
    steps += [Step(FEES, str(_("Phí, lệ phí"))), Step(REVIEW, str(_("Xem lại và nộp hồ sơ")))]
    return steps


def is_done(step: Step, draft: Draft) -> bool:
    data = draft.data
    if step.slug == APPLICANT:
        return bool(data.get("applicant"))
    if step.slug == UNIT:
        return bool(data.get("receiving_unit"))
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

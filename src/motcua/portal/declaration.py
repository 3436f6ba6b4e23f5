"""The declaration asked as pages of the online submission (issue #16): when the procedure version has an
active e-form, each shown section is a page, pre-filled from what the state holds for a verified identity;
the answers are kept in the draft (`draft.data["declaration"]`) until the submission stores them with the
dossier (`intake.services.submit_online`), checked again as a whole.

What the applicant is not asked online: the components the form stands for (its PDF is the declaration),
components shown in person, and, for a verified applicant, what the e-data store or the national
databases already hold (attached at intake, `documents.datastore`).
"""

from typing import Any

from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core import identity
from motcua.core.models import User
from motcua.documents import selectors as documents
from motcua.eforms import selectors as eforms
from motcua.eforms.models import DeclarationForm
from motcua.eforms.prefill import section_prefill
from motcua.eforms.schema import FormSchema, Section
from motcua.eforms.services import Declaration
from motcua.eforms.validation import validate_section, visible_sections
from motcua.portal.models import Draft


def form_of(procedure: Procedure) -> tuple[DeclarationForm, FormSchema] | None:
    form = eforms.active_form(procedure)
    return (form, eforms.schema_of(form)) if form is not None else None


def _stored(draft: Draft, form: DeclarationForm) -> dict[str, Any]:
    """The draft's declaration; answers of another (older) form version are not kept."""
    stored = draft.data.get("declaration") or {}
    if stored.get("form") != form.pk:
        return {"form": form.pk, "answers": {}, "prefilled": []}
    return dict(stored)


def answers_of(draft: Draft, form: DeclarationForm) -> dict[str, Any]:
    return dict(_stored(draft, form)["answers"])


def shown_sections(draft: Draft | None, form: DeclarationForm, schema: FormSchema) -> list[Section]:
    return visible_sections(schema, answers_of(draft, form) if draft is not None else {})


def _applicant_id(draft: Draft | None, user: User) -> str:
    applicant = (draft.data.get("applicant") if draft is not None else None) or {}
    return str(applicant.get("id_number") or identity.verified_citizen_id(user))


def components_to_upload(
    procedure: Procedure, form: DeclarationForm | None, *, draft: Draft | None, user: User | None
) -> list[ProcedureComponent]:
    """The components asked as uploads: not the declaration's, not those shown in person, not those the
    system holds for a verified applicant."""
    asked = eforms.components_asked_online(procedure, form)
    if user is None or not user.is_authenticated:
        return asked
    id_number = _applicant_id(draft, user)
    held: set[int] = set()
    if id_number:
        held = documents.reusable_component_ids(
            procedure=procedure, applicant_kind="citizen", id_number=id_number, acting_user=user
        )
    return [c for c in asked if c.pk not in held]


def section_initial(
    *, draft: Draft, form: DeclarationForm, schema: FormSchema, section: Section
) -> dict[str, Any]:
    """The section's answers so far, else what the state gives (verified identity only)."""
    answers = answers_of(draft, form)
    if section.key in answers:
        return dict(answers[section.key])
    return section_prefill(
        schema=schema, section=section, user=draft.user, answers=answers, today=timezone.localdate()
    )


def save_section(
    *, draft: Draft, form: DeclarationForm, schema: FormSchema, section: Section, raw: dict[str, Any]
) -> Draft:
    """Check one page's answers (ValidationFailed naming each wrong field, nothing saved) and keep them in
    the draft, noting which answers are the state's pre-filled ones left as given."""
    stored = _stored(draft, form)
    answers = dict(stored["answers"])
    today = timezone.localdate()
    values = validate_section(schema, section.key, raw, answers=answers, today=today)
    given = section_prefill(schema=schema, section=section, user=draft.user, answers=answers, today=today)
    prefilled = {p for p in stored["prefilled"] if not p.startswith(f"{section.key}.")}
    prefilled |= {f"{section.key}.{key}" for key, value in given.items() if _same(values.get(key), value)}
    answers[section.key] = values
    draft.data["declaration"] = {"form": form.pk, "answers": answers, "prefilled": sorted(prefilled)}
    draft.save(update_fields=["data", "updated_at"])
    return draft


def _same(answer: object, given: object) -> bool:
    if isinstance(given, dict) and isinstance(answer, dict):
        return all(answer.get(k) == v for k, v in given.items())
    return bool(answer == given)


def declaration_of(draft: Draft, form: DeclarationForm) -> Declaration:
    stored = _stored(draft, form)
    return Declaration(form=form, answers=stored["answers"], prefilled=list(stored["prefilled"]))


def unanswered_sections(draft: Draft) -> list[Section]:
    """The shown sections of the procedure's active form the draft has not answered yet."""
    found = form_of(draft.procedure)
    if found is None:
        return []
    answers = answers_of(draft, found[0])
    return [s for s in shown_sections(draft, *found) if s.key not in answers]


def shown(draft: Draft) -> eforms.ShownDeclaration | None:
    """The draft's answers as the applicant reviews them before submitting."""
    found = form_of(draft.procedure)
    if found is None:
        return None
    form, schema = found
    stored = _stored(draft, form)
    return eforms.shown_of(form, schema, stored["answers"], prefilled=len(stored["prefilled"]))

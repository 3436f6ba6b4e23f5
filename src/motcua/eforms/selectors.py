"""Reads of the declaration forms: the form asked for a procedure version, what a citizen is asked online,
a dossier's answers as people read them."""

from dataclasses import dataclass

from django.db.models import Q

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.text import fold
from motcua.dossiers.models import Dossier
from motcua.eforms.models import DeclarationForm, DossierDeclaration
from motcua.eforms.schema import Field, FormSchema, parse
from motcua.eforms.validation import display_value

# Components never asked online: they are shown in person (Form.PRESENT; the original brought for
# comparison is shown, not sent).
NOT_ASKED_ONLINE = (ProcedureComponent.Form.PRESENT,)


def active_form(procedure: Procedure) -> DeclarationForm | None:
    """The declaration form asked online for this procedure version, if it has one."""
    return DeclarationForm.objects.filter(procedure=procedure, is_active=True).first()


def schema_of(form: DeclarationForm) -> FormSchema:
    return parse(form.schema)


def declaration_of(dossier: Dossier) -> DossierDeclaration | None:
    return DossierDeclaration.objects.filter(dossier=dossier).select_related("form").first()


def components_asked_online(procedure: Procedure, form: DeclarationForm | None) -> list[ProcedureComponent]:
    """The components an online applicant is asked to upload: not those shown in person, nor, when the
    procedure has a declaration form, the components the form stands for (its PDF is the declaration)."""
    skipped: set[int] = set()
    if form is not None:
        skipped = {pk for pk in form.replaces.values_list("pk", flat=True)}
        if form.component_id:
            skipped.add(form.component_id)
    return [
        c
        for c in procedure.components.order_by("position")
        if c.form not in NOT_ASKED_ONLINE and c.pk not in skipped
    ]


def not_asked_online(procedure: Procedure, form: DeclarationForm | None) -> set[int]:
    """Ids of the procedure's components an online applicant is not asked to upload."""
    asked = {c.pk for c in components_asked_online(procedure, form)}
    return set(procedure.components.exclude(pk__in=asked).values_list("pk", flat=True))


def matching_search(words: list[str]) -> Q:
    """Dossiers whose declaration's main answers (the child's name…) hold every folded word."""
    return Q.create([("declaration__search_text__contains", fold(w)) for w in words], connector=Q.AND)


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    rows: tuple[tuple["Line", ...], ...] = ()  # a repeating group: one tuple of lines per item


@dataclass(frozen=True)
class ShownSection:
    title: str
    lines: tuple[Line, ...]


def _line(field: Field, value: object) -> Line:
    if field.type == "group":
        rows = tuple(
            tuple(_line(child, (item or {}).get(child.key)) for child in field.fields)
            for item in (value if isinstance(value, list) else [])
        )
        return Line(field.label, "", rows)
    return Line(field.label, display_value(field, value))


def shown_answers(schema: FormSchema, answers: dict[str, dict[str, object]]) -> list[ShownSection]:
    """The answered sections, in the form's order, each answered field with its label and its value as
    people read it (dd/mm/yyyy, the choice's label, the address in full)."""
    shown = []
    for section in schema.sections:
        values = answers.get(section.key)
        if values is None:
            continue
        lines = tuple(_line(f, values.get(f.key)) for f in section.fields if f.key in values)
        shown.append(ShownSection(section.title, lines))
    return shown


@dataclass(frozen=True)
class ShownDeclaration:
    legal_form: str
    version: int
    title: str
    sections: list[ShownSection]
    prefilled: int


def shown_declaration(dossier: Dossier) -> ShownDeclaration | None:
    """The dossier's declaration as officers read it (the caller has checked that the user sees the
    dossier); None for a dossier without one."""
    declaration = declaration_of(dossier)
    if declaration is None:
        return None
    form = declaration.form
    return shown_of(form, schema_of(form), declaration.answers, prefilled=len(declaration.prefilled))


def shown_of(
    form: DeclarationForm, schema: FormSchema, answers: dict[str, dict[str, object]], *, prefilled: int
) -> ShownDeclaration:
    return ShownDeclaration(
        legal_form=form.legal_form,
        version=form.version,
        title=schema.title,
        sections=shown_answers(schema, answers),
        prefilled=prefilled,
    )

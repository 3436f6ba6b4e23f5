"""What a citizen fills online for the five demo procedures with an e-form, before and after #16: pages,
uploads asked, questions to answer and how many of them the state pre-fills (the demo citizen "congdan",
Nguyễn Văn An, verified with the population database). Printed for the closing note, pinned by hand."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.models import User
from motcua.demo.catalogue import load_demo_catalogue
from motcua.demo.org import load_org
from motcua.eforms.prefill import section_prefill
from motcua.portal import declaration
from motcua.portal.models import Draft
from motcua.portal.submission import steps_for

# The birth is declared by the verified father (so his section is pre-filled), the father known.
TYPICAL = {"1.001193": {"declarant": {"relation": "father", "father_known": "yes"}}}


@dataclass(frozen=True)
class Journey:
    pages: int
    uploads: int
    questions: int
    prefilled: int


@pytest.fixture(scope="module")
def demo(module_db):
    load_demo_catalogue(load_org())  # the accounts, the catalogue, its e-forms, the population register


def before(procedure: Procedure) -> Journey:
    """Before #16: applicant, unit, one upload page per component (the e-form an optional upload), fees,
    review. Uploads: the papers asked to upload."""
    n = procedure.components.count()
    return Journey(pages=4 + n, uploads=n, questions=0, prefilled=0)


def after(procedure: Procedure, user: User) -> Journey:
    found = declaration.form_of(procedure)
    assert found is not None
    form, schema = found
    answers = TYPICAL.get(procedure.code, {})
    draft = Draft(user=user, procedure=procedure, data={"declaration": {"form": form.pk, "answers": answers}})
    steps = steps_for(procedure, draft=draft, user=user)
    sections = [s.section for s in steps if s.section is not None]
    prefilled = sum(
        len(section_prefill(schema=schema, section=s, user=user, answers=answers, today=timezone.localdate()))
        for s in sections
    )
    return Journey(
        pages=len(steps),
        uploads=sum(1 if s.component is not None else len(s.components) for s in steps),
        questions=sum(len(s.fields) for s in sections),
        prefilled=prefilled,
    )


EXPECTED = {
    # code: (before, after), counted by hand from the catalogue and the forms in motcua.demo.declarations:
    # birth: 8 components; after, the paper form (1) and the e-form (2) are the declaration, the ID card (7)
    # and the residence papers (8) are shown in person: 4 uploads (birth certificate + 3 "in some cases"),
    # 4 sections (father known), 23 questions, 6 pre-filled (declarant's name and number, the father's
    # name, date of birth, number and address).
    # The 3 "in some cases" papers share one page: 10 pages.
    "1.001193": (Journey(12, 8, 0, 0), Journey(10, 4, 23, 6)),
    # CT01: 3 components, the form is the declaration: 2 uploads; 2 sections; name, birth date, sex, number
    # from the population database and the phone from the account: 5 pre-filled.
    # Both papers left are "in some cases" ones: one page.
    "1.004194": (Journey(7, 3, 0, 0), Journey(7, 2, 10, 5)),
    # marital status: 6 components, 2 declaration, 2 shown in person: 2 uploads ("in some cases", one
    # page); 5 of 7 pre-filled.
    "1.004873": (Journey(10, 6, 0, 0), Journey(7, 2, 7, 5)),
    # household business: 4 components, 1 declaration: 3 uploads, all "in some cases" (one page); the
    # owner's name, number and address pre-filled.
    "1.001612": (Journey(8, 4, 0, 0), Journey(7, 3, 8, 3)),
    # judicial record: 4 components, 1 declaration, the ID card copy given by the population database for
    # the verified citizen (documents.datastore): 2 uploads ("in some cases", one page); 5 of 9 pre-filled.
    "3.000333": (Journey(8, 4, 0, 0), Journey(7, 2, 9, 5)),
}


def test_pages_and_questions_before_and_after(demo, db):
    user = User.objects.get(username="congdan")
    assert user.identity_verified_at is not None
    found = {}
    print()
    print(f"{'thủ tục':10} {'trang':>12} {'tải lên':>10} {'câu hỏi (điền sẵn)':>22}")
    for code in EXPECTED:
        procedure = Procedure.objects.get(code=code, version=1)
        was, now = before(procedure), after(procedure, user)
        found[code] = (was, now)
        print(
            f"{code:10} {was.pages:>5} → {now.pages:<4} {was.uploads:>4} → {now.uploads:<3} "
            f"{now.questions:>10} ({now.prefilled})"
        )
    assert found == EXPECTED

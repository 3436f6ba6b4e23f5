"""An online submission with a declaration: the answers and their PDF stored with the dossier in one
transaction; wrong answers refused at their fields with nothing stored."""

import pytest

from motcua.core.errors import ValidationFailed
from motcua.documents.models import ComponentFile, StoredFile
from motcua.dossiers.models import Dossier
from motcua.eforms import selectors
from motcua.eforms.models import DossierDeclaration
from motcua.eforms.services import Declaration, new_form_version
from motcua.intake import services as intake
from tests.dossiers.helpers import at
from tests.eforms.helpers import answers, birth_form
from tests.support.pdfs import pdf_text


def submit(p, form, data):
    application = p.intake()  # the mandatory component, "Tờ khai", given
    return intake.submit_online(
        intake=application,
        acting_user=p.citizen,
        declaration=Declaration(form=form, answers=data, prefilled=["father.full_name"]),
        now=at(0),
    )


def test_the_answers_and_their_pdf_are_stored_with_the_dossier(province):
    form = birth_form(province.birth)
    dossier = submit(province, form, answers())
    declaration = DossierDeclaration.objects.get(dossier=dossier)
    assert declaration.form == form
    assert declaration.answers["child"] == {
        "full_name": "Nguyễn Minh Khôi",
        "sex": "male",
        "birth_date": "2026-03-01",
        "birth_place": "Bệnh viện Sản Nhi Nghệ An",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "home_town": "Nghệ An",
    }
    assert declaration.prefilled == ["father.full_name"]
    # the searchable answers, folded: the child's, the mother's and the father's names
    assert declaration.search_text == "nguyen minh khoi tran thi binh nguyen van an"
    component = dossier.components.get(procedure_component=form.component)
    assert component.provided
    (link,) = component.files.all()
    assert link.kind == ComponentFile.Kind.UPLOAD
    assert link.file_name == f"to-khai-{dossier.code}.pdf"
    text = pdf_text(link.stored_file.file.read())
    for printed in (
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "Nguyễn Minh Khôi",
        "01/03/2026",
        "Trần Thị Bình",
        "Thông tư 04/2024",
        "Kính gửi: UBND Phường Thành Vinh",
    ):
        assert printed in text, printed


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"child__birth_date": "01/03/2099"}, "child.birth_date"),
        ({"mother__id_number": "0401900043"}, "mother.id_number"),
        ({"father__birth_date": ""}, "father.birth_date"),  # required in the section shown
    ],
)
def test_wrong_answers_store_nothing(province, change, field):
    form = birth_form(province.birth)
    before = (Dossier.objects.count(), DossierDeclaration.objects.count(), StoredFile.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        submit(province, form, answers(**change))
    assert list(refused.value.fields) == [field]
    assert (Dossier.objects.count(), DossierDeclaration.objects.count(), StoredFile.objects.count()) == before


def test_a_new_form_version_keeps_the_old_one_for_the_dossiers_that_answered_it(province):
    first = birth_form(province.birth)
    dossier = submit(province, first, answers())
    second = new_form_version(
        procedure=province.birth, schema=first.schema, legal_form=first.legal_form, acting_user=None
    )
    first.refresh_from_db()
    assert (first.version, first.is_active, second.version, second.is_active) == (1, False, 2, True)
    assert selectors.active_form(province.birth) == second
    assert selectors.declaration_of(dossier).form == first
    # a draft still on the old version is asked to answer the new one
    with pytest.raises(ValidationFailed) as refused:
        submit(province, first, answers())
    assert refused.value.code == "form_changed"


def test_only_the_center_administrator_edits_a_form(province):
    from motcua.core.errors import PermissionDenied

    form = birth_form(province.birth)
    with pytest.raises(PermissionDenied):
        new_form_version(
            procedure=province.birth, schema=form.schema, legal_form="x", acting_user=province.counter
        )
    assert (
        new_form_version(
            procedure=province.birth, schema=form.schema, legal_form="x", acting_user=province.admin
        ).version
        == 2
    )

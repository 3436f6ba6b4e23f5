"""A decision that amends a procedure keeps its declaration form on the new version (catalog.publication's
version_created), so the online service does not silently fall back to uploads after an amendment."""

from datetime import date

from motcua.catalog import publication
from motcua.eforms.models import DeclarationForm
from tests.eforms.helpers import birth_form


def test_an_amended_procedure_keeps_its_declaration_form(province):
    form = birth_form(province.birth)
    paper = province.birth.components.get(position=2)
    form.replaces.set([paper])
    decision = publication.record_decision(
        number="14/QĐ-UBND",
        signed_on=date(2027, 3, 1),
        signer="Chủ tịch UBND tỉnh",
        effective_on=date(2027, 3, 15),
        acting_user=None,
    )
    v2 = publication.amend(
        procedure=province.birth,
        changes={"name": "Đăng ký khai sinh"},
        decision=decision,
        today=date(2027, 3, 1),
    )
    carried = DeclarationForm.objects.get(procedure=v2, is_active=True)
    assert (carried.version, carried.schema, carried.legal_form) == (1, form.schema, form.legal_form)
    assert carried.component == v2.components.get(position=1)  # the new version's own "Tờ khai"
    assert list(carried.replaces.all()) == [v2.components.get(position=2)]
    form.refresh_from_db()
    assert form.procedure_id == province.birth.pk and form.is_active  # version 1 keeps its own form

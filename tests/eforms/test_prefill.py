"""Pre-fill only for a verified identity: what the state holds, never what was merely typed."""

from datetime import date

from motcua.demo.declarations import BIRTH
from motcua.documents.models import ReferenceBusiness, ReferencePerson
from motcua.eforms.prefill import section_prefill
from motcua.eforms.schema import parse
from tests.eforms.helpers import register_father

TODAY = date(2026, 3, 10)
BIRTH_FORM = parse(BIRTH)


def people() -> None:
    register_father()
    ReferencePerson.objects.create(
        citizen_id="040090009999",
        full_name="Hồ Thị Mai",
        birth_date=date(1995, 1, 1),
        gender="Nữ",
        permanent_address="Xã Hưng Nguyên, tỉnh Nghệ An",
    )


def prefill(user, section: str, answers: dict) -> dict:
    return section_prefill(
        schema=BIRTH_FORM, section=BIRTH_FORM.section(section), user=user, answers=answers, today=TODAY
    )


def test_the_verified_father_finds_his_details_in_the_fathers_section(province):
    people()
    answers = {"declarant": {"relation": "father", "father_known": "yes"}}
    assert prefill(province.citizen, "father", answers) == {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-05-12",
        "id_number": "040090001234",
        "residence": {
            "detail": "Số 3 Lê Mao, Phường Thành Vinh, tỉnh Nghệ An",
            "commune": "001.00.50.H40",  # the commune named in the address, from core's units
        },
    }
    # the condition: the declarant is the father, so the mother's section is left for him to type
    assert prefill(province.citizen, "mother", answers) == {}


def test_a_declared_number_prefills_nothing(province):
    people()  # the population database holds the number citizen2 typed at registration
    answers = {"declarant": {"relation": "mother", "father_known": "no"}}
    assert province.other_citizen.identity_verified_at is None
    assert prefill(province.other_citizen, "declarant", {}) == {}
    assert prefill(province.other_citizen, "mother", answers) == {}


def test_the_profile_source_gives_the_verified_account(province):
    province.citizen.first_name, province.citizen.last_name = "An", "Nguyễn Văn"
    province.citizen.save()
    assert prefill(province.citizen, "declarant", {}) == {
        "full_name": "Nguyễn Văn An",
        "id_number": "040090001234",
    }


def test_a_business_prefills_only_for_its_legal_representative(province):
    people()
    ReferenceBusiness.objects.create(
        tax_code="2901234567",
        name="Công ty Sen Vàng",
        head_office_address="Vinh",
        legal_representative="Nguyễn Văn An",
    )
    ReferenceBusiness.objects.create(
        tax_code="2909999999",
        name="Công ty Khác",
        head_office_address="Vinh",
        legal_representative="Lê Văn Cường",
    )
    schema = parse(
        {
            "title": "T",
            "sections": [
                {"key": "a", "title": "A", "fields": [{"key": "tax", "label": "MST", "type": "tax_code"}]},
                {
                    "key": "b",
                    "title": "B",
                    "fields": [
                        {
                            "key": "name",
                            "label": "Tên",
                            "type": "text",
                            "prefill": {"source": "business", "attribute": "name", "key_field": "a.tax"},
                        }
                    ],
                },
            ],
        }
    )

    def name_for(tax: str) -> dict:
        return section_prefill(
            schema=schema,
            section=schema.sections[1],
            user=province.citizen,
            answers={"a": {"tax": tax}},
            today=TODAY,
        )

    assert name_for("2901234567") == {"name": "Công ty Sen Vàng"}
    assert name_for("2909999999") == {}  # typed, but not his business

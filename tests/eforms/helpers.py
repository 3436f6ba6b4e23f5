"""A procedure of the test province with the demo's birth registration form, and answers to it."""

from datetime import date

from motcua.catalog.models import Procedure
from motcua.demo.declarations import BIRTH
from motcua.documents.models import ReferencePerson
from motcua.eforms import services as eforms
from motcua.eforms.models import DeclarationForm


def birth_form(procedure: Procedure) -> DeclarationForm:
    """The demo's birth registration form on `procedure`, standing for its component 1 ("Tờ khai")."""
    return eforms.new_form_version(
        procedure=procedure,
        schema=BIRTH,
        legal_form="Mẫu Tờ khai đăng ký khai sinh — Thông tư 04/2024/TT-BTP",
        acting_user=None,
        component=procedure.components.get(position=1),
    )


def register_father() -> ReferencePerson:
    """The population database's record of the test province's citizen (the father who declares)."""
    return ReferencePerson.objects.create(
        citizen_id="040090001234",
        full_name="Nguyễn Văn An",
        birth_date=date(1990, 5, 12),
        gender="Nam",
        permanent_address="Số 3 Lê Mao, Phường Thành Vinh, tỉnh Nghệ An",
    )


def answers(**changes) -> dict:
    """The verified father (the test province's citizen) declares his son; the mother is typed."""
    data = {
        "declarant": {
            "full_name": "Nguyễn Văn An",
            "id_number": "040090001234",
            "relation": "father",
            "father_known": "yes",
        },
        "child": {
            "full_name": "Nguyễn Minh Khôi",
            "sex": "male",
            "birth_date": "01/03/2026",
            "birth_place": "Bệnh viện Sản Nhi Nghệ An",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "home_town": "Nghệ An",
        },
        "mother": {
            "full_name": "Trần Thị Bình",
            "birth_date": "03/11/1992",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040190004321",
            "residence": {"detail": "12 Lê Lợi", "commune": "001.00.50.H40"},
        },
        "father": {
            "full_name": "Nguyễn Văn An",
            "birth_date": "12/05/1990",
            "ethnicity": "Kinh",
            "nationality": "Việt Nam",
            "id_number": "040090001234",
            "residence": {"detail": "Số 3 Lê Mao", "commune": "001.00.50.H40"},
        },
    }
    for path, value in changes.items():
        section, key = path.split("__")
        data[section][key] = value
    return data

"""The guided online submission with a declaration form (#16): its sections asked as pages, pre-filled for a
verified citizen, the declaration component not asked as an upload, wrong answers refused next to the
field with nothing saved, and the answers and their PDF stored with the dossier."""

import pytest

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.dossiers.models import Dossier
from motcua.eforms.models import DossierDeclaration
from motcua.portal.models import Draft
from tests.eforms.helpers import birth_form, register_father
from tests.support.pdfs import pdf_text

BASE = "/nop-ho-so/1.001193/"


@pytest.fixture
def citizen_client(client, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Procedure.objects.filter(pk=province.birth.pk).update(online_level="full")
    register_father()
    birth_form(province.birth)  # stands for component 1, "Tờ khai"
    client.force_login(province.citizen)
    return client


def to_declaration(client, province):
    applicant = {
        "kind": "citizen",
        "name": "Nguyễn Văn An",
        "id_number": "040090001234",
        "phone": "0912345678",
        "email": "an@example.vn",
        "action": "next",
    }
    assert client.post(BASE + "nguoi-nop/", applicant)["Location"].endswith("/noi-nop/")
    response = client.post(BASE + "noi-nop/", {"receiving_unit": province.commune.pk, "action": "next"})
    assert response["Location"].endswith("/to-khai-declarant/")


CHILD = {
    "full_name": "Nguyễn Minh Khôi",
    "sex": "male",
    "birth_date": "01/03/2026",
    "birth_place": "Bệnh viện Sản Nhi Nghệ An",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "home_town": "Nghệ An",
    "action": "next",
}
MOTHER = {
    "full_name": "Trần Thị Bình",
    "birth_date": "03/11/1992",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "id_number": "040190004321",
    "residence__commune": "001.00.50.H40",
    "residence__detail": "12 Lê Lợi",
    "action": "next",
}


def test_a_birth_registration_online_asks_the_declaration_and_no_upload(citizen_client, province):
    client = citizen_client
    to_declaration(client, province)
    page = client.get(BASE + "to-khai-declarant/").content.decode()
    # the verified account pre-fills the declarant; 2 + 3 sections (father unknown yet) + the optional
    # upload (power of attorney) + fees + review
    assert 'value="040090001234"' in page
    assert "Bước 3/8" in page
    declarant = {
        "full_name": "Nguyễn Văn An",
        "id_number": "040090001234",
        "relation": "father",
        "father_known": "yes",
        "action": "next",
    }
    assert client.post(BASE + "to-khai-declarant/", declarant)["Location"].endswith("/to-khai-child/")
    # a child born tomorrow: refused next to the field, nothing saved
    future = client.post(BASE + "to-khai-child/", CHILD | {"birth_date": "01/01/2099"})
    assert future.status_code == 400
    assert "Ngày không được sau hôm nay." in future.content.decode()
    assert 'aria-invalid="true"' in future.content.decode()
    assert "child" not in Draft.objects.get().data["declaration"]["answers"]
    assert client.post(BASE + "to-khai-child/", CHILD)["Location"].endswith("/to-khai-mother/")
    bad_id = client.post(BASE + "to-khai-mother/", MOTHER | {"id_number": "123"})
    assert bad_id.status_code == 400
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in bad_id.content.decode()
    assert client.post(BASE + "to-khai-mother/", MOTHER)["Location"].endswith("/to-khai-father/")
    # the father is the verified declarant: his section comes pre-filled from the population database
    father = client.get(BASE + "to-khai-father/").content.decode()
    assert "Bước 6/9" in father
    assert 'value="12/05/1990"' in father and 'value="Nguyễn Văn An"' in father
    filled = {
        "full_name": "Nguyễn Văn An",
        "birth_date": "12/05/1990",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "id_number": "040090001234",
        "residence__commune": "001.00.50.H40",
        "residence__detail": "Số 3 Lê Mao, Phường Thành Vinh, tỉnh Nghệ An",
        "action": "next",
    }
    # the declaration component ("Tờ khai", 1) is not asked: the next page is the optional component 2
    assert client.post(BASE + "to-khai-father/", filled)["Location"].endswith("/giay-to-2/")
    assert client.post(BASE + "giay-to-2/", {"action": "next"})["Location"].endswith("/le-phi/")
    assert client.post(BASE + "le-phi/", {"action": "next"})["Location"].endswith("/xem-lai/")
    review = client.get(BASE + "xem-lai/").content.decode()
    assert "Nguyễn Minh Khôi" in review and "01/03/2026" in review
    done = client.post(BASE + "xem-lai/", {"action": "submit"})
    dossier = Dossier.objects.get()
    assert done["Location"] == f"/ho-so-cua-toi/{dossier.code}/"
    declaration = DossierDeclaration.objects.get(dossier=dossier)
    assert declaration.answers["child"]["full_name"] == "Nguyễn Minh Khôi"
    assert declaration.answers["father"]["birth_date"] == "1990-05-12"
    # the pre-filled answers kept as given (the account has no name of its own here: typed); the father's
    # address was found with its commune
    assert declaration.prefilled == [
        "declarant.id_number",
        "father.birth_date",
        "father.full_name",
        "father.id_number",
        "father.residence",
    ]
    component = dossier.components.get(procedure_component__position=1)
    assert component.provided
    (link,) = component.files.all()
    assert "Nguyễn Minh Khôi" in pdf_text(link.stored_file.file.read())
    assert not Draft.objects.exists()
    # the citizen reads what was declared on the dossier's page
    mine = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Tờ khai: Tờ khai đăng ký khai sinh" in mine and "<dd>Nguyễn Minh Khôi</dd>" in mine


def test_a_component_shown_in_person_is_not_asked_online(citizen_client, province):
    ProcedureComponent.objects.create(
        procedure=province.birth, position=3, name="Thẻ căn cước (xuất trình)", form="present"
    )
    to_declaration(citizen_client, province)
    page = citizen_client.get(BASE + "to-khai-declarant/").content.decode()
    assert "Bước 3/8" in page  # the same 8 pages: the ID card is not one of them
    assert citizen_client.get(BASE + "giay-to-3/").status_code == 404


def test_submitting_with_a_section_unanswered_is_refused(citizen_client, province):
    to_declaration(citizen_client, province)
    citizen_client.post(BASE + "le-phi/", {"action": "next"})
    refused = citizen_client.post(BASE + "xem-lai/", {"action": "submit"})
    assert refused.status_code == 400
    assert (
        "Tờ khai còn phần chưa khai: Người đi khai sinh; Người được khai sinh; Người mẹ"
        in refused.content.decode()
    )
    assert not Dossier.objects.exists()


def test_papers_needed_only_in_some_cases_share_one_page(citizen_client, province):
    from tests.portal.helpers import pdf_upload

    extra = ProcedureComponent.objects.create(
        procedure=province.birth,
        position=3,
        name="Văn bản xác nhận mang thai hộ (trường hợp mang thai hộ)",
        form="original",
        is_mandatory=False,
    )
    power = province.birth.components.get(position=2)
    to_declaration(citizen_client, province)
    assert "Bước 3/8" in citizen_client.get(BASE + "to-khai-declarant/").content.decode()  # still 8 pages
    page = citizen_client.get(BASE + "giay-to-khac/").content.decode()
    assert "Giấy ủy quyền (nếu có)" in page and "Văn bản xác nhận mang thai hộ" in page
    answered = citizen_client.post(
        BASE + "giay-to-khac/", {f"files_{extra.pk}": pdf_upload("mang-thai-ho.pdf")}
    )
    assert answered["Location"].endswith("/le-phi/")
    data = Draft.objects.get().data
    assert (len(data["files"][str(extra.pk)]), str(power.pk) in data["seen"]) == (1, True)

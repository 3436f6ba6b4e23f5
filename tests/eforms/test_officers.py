"""Officers see the declaration as data: on the dossier page, in the API's dossier resource (and its
OpenAPI schema), and the back-office search finds the dossier by the child's name."""

from motcua.backoffice import selectors as backoffice
from motcua.eforms.services import Declaration
from motcua.intake import services as intake
from tests.api.conftest import DOSSIERS, ok
from tests.api.conftest import client_for as api_client
from tests.backoffice.helpers import client_for, dossier_url
from tests.dossiers.helpers import at
from tests.eforms.helpers import answers, birth_form


def submitted(p):
    form = birth_form(p.birth)
    return intake.submit_online(
        intake=p.intake(),
        acting_user=p.citizen,
        declaration=Declaration(
            form=form, answers=answers(), prefilled=["father.full_name", "father.id_number"]
        ),
        now=at(0),
    )


def test_the_dossier_page_shows_the_answers(province):
    dossier = submitted(province)
    page = client_for(province.counter).get(dossier_url(dossier)).content.decode()
    assert "Tờ khai: Tờ khai đăng ký khai sinh" in page
    assert "Theo Mẫu Tờ khai đăng ký khai sinh — Thông tư 04/2024/TT-BTP; mẫu tờ khai phiên bản 1." in page
    assert "2 thông tin được điền sẵn từ dữ liệu nhà nước." in page
    assert "<dt>Họ, chữ đệm và tên</dt>\n    <dd>Nguyễn Minh Khôi</dd>" in page
    assert "<dd>01/03/2026</dd>" in page  # the child's date of birth, dd/mm/yyyy
    assert "<dd>12 Lê Lợi, Phường Thành Vinh</dd>" in page  # the mother's address with its commune
    assert "<dd>Nam</dd>" in page  # the choice's label, not its value


def test_a_dossier_without_a_declaration_shows_none(province):
    dossier = province.receive()
    page = client_for(province.counter).get(dossier_url(dossier)).content.decode()
    assert "Tờ khai:" not in page


def test_the_api_gives_the_declaration(province):
    dossier = submitted(province)
    body = ok(api_client(province.counter).get(f"{DOSSIERS}{dossier.code}/"))
    declaration = body["declaration"]
    assert declaration["form_version"] == 1
    assert declaration["legal_form"] == "Mẫu Tờ khai đăng ký khai sinh — Thông tư 04/2024/TT-BTP"
    assert declaration["answers"]["child"]["full_name"] == "Nguyễn Minh Khôi"
    assert declaration["answers"]["child"]["birth_date"] == "2026-03-01"
    other = province.receive()
    assert ok(api_client(province.counter).get(f"{DOSSIERS}{other.code}/"))["declaration"] is None


def test_the_openapi_schema_describes_the_declaration(db):
    schema = api_client(None).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["components"]["schemas"]["DossierDetail"]["properties"]
    assert "declaration" in detail
    fields = schema["components"]["schemas"]["Declaration"]["properties"]
    assert set(fields) == {"form_version", "legal_form", "answers"}


def test_the_search_finds_the_dossier_by_the_childs_name(province):
    dossier = submitted(province)
    other = province.receive()
    # without diacritics, any case, every word
    assert list(backoffice.search_dossiers(province.counter, "minh khoi")) == [dossier]
    assert list(backoffice.search_dossiers(province.counter, "Nguyễn Minh KHÔI")) == [dossier]
    assert list(backoffice.search_dossiers(province.counter, "khoi binh")) == [dossier]  # child + mother
    assert other not in backoffice.search_dossiers(province.counter, "khoi")
    assert not backoffice.search_dossiers(province.other_counter, "minh khoi").exists()  # out of scope


def test_the_work_list_shows_the_childs_name_beside_the_applicant(province):
    """The counter's "waiting for reception" list: the father applies, the row also names his son."""
    dossier = submitted(province)
    other = province.receive()  # no declaration: the row shows the applicant alone
    page = client_for(province.counter).get("/can-bo/?list=tiep-nhan").content.decode()
    assert dossier.code in page
    assert f'{dossier.applicant_name}<br><span class="muted">Nguyễn Minh Khôi</span>' in page
    received = client_for(province.counter).get("/can-bo/?list=da-tiep-nhan").content.decode()
    assert other.code in received and f"{other.applicant_name}</td>" in received

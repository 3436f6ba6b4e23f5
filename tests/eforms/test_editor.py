"""The center's administrator edits a procedure's e-form in the back office (#16): a preview page by page, a
wrong schema refused naming its place with nothing saved, a save making a new version."""

import json

from motcua.eforms.models import DeclarationForm
from tests.backoffice.helpers import client_for
from tests.eforms.helpers import birth_form

URL = "/can-bo/to-khai/"


def test_only_the_center_administrator_edits(province):
    form = birth_form(province.birth)
    assert client_for(province.counter).get(f"{URL}{province.birth.pk}/").status_code == 403
    page = client_for(province.admin).get(URL).content.decode()
    assert f'href="{URL}{province.birth.pk}/"' in page and form.legal_form in page
    assert f'<a href="{URL}">Tờ khai điện tử</a>' in page  # in the administrator's navigation
    assert f'href="{URL}"' not in client_for(province.counter).get("/can-bo/").content.decode()


def test_preview_then_save_a_new_version(province):
    form = birth_form(province.birth)
    admin = client_for(province.admin)
    schema = dict(form.schema)
    schema["sections"] = [*form.schema["sections"][:1], *form.schema["sections"][1:]]
    schema["sections"][1] = dict(schema["sections"][1], help="Ghi đúng như trên Giấy chứng sinh.")
    body = {"legal_form": form.legal_form, "schema": json.dumps(schema, ensure_ascii=False)}
    preview = admin.post(f"{URL}{province.birth.pk}/", body | {"action": "preview"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Trang 2: Người được khai sinh" in text and "Ghi đúng như trên Giấy chứng sinh." in text
    assert DeclarationForm.objects.count() == 1  # a preview saves nothing
    saved = admin.post(f"{URL}{province.birth.pk}/", body | {"action": "save"})
    assert saved.status_code == 302
    new = DeclarationForm.objects.get(is_active=True)
    assert (new.version, new.schema["sections"][1]["help"], new.component) == (
        2,
        "Ghi đúng như trên Giấy chứng sinh.",
        form.component,
    )
    form.refresh_from_db()
    assert not form.is_active


def test_a_wrong_schema_is_refused_with_its_place(province):
    form = birth_form(province.birth)
    schema = json.loads(json.dumps(form.schema))
    schema["sections"][1]["fields"][0]["type"] = "colour"
    body = {"legal_form": form.legal_form, "schema": json.dumps(schema), "action": "save"}
    refused = client_for(province.admin).post(f"{URL}{province.birth.pk}/", body)
    assert refused.status_code == 400
    assert "sections.1.fields.0.type" in refused.content.decode()
    bad_json = client_for(province.admin).post(f"{URL}{province.birth.pk}/", body | {"schema": "{"})
    assert bad_json.status_code == 400
    assert "Không đọc được nội dung (JSON), dòng 1." in bad_json.content.decode()
    assert DeclarationForm.objects.count() == 1

"""The standing pages: who may see and write, the entry form, the import page, the template download."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.standing.models import Standing, Target
from tests.standing.helpers import PAPI_2023, workbook
from tests.support.clients import client_for


def test_who_sees_the_page(province):
    assert client_for(None).get("/chi-so-tinh/").status_code == 302
    assert client_for(province.counter).get("/chi-so-tinh/").status_code == 403
    assert client_for(province.leader).get("/chi-so-tinh/").status_code == 200
    page = client_for(province.admin).get("/chi-so-tinh/")
    assert page.status_code == 200 and "Khoảng cách đến mục tiêu" in page.content.decode()
    assert "Tương ứng gần đúng" in page.content.decode()  # the correspondence is said to be approximate
    assert client_for(province.admin).get("/chi-so-tinh/?year=abc").status_code == 400
    # Writing is the center administrator's.
    assert client_for(province.leader).get("/chi-so-tinh/nhap/papi/").status_code == 403
    assert client_for(province.leader).post("/chi-so-tinh/nhap-tep/").status_code == 403


def test_entering_a_year(province):
    client = client_for(province.admin)
    assert client.get("/chi-so-tinh/nhap/pci/").status_code == 404
    form = {"year": "2023", "score": "42.8474", "max_score": "80", "rank": "25", "ranked_out_of": "63"}
    form |= {"c_dien_tu": "2.9799", "m_dien_tu": "10"} | {f"m_{c}": "10" for c in ("tham_gia", "cong_khai")}
    refused = client.post("/chi-so-tinh/nhap/papi/", form)  # no source and not marked sample
    assert refused.status_code == 400 and "đánh dấu “mẫu”" in refused.content.decode()
    assert not Standing.objects.exists()
    done = client.post("/chi-so-tinh/nhap/papi/", form | {"source_title": "Sở Nội vụ Nghệ An"})
    assert done.status_code == 302
    papi = Standing.objects.get(index="papi", year=2023)
    assert (papi.rank, [c.code for c in papi.components.all()]) == (25, ["dien_tu"])
    again = client.get("/chi-so-tinh/nhap/papi/?year=2023").content.decode()
    assert 'value="42.8474"' in again and 'value="2.9799"' in again
    page = client.get("/chi-so-tinh/").content.decode()
    assert "25/63" in page and "Sở Nội vụ Nghệ An" in page


def test_the_import_page(province):
    client = client_for(province.admin)
    assert client.get("/chi-so-tinh/nhap-tep/").status_code == 200
    template = client.get("/chi-so-tinh/mau-nhap.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")
    bad = SimpleUploadedFile("bang.xlsx", b"not a workbook")
    refused = client.post("/chi-so-tinh/nhap-tep/", {"file": bad})
    assert refused.status_code == 400 and "không phải tệp XLSX" in refused.content.decode()
    good = SimpleUploadedFile("bang.xlsx", workbook(PAPI_2023))
    assert client.post("/chi-so-tinh/nhap-tep/", {"file": good}).status_code == 302
    assert Standing.objects.get(index="papi", year=2023).components.count() == 2


def test_setting_a_target(province):
    client = client_for(province.admin)
    form = {"index": "par_index", "year": "2025", "rank_at_most": "20", "out_of": "63"}
    assert client.post("/chi-so-tinh/muc-tieu/", form).status_code == 400  # neither source nor sample
    assert client.post("/chi-so-tinh/muc-tieu/", form | {"sample": "on"}).status_code == 302
    target = Target.objects.get()
    assert (target.rank_at_most, target.out_of, target.sample) == (20, 63, True)
    page = client.get("/chi-so-tinh/").content.decode()
    assert "Nhóm 20/63 vào năm 2025" in page and "Chưa có xếp hạng nào được ghi" in page

"""Consultations in the back office: the dossier page's "Xin ý kiến" section (the list, the form to ask shown
exactly when CONSULT is offered, the answer form for the consulted unit), the files, and the unit's list."""

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import services
from motcua.dossiers.models import Consultation, Dossier
from tests.backoffice.helpers import BASE, client_for, dossier_url, messages_of
from tests.factories import Province, local
from tests.support.pdfs import scanned_pdf

QUESTION = "Đề nghị Sở cho ý kiến về giấy tờ do nước ngoài cấp."


def _asked(p: Province) -> Dossier:
    d = p.processing(now=local(2026, 3, 2, 9))
    return services.consult(
        dossier=d,
        acting_user=p.specialist,
        consulted_units=[p.justice],
        content=QUESTION,
        working_days=3,
        now=local(2026, 3, 2, 10),
    )


def test_the_form_to_ask_is_shown_exactly_when_consulting_is_offered(province):
    p = province
    d = p.processing()
    page = client_for(p.specialist).get(dossier_url(d)).content.decode()
    assert "Xin ý kiến cơ quan khác" in page and 'name="consulted_units"' in page
    assert f'value="{p.commune.pk}"' not in page.split('name="consulted_units"')[1].split("</select>")[0]
    # The counter officer sees the dossier but may not consult.
    assert 'name="consulted_units"' not in client_for(p.counter).get(dossier_url(d)).content.decode()


def test_asking_with_a_file_from_the_dossier_page(province):
    p = province
    d = p.processing()
    client = client_for(p.specialist)
    response = client.post(
        dossier_url(d, "xin-y-kien/"),
        {
            "version": d.version,
            "consulted_units": [p.justice.pk],
            "content": QUESTION,
            "working_days": "3",
            "attachments": [scanned_pdf("ho-chieu.pdf")],
        },
    )
    assert response.status_code == 302
    question = Consultation.objects.get(dossier=d)
    assert question.consulted_unit == p.justice
    assert list(question.files.values_list("name", flat=True)) == ["ho-chieu.pdf"]
    page = client.get(dossier_url(d)).content.decode()
    assert QUESTION in page and "đang chờ" in page and "ho-chieu.pdf" in page
    # Whoever sees the dossier downloads the files; the department now sees it too.
    attached = question.files.get()
    url = dossier_url(d, f"xin-y-kien/tep/{attached.pk}/")
    assert client_for(p.justice_specialist).get(url).status_code == 200
    assert client_for(p.other_counter).get(url).status_code == 404


def test_bad_input_shows_the_errors_and_saves_nothing(province):
    p = province
    d = p.processing()
    response = client_for(p.specialist).post(
        dossier_url(d, "xin-y-kien/"),
        {
            "version": d.version,
            "consulted_units": [p.justice.pk],
            "content": QUESTION,
            "working_days": "3",
            "attachments": [SimpleUploadedFile("macro.docm", b"PK\x03\x04 not a pdf")],
        },
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG." in response.content.decode()
    response = client_for(p.specialist).post(
        dossier_url(d, "xin-y-kien/"), {"version": d.version, "content": "", "working_days": "45"}
    )
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_the_consulted_unit_answers_from_its_list(province):
    p = province
    d = _asked(p)
    department = client_for(p.justice_specialist)
    listing = department.get(f"{BASE}xin-y-kien/").content.decode()
    assert d.code in listing and "quá hạn chưa trả lời" in listing  # due March 2026
    assert 'href="/can-bo/xin-y-kien/">Xin ý kiến <span class="count">1</span>' in listing
    page = department.get(dossier_url(d)).content.decode()
    assert "Gửi ý kiến trả lời" in page and "quá hạn chưa trả lời" in page
    question = Consultation.objects.get(dossier=d)
    response = department.post(
        dossier_url(d, "xin-y-kien/tra-loi/"),
        {"version": d.version, "consultation_id": question.pk, "answer": "Giấy tờ hợp lệ."},
    )
    assert response.status_code == 302
    page = department.get(dossier_url(d))
    assert "Đã trả lời xin ý kiến" in " ".join(messages_of(page))
    text = page.content.decode()
    assert "trả lời trễ hạn" in text and "Giấy tờ hợp lệ." in text
    assert "văn bản trả lời ký số" in text  # the signed answer, downloadable
    assert "Gửi ý kiến trả lời" not in text
    assert d.code not in department.get(f"{BASE}xin-y-kien/").content.decode()


def test_the_asking_unit_sees_no_answer_form(province):
    p = province
    d = _asked(p)
    page = client_for(p.leader).get(dossier_url(d)).content.decode()
    assert QUESTION in page and "Gửi ý kiến trả lời" not in page
    response = client_for(p.leader).post(
        dossier_url(d, "xin-y-kien/tra-loi/"),
        {"version": d.version, "consultation_id": Consultation.objects.get().pk, "answer": "x"},
    )
    assert response.status_code == 400
    assert Consultation.objects.get().answered_at is None

"""A consultation's files (documents.consultations): the question's attachments, the answer's, and the answer
signed by the consulted unit; the act and its files are saved together, or nothing is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import ValidationFailed
from motcua.documents import consultations, signing
from motcua.documents.models import ConsultationFile, StoredFile
from motcua.dossiers.models import Consultation
from motcua.dossiers.states import Act
from tests.dossiers.test_access import police_of
from tests.factories import Province, local
from tests.support.pdfs import pdf_text, scanned_pdf

QUESTION = "Đề nghị Sở cho ý kiến về giấy tờ do nước ngoài cấp."
Role = ConsultationFile.Role


def _ask(p: Province, files):
    d = p.processing(now=local(2026, 3, 2, 9))
    return consultations.ask(
        dossier=d,
        acting_user=p.specialist,
        consulted_units=[p.justice, p.other_commune],
        content=QUESTION,
        working_days=3,
        files=files,
        now=local(2026, 3, 2, 10),
    )


def test_each_question_carries_the_files_asked_with(province):
    p = province
    d, asked = _ask(p, [scanned_pdf("giay-khai-sinh.pdf"), scanned_pdf("ho-chieu.pdf", "Ho chieu")])
    for question in asked:
        assert sorted(question.files.values_list("name", "role")) == [
            ("giay-khai-sinh.pdf", Role.QUESTION),
            ("ho-chieu.pdf", Role.QUESTION),
        ]
    assert len(consultations.files_of(dossier=d, acting_user=p.justice_specialist)) == 4
    assert len(consultations.files_of(dossier=d, acting_user=p.other_counter)) == 4  # asked too
    # The commune police neither processes the dossier nor is asked about it.
    assert consultations.files_of(dossier=d, acting_user=police_of(p).specialist) == []


def test_a_refused_file_refuses_the_question_and_nothing_is_saved(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    events = d.events.count()
    with pytest.raises(ValidationFailed) as refused:
        consultations.ask(
            dossier=d,
            acting_user=p.specialist,
            consulted_units=[p.justice],
            content=QUESTION,
            working_days=3,
            files=[scanned_pdf(), SimpleUploadedFile("macro.docm", b"PK\x03\x04 not a pdf")],
        )
    assert refused.value.code == "unsupported_type"
    assert d.events.count() == events
    assert not Consultation.objects.exists() and not ConsultationFile.objects.exists()
    assert not StoredFile.objects.exists()


def test_too_many_files_are_refused(province):
    p = province
    d = p.processing(now=local(2026, 3, 2, 9))
    with pytest.raises(ValidationFailed) as refused:
        consultations.ask(
            dossier=d,
            acting_user=p.specialist,
            consulted_units=[p.justice],
            content=QUESTION,
            working_days=3,
            files=[scanned_pdf(f"{n}.pdf", str(n)) for n in range(11)],
        )
    assert refused.value.fields["files"].code == "too_many"
    assert not Consultation.objects.exists()


def test_the_answer_is_signed_by_the_consulted_unit(province):
    p = province
    d, asked = _ask(p, [])
    question = next(q for q in asked if q.consulted_unit == p.justice)
    d = consultations.answer(
        dossier=d,
        acting_user=p.justice_leader,
        consultation_id=question.pk,
        answer="Giấy tờ hợp lệ, đề nghị giải quyết.",
        files=[scanned_pdf("y-kien-phong-ho-tich.pdf")],
        now=local(2026, 3, 4, 15),
    )
    files = {f.role: f for f in question.files.all()}
    assert files[Role.ANSWER].name == "y-kien-phong-ho-tich.pdf"
    signed = files[Role.SIGNED_ANSWER]
    assert signed.name == f"tra-loi-xin-y-kien-{d.code}-{question.pk}.pdf"
    data = signed.stored_file.file.open("rb").read()
    verdict = signing.verify_pdf(data)
    assert verdict.valid and verdict.signer == "Sở Tư pháp"
    assert verdict.certificate_serial == signed.certificate_serial
    text = " ".join(pdf_text(data).split())
    assert "VĂN BẢN TRẢ LỜI XIN Ý KIẾN" in text and "Giấy tờ hợp lệ, đề nghị giải quyết." in text
    assert "Kính gửi: Phường Thành Vinh" in text and "Hạn trả lời: 05/03/2026 10:00" in text


def test_a_refused_answer_keeps_no_file(province):
    p = province
    d, asked = _ask(p, [])
    question = next(q for q in asked if q.consulted_unit == p.other_commune)
    with pytest.raises(ValidationFailed):
        consultations.answer(
            dossier=d,
            acting_user=p.justice_specialist,
            consultation_id=question.pk,
            answer="Không thuộc thẩm quyền.",
            files=[scanned_pdf("y-kien.pdf")],
        )
    assert not ConsultationFile.objects.exists()
    assert not d.events.filter(act=Act.ANSWER_CONSULTATION).exists()

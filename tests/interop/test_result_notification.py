"""The notification of the result links the applicant's dossier page on the portal (where the signed e-result
is downloaded after signing in), never the file itself; an applicant without an account gets no link."""

from django.core import mail

from motcua.dossiers import services
from motcua.dossiers.states import Status
from motcua.interop import handlers, sms
from motcua.interop.models import Notification
from tests.dossiers.helpers import at

PUBLIC = "https://dichvucong.example.vn"


def _to_result(province, **applicant):
    d = province.receive(now=at(0), **applicant)
    d = services.start_processing(dossier=d, acting_user=province.counter, now=at(0.5))
    d = services.complete_step(dossier=d, acting_user=province.specialist, now=at(1))
    d = services.approve(dossier=d, acting_user=province.leader, now=at(2))
    return services.issue_result(dossier=d, acting_user=province.leader, now=at(3))


def test_result_issued_and_returned_notifications_link_the_dossier_page(
    settings, province, django_capture_on_commit_callbacks
):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    settings.MOTCUA_PUBLIC_URL = PUBLIC + "/"
    sms.MemorySms.outbox.clear()
    assert {Status.FINISHED, Status.RETURNED} == handlers.RESULT_STATUSES
    with django_capture_on_commit_callbacks(execute=True):
        d = _to_result(province, user=province.citizen)
    link = f"{PUBLIC}/ho-so-cua-toi/{d.code}/"
    issued = sms.MemorySms.outbox[-1][1]
    assert d.code in issued
    assert f"Tai ket qua dien tu: {link}" in issued  # the SMS is unaccented
    assert f"Tải kết quả điện tử: {link}" in mail.outbox[-1].body
    assert Notification.objects.filter(channel="sms").order_by("pk").last().body == issued
    assert all(link not in text for _phone, text in sms.MemorySms.outbox[:-1])  # not before the result
    with django_capture_on_commit_callbacks(execute=True):
        services.return_result(dossier=d, acting_user=province.counter, now=at(4))
    returned = sms.MemorySms.outbox[-1][1]
    assert returned != issued and link in returned and ".pdf" not in returned
    assert link in mail.outbox[-1].body and ".pdf" not in mail.outbox[-1].body


def test_no_link_for_an_applicant_without_an_account(settings, province, django_capture_on_commit_callbacks):
    settings.MOTCUA_SMS_BACKEND = "motcua.interop.sms.MemorySms"
    sms.MemorySms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        d = _to_result(province)
    assert d.applicant_user is None and d.status == Status.FINISHED
    assert "/ho-so-cua-toi/" not in sms.MemorySms.outbox[-1][1]

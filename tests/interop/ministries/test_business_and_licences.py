"""Business registration (2.001610, 2.001583) with the national business registration portal, and
driving-licence renewal / re-issue (3.000347, 3.000348) with the licence management system, over the
axis sandbox: the dossier goes out, statuses and the result number come back onto the dossier."""

import pytest

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.states import Act, Status
from motcua.interop.axis import sandbox
from motcua.interop.ministries.services import send_to_ministry
from motcua.interop.models import Exchange, MinistryCase
from tests.interop.axis.support import connect
from tests.interop.ministries.conftest import province_procedure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def axis(settings, live_server) -> str:
    connect(settings, live_server.url)
    return live_server.url


@pytest.mark.parametrize(
    ("code", "service", "kind_field", "kind"),
    [
        ("2.001610", "dkkd.tiep_nhan", "MaTTHC", "2.001610"),
        ("2.001583", "dkkd.tiep_nhan", "MaTTHC", "2.001583"),
        ("3.000347", "gplx.tiep_nhan", "loaiYeuCau", "DOI"),
        ("3.000348", "gplx.tiep_nhan", "loaiYeuCau", "CAP_LAI"),
    ],
)
def test_the_dossier_goes_out_and_its_result_number_comes_back(
    axis, province, code, service, kind_field, kind
):
    dossier = province.processing(province_procedure(code, province.justice))

    case = send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)

    [sent] = sandbox.received()
    assert sent["service"] == service and sent["payload"][kind_field] == kind
    case.refresh_from_db()
    assert case.state == MinistryCase.State.SENT and case.remote_reference
    assert Exchange.objects.get(dossier=dossier, direction="out").axis == "ngsp"

    assert sandbox.deliver_callbacks() == 2

    case.refresh_from_db()
    assert case.state == MinistryCase.State.RESULT and case.result_number
    assert [u.mapped_status for u in case.updates.order_by("pk")] == [Status.PROCESSING, Status.FINISHED]
    assert case.result_file is None  # a number, no document
    handed = DossierEvent.objects.get(dossier=dossier, act=Act.COMPLETE_STEP)
    assert case.result_number in handed.reason and handed.actor == province.justice_specialist


def test_a_business_registration_refused_by_the_portal_is_recorded(axis, province):
    dossier = province.processing(province_procedure("2.001610", province.justice))
    # The portal refuses a request without its reception date: the province's request always has one,
    # so the refusal is made here by hand, as the portal words it.
    case = send_to_ministry(dossier=dossier, acting_user=province.justice_specialist)
    from motcua.interop import http
    from motcua.interop.axis import signing

    body = (
        b'{"MaHoSo": "%s", "MaHoSoDKKD": "X", "TrangThai": "TU_CHOI", "GhiChu": "Tr\xc3\xb9ng t\xc3\xaan"}'
        % dossier.code.encode()
    )
    path = "/lien-thong/truc/nhan/dkkd"
    headers = signing.sign("POST", path, body, secret=sandbox.signing_secret())

    answer = http.post(f"{axis}{path}", body, headers=headers, deadline=5)

    assert answer.status == 200
    case.refresh_from_db()
    assert case.state == MinistryCase.State.REFUSED and case.mapped_status == Status.STOPPED
    assert case.note == "Trùng tên"
    assert not DossierEvent.objects.filter(dossier=dossier, act=Act.COMPLETE_STEP).exists()

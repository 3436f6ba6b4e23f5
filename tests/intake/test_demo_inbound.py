"""The demo's dossiers from the national portal (`demo.inbound`): there when the portal's sandbox is on."""

from motcua.demo.inbound import load_demo_inbound
from motcua.demo.org import DemoOrg
from motcua.dossiers.models import Dossier
from motcua.intake.models import InboundDossier, SandboxPortalDossier


def org_of(province) -> DemoOrg:
    return DemoOrg(
        province=province.province,
        center=province.center,
        units={},
        communes=[province.commune],
        commune_police=[province.commune_police],
        users={"congdan": province.citizen},
    )


def test_with_the_sandbox_on_the_demo_has_portal_dossiers_waiting_once(province, settings):
    settings.MOTCUA_DVCQG_SANDBOX = True

    assert load_demo_inbound(org_of(province)) == 4

    waiting = Dossier.objects.get(portal_inbound__portal_code="G22.99-DEMO-0001")
    assert (waiting.status, waiting.receiving_unit, waiting.applicant_user) == (
        1,
        province.commune,
        province.citizen,
    )
    # The small province has only the birth registration: the three others are rejected with their reason.
    rejected = dict(InboundDossier.objects.filter(status="rejected").values_list("portal_code", "reason"))
    assert (
        rejected["G22.99-DEMO-0004"] == "Thủ tục 9.999999 không có trong danh mục đang có hiệu lực của tỉnh."
    )
    assert len(rejected) == 3 and SandboxPortalDossier.objects.count() == 4
    assert load_demo_inbound(org_of(province)) == 0  # loaded twice: nothing more
    assert InboundDossier.objects.get(portal_code="G22.99-DEMO-0001").deliveries == 1


def test_with_the_sandbox_off_there_are_none(province, settings):
    settings.MOTCUA_DVCQG_SANDBOX = False

    assert load_demo_inbound(org_of(province)) == 0
    assert not InboundDossier.objects.exists() and not SandboxPortalDossier.objects.exists()

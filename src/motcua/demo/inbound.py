"""The demo's dossiers from the National Public Service Portal: when the portal's sandbox is on
(MOTCUA_DVCQG_SANDBOX, default DEBUG), a few dossiers "submitted on the portal" (`intake.sandbox`) are
delivered as the portal's webhook delivers them (`intake.inbound.record_delivery`, the dossier carried) and
taken in through the one intake path: three wait in the first commune's "to receive" list (one from a
VNeID-verified applicant, linked to the demo citizen's account), one is rejected with its reason (a
procedure the province does not have). Loaded once: a second load finds them and writes nothing."""

from django.conf import settings

from motcua.catalog.models import Procedure
from motcua.demo.org import DemoOrg
from motcua.intake import inbound, sandbox
from motcua.intake.models import InboundDossier

# (the portal's code, the procedure, VNeID-verified)
DOSSIERS = (
    ("G22.99-DEMO-0001", "1.001193", True),
    ("G22.99-DEMO-0002", "1.004873", False),
    ("G22.99-DEMO-0003", "1.004194", False),
    ("G22.99-DEMO-0004", "9.999999", False),  # not in the province's catalogue: rejected
)


def load_demo_inbound(org: DemoOrg) -> int:
    """Deliver and take in the demo's portal dossiers (sandbox on only); how many were new."""
    if not getattr(settings, "MOTCUA_DVCQG_SANDBOX", settings.DEBUG):
        return 0
    citizen = org.users.get("congdan")
    created = 0
    for code, procedure_code, vneid in DOSSIERS:
        if InboundDossier.objects.filter(portal_code=code).exists():
            continue
        procedure = (
            Procedure.objects.filter(code=procedure_code)
            .prefetch_related("components")
            .order_by("-version")
            .first()
        )
        components = list(procedure.components.all()) if procedure else []
        names = [c.name for c in components if c.is_mandatory] or [c.name for c in components[:1]]
        payload = sandbox.sample_payload(
            code=code,
            procedure_code=procedure_code,
            unit_code=org.first_commune.code,
            components=names or ["Tờ khai"],
            **(
                {"name": citizen.display_name, "id_number": citizen.citizen_id}
                if vneid and citizen is not None and citizen.citizen_id
                else {}
            ),
            vneid=vneid,
        )
        sandbox.submit(payload)
        delivery = inbound.record_delivery(code=code, via=InboundDossier.Via.WEBHOOK, payload=payload)
        inbound.receive(delivery.pk)
        created += 1
    return created

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "motcua.intake"
    label = "intake"

    def ready(self) -> None:
        # The outbox handlers and the periodic pull of dossiers from the national portal; the outbound sync
        # reports the portal's dossiers under the portal's own code (interop.dvcqg.payloads.portal_code).
        from motcua.intake import inbound
        from motcua.interop.dvcqg import payloads

        payloads.register_portal_code(inbound.portal_code_of)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Tài liệu, phiếu và kết quả điện tử")

    def ready(self) -> None:
        from motcua.core.identity import warn_if_sandbox_in_production

        # Registers the outbox handlers, and the receiver giving new procedure versions their document types.
        from motcua.documents import datastore, results, versions  # noqa: F401

        # The e-data store trusts verified identities: say so loudly if anyone may claim one.
        warn_if_sandbox_in_production()

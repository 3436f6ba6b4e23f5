from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    label = "interop"
    verbose_name = _("Kết nối, đồng bộ")

    def ready(self) -> None:
        from django.core.signals import request_started

        from motcua.interop import (
            handlers,  # noqa: F401  (registers outbox handlers)
            metrics,  # noqa: F401  (the outbox's gauges at each scrape of /metrics)
            outbox,
        )
        from motcua.interop.dvcqg import services  # noqa: F401  (DVCQG sync: receiver and handler)

        request_started.connect(outbox.start_embedded_worker, dispatch_uid="interop.outbox.start_worker")

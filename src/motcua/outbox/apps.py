from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "motcua.outbox"
    label = "outbox"
    verbose_name = _("Hàng đợi tác vụ")

    def ready(self) -> None:
        from django.core.signals import request_started

        from motcua.outbox import (
            metrics,  # noqa: F401  (the outbox's gauges at each scrape of /metrics)
            services,
        )

        request_started.connect(services.start_embedded_worker, dispatch_uid="outbox.start_worker")

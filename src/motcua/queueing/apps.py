from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "motcua.queueing"
    label = "queueing"
    verbose_name = _("Xếp hàng, lấy số thứ tự")

    def ready(self) -> None:
        from motcua.queueing import (
            metrics,  # noqa: F401  (its gauge at each scrape of /metrics)
            wait_alerts,  # noqa: F401  (the long-wait alert's outbox handler)
        )

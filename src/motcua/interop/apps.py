from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "motcua.interop"
    label = "interop"
    verbose_name = _("Kết nối, đồng bộ")

    def ready(self) -> None:
        from motcua.interop import checks as sandbox_checks  # noqa: F401  (the portal's and Zalo's sandboxes)
        from motcua.interop import (
            handlers,  # noqa: F401  (notifications: receiver and outbox handler)
            staff_alerts,  # noqa: F401  (consultations' late alerts to officers)
        )
        from motcua.interop.axis import checks, transport  # noqa: F401  (system check; the calls' handler)
        from motcua.interop.dvcqg import services  # noqa: F401  (DVCQG sync: receiver and handler)
        from motcua.interop.ministries import sandbox  # noqa: F401  (the ministries behind the axis sandbox)
        from motcua.interop.ministries import services as ministries  # noqa: F401  (answers, the result)

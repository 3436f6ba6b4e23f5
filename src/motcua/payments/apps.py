from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán trực tuyến")

    def ready(self) -> None:
        from motcua.payments.checks import warn_if_sandbox_in_production  # registers the system check

        warn_if_sandbox_in_production()

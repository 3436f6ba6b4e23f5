from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province and the synthetic history (`motcua demo`, `motcua generate`); no app imports it."""

    name = "motcua.demo"
    label = "demo"
    verbose_name = _("Dữ liệu mẫu")

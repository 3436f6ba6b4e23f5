from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "motcua.quality"
    label = "quality"
    verbose_name = _("Chất lượng giải quyết, thống kê, đánh giá")

    def ready(self) -> None:
        from motcua.quality import signals  # noqa: F401  (the lifecycle hook and its outbox handler)

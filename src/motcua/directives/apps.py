from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "motcua.directives"
    label = "directives"
    verbose_name = _("Chỉ thị, nhiệm vụ cải cách hành chính")

    def ready(self) -> None:
        from motcua.directives import notices  # noqa: F401  (the reminders' SMS outbox handler)

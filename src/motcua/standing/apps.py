from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandingConfig(AppConfig):
    name = "motcua.standing"
    label = "standing"
    verbose_name = _("Chỉ số xếp hạng của tỉnh (PAR Index, SIPAS, PAPI)")

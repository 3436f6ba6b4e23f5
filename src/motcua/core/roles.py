"""Roles of the people who use the system and what each may see."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân / tổ chức")
    COUNTER_OFFICER = "counter_officer", _("Cán bộ tiếp nhận (Bộ phận Một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
    CENTER_ADMIN = "center_admin", _("Quản trị Trung tâm Phục vụ hành chính công")
    SYSTEM = "system", _("Hệ thống kết nối")


OFFICER_ROLES = frozenset({Role.COUNTER_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.CENTER_ADMIN})
PROCESSING_ROLES = frozenset({Role.SPECIALIST, Role.UNIT_LEADER})

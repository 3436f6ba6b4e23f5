"""The queue of a one-stop section: its service counters, the tickets people take, and their numbering.

A ticket is its own audit record: who called it from which counter and when, who closed it and how.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit

# The lengths the services check before saving (a clear message instead of a database error).
COUNTER_NAME_MAX_LENGTH = 100
FIELD_MAX_LENGTH = 100  # a service area, on a counter and on a ticket


class ServiceCounter(models.Model):
    """A counter (quầy) of a Public Administration Service Center or a commune's one-stop section."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="service_counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(
        _("tên quầy"), max_length=COUNTER_NAME_MAX_LENGTH, help_text=_("Ví dụ: Quầy 3 – Tư pháp")
    )
    field = models.CharField(
        _("lĩnh vực phục vụ"),
        max_length=FIELD_MAX_LENGTH,
        blank=True,
        help_text=_("Hiện trên máy lấy số để người dân chọn; để trống nếu quầy nhận mọi lĩnh vực."),
    )
    is_open = models.BooleanField(_("đang mở"), default=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tại quầy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_counters",
    )

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["unit", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="service_counter_number")]

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    """One queue number: issued at the kiosk, called to a counter, then served or not present."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đã gọi")
        SERVED = "served", _("Đã phục vụ")
        NO_SHOW = "no_show", _("Vắng mặt")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    field = models.CharField(_("lĩnh vực"), max_length=FIELD_MAX_LENGTH, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.WAITING)
    issued_at = models.DateTimeField(_("lấy số lúc"))
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    recalled_at = models.DateTimeField(_("gọi lại lúc"), null=True, blank=True)
    counter = models.ForeignKey(
        ServiceCounter,
        verbose_name=_("quầy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ gọi số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ kết thúc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["day", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "day", "number"], name="ticket_number")]
        indexes = [models.Index(fields=["unit", "day", "status", "number"], name="ticket_queue")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number:04d}"


class TicketSequence(models.Model):
    """The last number given out per unit and day (the pattern of dossiers' DossierCodeSequence)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="ticket_sequence")]

"""The queue of a one-stop section: its service counters, the tickets people take, and their numbering.

A ticket is its own audit record: who called it from which counter and when, who closed it and how.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit

# The lengths the services check before saving (a clear message instead of a database error).
COUNTER_NAME_MAX_LENGTH = 100
FIELD_MAX_LENGTH = 100  # a service area's name


class ServiceArea(models.Model):
    """A service area of a reception hall (khu vực, lĩnh vực): what the kiosk offers, what counters serve,
    what appointments are booked for; waits are measured, forecast and alerted per area."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="service_areas"
    )
    code = models.SlugField(_("mã khu vực"), max_length=30)
    name = models.CharField(_("tên khu vực"), max_length=FIELD_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(_("thứ tự trên máy lấy số"), default=1)
    is_active = models.BooleanField(_("đang phục vụ"), default=True)
    target_wait_minutes = models.PositiveSmallIntegerField(
        _("thời gian chờ mục tiêu (phút)"),
        default=15,
        help_text=_("Khi thời gian chờ dự kiến vượt mức này, lãnh đạo Trung tâm được cảnh báo."),
    )
    # When the last "expected wait too long" alert went out (one per episode: `queueing.measures`).
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khu vực phục vụ")
        verbose_name_plural = _("khu vực phục vụ")
        ordering = ["unit", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="service_area_code")]

    def __str__(self) -> str:
        return self.name


class ServiceCounter(models.Model):
    """A counter (quầy) of a Public Administration Service Center or a commune's one-stop section."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="service_counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(
        _("tên quầy"), max_length=COUNTER_NAME_MAX_LENGTH, help_text=_("Ví dụ: Quầy 3 – Tư pháp")
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
    areas = models.ManyToManyField(
        ServiceArea, through="CounterArea", related_name="counters", verbose_name=_("khu vực phục vụ")
    )
    # Appointments a counter takes per half-hour slot of its shifts (the booking capacity).
    bookings_per_slot = models.PositiveSmallIntegerField(_("số lịch hẹn mỗi 30 phút"), default=2)

    class Meta:
        verbose_name = _("quầy tiếp nhận")
        verbose_name_plural = _("quầy tiếp nhận")
        ordering = ["unit", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="service_counter_number")]

    def __str__(self) -> str:
        return self.name


class CounterArea(models.Model):
    """A counter serves an area, with a priority: it calls its priority-1 areas' tickets before others'."""

    counter = models.ForeignKey(ServiceCounter, on_delete=models.CASCADE, related_name="area_links")
    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="counter_links")
    priority = models.PositiveSmallIntegerField(_("thứ tự ưu tiên"), default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["counter", "area"], name="counter_area_once")]


class CounterShift(models.Model):
    """When a counter is staffed (the roster): a weekday's hours. A counter without shifts is staffed in
    office hours every working day."""

    counter = models.ForeignKey(ServiceCounter, on_delete=models.CASCADE, related_name="shifts")
    weekday = models.PositiveSmallIntegerField(_("thứ"), help_text=_("0 = thứ Hai … 4 = thứ Sáu"))
    starts = models.TimeField(_("từ"))
    ends = models.TimeField(_("đến"))

    class Meta:
        ordering = ["counter", "weekday", "starts"]


class Ticket(models.Model):
    """One queue number: issued at the kiosk, called to a counter, then served or not present.

    Bound to a person (their ID card's QR scanned, or their number typed, or their appointment): one open
    ticket per person and area a day; the counter sees who should come, the ticket shows their initials."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Đang chờ")
        CALLED = "called", _("Đã gọi")
        SERVED = "served", _("Đã phục vụ")
        NO_SHOW = "no_show", _("Vắng mặt")

    class Priority(models.TextChoices):
        NONE = "", _("Thông thường")
        BOOKED = "booked", _("Đã đặt lịch hẹn")
        ELDERLY = "elderly", _("Người cao tuổi")
        DISABLED = "disabled", _("Người khuyết tật")
        PREGNANT = "pregnant", _("Phụ nữ mang thai")

    class Identified(models.TextChoices):
        NONE = "", _("Không xác định")
        CARD_QR = "card_qr", _("Quét mã QR căn cước")
        TYPED = "typed", _("Nhập số định danh")
        BOOKING = "booking", _("Lịch hẹn trực tuyến")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    area = models.ForeignKey(
        ServiceArea,
        verbose_name=_("khu vực"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_id_number = models.CharField(_("số định danh người lấy số"), max_length=12, blank=True)
    holder_name = models.CharField(_("họ tên người lấy số"), max_length=100, blank=True)
    holder_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    identified_by = models.CharField(max_length=10, choices=Identified.choices, blank=True)
    # Taken at the kiosk where the center enables it; deleted at the end of the day (`purge_ticket_photos`).
    photo = models.FileField(upload_to="queue-photos/%Y/%m/%d/", blank=True)
    priority = models.CharField(_("ưu tiên"), max_length=10, choices=Priority.choices, blank=True)
    # A ticket transferred to one counter waits for that counter only.
    reserved_counter = models.ForeignKey(
        "ServiceCounter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transferred_at = models.DateTimeField(null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "number"], name="ticket_number"),
            # One open ticket per person and area a day.
            models.UniqueConstraint(
                fields=["area", "day", "holder_id_number"],
                condition=Q(status__in=["waiting", "called"]) & ~Q(holder_id_number=""),
                name="ticket_one_open_per_person",
            ),
        ]
        indexes = [models.Index(fields=["unit", "day", "status", "number"], name="ticket_queue")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number:04d}"

    @property
    def initials(self) -> str:
        """The holder's initials as the ticket and the board show them ("Nguyễn Văn An" → "N.V.A.")."""
        return "".join(f"{word[0].upper()}." for word in self.holder_name.split())


class Booking(models.Model):
    """An appointment booked online for a half-hour slot of an area (lịch hẹn): at the kiosk, in its time
    window, it becomes a priority ticket; a no-show releases the slot."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Đã đặt")
        CHECKED_IN = "checked_in", _("Đã lấy số")
        NO_SHOW = "no_show", _("Không đến")
        CANCELLED = "cancelled", _("Đã hủy")

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField(_("ngày hẹn"))
    slot_start = models.DateTimeField(_("giờ hẹn"))
    code = models.CharField(_("mã lịch hẹn"), max_length=16, unique=True)
    holder_id_number = models.CharField(_("số định danh"), max_length=12)
    holder_name = models.CharField(_("họ tên"), max_length=100)
    holder_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking"
    )

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["slot_start"]
        constraints = [
            # One live booking per person and area a day is enough.
            models.UniqueConstraint(
                fields=["area", "day", "holder_id_number"],
                condition=Q(status="booked"),
                name="booking_once_per_day",
            ),
        ]
        indexes = [models.Index(fields=["area", "slot_start", "status"], name="booking_slot")]


class TicketSequence(models.Model):
    """The last number given out per unit and day (the pattern of dossiers' DossierCodeSequence)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="ticket_sequence")]

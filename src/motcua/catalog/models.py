from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import TimeUnit
from motcua.core.models import OrgUnit
from motcua.core.roles import Role


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) as published in the national catalogue."""

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Cấp xã")
        PROVINCE = "province", _("Cấp tỉnh")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Trực tuyến toàn trình")
        PARTIAL = "partial", _("Trực tuyến một phần")
        NONE = "none", _("Chỉ cung cấp thông tin")

    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=200)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agency_description = models.CharField(_("cơ quan thực hiện"), max_length=500)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan chủ trì (cấp tỉnh)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Để trống với thủ tục cấp xã: xã tiếp nhận là cơ quan giải quyết."),
    )
    time_limit_amount = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=[(u.value, u.value) for u in TimeUnit], blank=True
    )
    time_limit_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    time_limit_is_demo_choice = models.BooleanField(
        _("thời hạn do dữ liệu mẫu chọn (nguồn không công bố)"), default=False
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.PARTIAL
    )
    online_level_is_demo_choice = models.BooleanField(
        _("mức độ trực tuyến do dữ liệu mẫu chọn"), default=False
    )
    partial_online_reason = models.CharField(_("lý do trực tuyến một phần"), max_length=500, blank=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    result_name = models.CharField(_("kết quả thực hiện"), max_length=500, blank=True)
    source_url = models.URLField(_("nguồn công bố"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    is_published = models.BooleanField(_("đang công khai"), default=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["level", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def has_time_limit(self) -> bool:
        return self.time_limit_amount is not None and bool(self.time_limit_unit)


class ProcedureComponent(models.Model):
    """A document the applicant provides (thành phần hồ sơ)."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Bản chính")
        CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
        COPY = "copy", _("Bản sao")
        PRESENT = "present", _("Xuất trình")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.TextField(_("tên giấy tờ"))
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    is_mandatory = models.BooleanField(_("bắt buộc"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="component_position")]

    def __str__(self) -> str:
        return self.name


class Fee(models.Model):
    """A fee (phí, lệ phí) as published, for the dossiers of one submission channel or of every channel."""

    class Channel(models.TextChoices):
        """`dossiers.models.Channel`'s values, plus ALL: the fee is due whatever the channel."""

        ALL = "all", _("Mọi hình thức nộp")
        ONLINE = "online", _("Trực tuyến")
        COUNTER = "counter", _("Trực tiếp")
        POST = "post", _("Qua bưu chính")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên phí, lệ phí"), max_length=500)
    channel = models.CharField(
        _("áp dụng cho hình thức nộp"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.ALL,
        help_text=_("Hồ sơ chỉ nộp các khoản phí của mọi hình thức và của hình thức nộp của hồ sơ."),
    )
    amount_vnd = models.PositiveBigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="fee_position")]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """One step of a procedure's process template; its duration is its share of the time limit."""

    class UnitKind(models.TextChoices):
        FIXED = "fixed", _("Đơn vị cố định")
        RECEIVING_COMMUNE = "receiving_commune", _("UBND xã tiếp nhận hồ sơ")
        COMMUNE_POLICE = "commune_police", _("Công an xã tiếp nhận hồ sơ")

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=255)
    unit_kind = models.CharField(_("đơn vị thực hiện"), max_length=20, choices=UnitKind.choices)
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("vai trò thực hiện"),
        max_length=20,
        choices=[
            (Role.SPECIALIST.value, Role.SPECIALIST.label),
            (Role.UNIT_LEADER.value, Role.UNIT_LEADER.label),
        ],
    )
    is_approval = models.BooleanField(_("bước phê duyệt của lãnh đạo"), default=False)
    duration = models.DecimalField(
        _("thời hạn của bước"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Tính theo đơn vị thời hạn của thủ tục; tổng các bước bằng thời hạn giải quyết."),
    )

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("bước quy trình")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="step_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

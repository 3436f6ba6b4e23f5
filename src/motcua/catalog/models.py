from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.calendar import TimeUnit
from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role


class ProcedureQuerySet(models.QuerySet["Procedure"]):
    def in_force(self, on: date) -> "ProcedureQuerySet":
        """The versions in force on the day `on` (local date): one per code at most (catalog.publication)."""
        return self.filter(Q(effective_from__isnull=True) | Q(effective_from__lte=on)).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on)
        )


class Procedure(models.Model):
    """One version of an administrative procedure (thủ tục hành chính) as published by the province.

    A procedure is its `code`; each decision that amends it makes a new row (`version` + 1) in force from the
    decision's effective date, the previous row closing the day before (`effective_to` is the first day it
    is no longer in force). A dossier points at the row it was received under and keeps it for life: its
    time limit, fees, components, steps and form. Lookups for a new dossier or the public go through
    `Procedure.objects.in_force(day)`; the acts that make versions are `catalog.publication`.
    """

    class Level(models.TextChoices):
        COMMUNE = "commune", _("Cấp xã")
        PROVINCE = "province", _("Cấp tỉnh")

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Trực tuyến toàn trình")
        PARTIAL = "partial", _("Trực tuyến một phần")
        NONE = "none", _("Chỉ cung cấp thông tin")

    code = models.CharField(_("mã thủ tục"), max_length=20, db_index=True)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    effective_from = models.DateField(
        _("có hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: đã có hiệu lực trước khi có hệ thống."),
    )
    effective_to = models.DateField(
        _("hết hiệu lực từ ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày đầu tiên phiên bản không còn hiệu lực (bị sửa đổi, thay thế hoặc bãi bỏ)."),
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=200)
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    agency_description = models.CharField(_("cơ quan thực hiện"), max_length=500)
    who_applies = models.TextField(_("đối tượng thực hiện"), blank=True)
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

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["level", "code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="procedure_code_version"),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="procedure_effective_range",
            ),
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.code} (v{self.version}) – {self.name}"
        return f"{self.code} – {self.name}"

    def is_in_force(self, on: date) -> bool:
        """Whether this version is in force on the day `on` (the test of `ProcedureQuerySet.in_force`)."""
        started = self.effective_from is None or self.effective_from <= on
        return started and (self.effective_to is None or self.effective_to > on)

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
    # Consecutive steps with the same group number run at once (liên thông song song): the dossier goes to
    # all their units together, each with its own share of the time limit, and the group ends when all end.
    parallel_group = models.PositiveSmallIntegerField(
        _("nhóm xử lý song song"),
        null=True,
        blank=True,
        help_text=_("Các bước liền nhau có cùng số nhóm được xử lý đồng thời; để trống: xử lý tuần tự."),
    )
    duration = models.DecimalField(
        _("thời hạn của bước"),
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "Tính theo đơn vị thời hạn của thủ tục; tổng các bước (mỗi nhóm song song tính bước dài nhất) "
            "bằng thời hạn giải quyết."
        ),
    )

    class Meta:
        verbose_name = _("bước quy trình")
        verbose_name_plural = _("bước quy trình")
        ordering = ["procedure", "position"]
        constraints = [models.UniqueConstraint(fields=["procedure", "position"], name="step_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class PublicationDecision(models.Model):
    """A decision of the province's chairman announcing, amending, replacing or abolishing procedures
    (quyết định công bố thủ tục hành chính). Its dates feed Decision 766 indicators 1.1 and 1.2."""

    number = models.CharField(_("số quyết định"), max_length=100, unique=True)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=255)
    effective_on = models.DateField(_("ngày có hiệu lực"))
    legal_basis_effective_on = models.DateField(
        _("ngày có hiệu lực của văn bản quy định thủ tục"),
        null=True,
        blank=True,
        help_text=_("Chỉ số 1.1: quyết định ký trước ngày này ít nhất 5 ngày làm việc."),
    )
    national_db_published_on = models.DateField(
        _("ngày công khai trên CSDL quốc gia"),
        null=True,
        blank=True,
        help_text=_("Chỉ số 1.2: trong 5 ngày làm việc từ ngày ký; trống khi chưa công khai."),
    )
    document = models.FileField(_("văn bản quyết định"), upload_to="catalog/decisions/%Y/", blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("người nhập"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định công bố thủ tục")
        verbose_name_plural = _("quyết định công bố thủ tục")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_on__gte=models.F("signed_on")), name="decision_effective_after_signing"
            )
        ]

    def __str__(self) -> str:
        return self.number


class DecisionItem(models.Model):
    """One procedure a decision announces, amends, replaces or abolishes: the version row it created (or,
    for an abolition, closed) and the one it amends or replaces."""

    class Kind(models.TextChoices):
        ANNOUNCE = "announce", _("Công bố mới")
        AMEND = "amend", _("Sửa đổi, bổ sung")
        REPLACE = "replace", _("Thay thế")
        ABOLISH = "abolish", _("Bãi bỏ")

    decision = models.ForeignKey(PublicationDecision, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục (phiên bản)"),
        on_delete=models.PROTECT,
        related_name="decision_items",
    )
    previous = models.ForeignKey(
        Procedure,
        verbose_name=_("phiên bản được sửa đổi, thay thế"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("thủ tục trong quyết định")
        verbose_name_plural = _("thủ tục trong quyết định")
        ordering = ["decision", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.procedure}"

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.roles import Role

citizen_id_validator = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))
tax_code_validator = RegexValidator(r"^\d{10}(-\d{3})?$", _("Mã số thuế gồm 10 chữ số (hoặc 10-3 chữ số)."))
unit_code_validator = RegexValidator(
    r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$",
    _("Mã đơn vị theo chuẩn V1V2V3.Z1Z2.Y1Y2.MX1X2 (Thông tư 10/2016/TT-BTTTT), ví dụ 000.00.12.H40."),
)

UNIT_UNDER_ITSELF = _("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")


class OrgUnit(models.Model):
    """A unit of the province: the province itself, its departments and centers, its communes."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CENTER = "center", _("Trung tâm Phục vụ hành chính công")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        SUB_UNIT = "sub_unit", _("Đơn vị trực thuộc")
        COMMUNE = "commune", _("Xã, phường")
        COMMUNE_POLICE = "commune_police", _("Công an xã, phường")

    code = models.CharField(_("mã đơn vị"), max_length=20, unique=True, validators=[unit_code_validator])
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    ward_code = models.PositiveIntegerField(_("mã xã/phường (danh mục hành chính)"), null=True, blank=True)
    # Materialised path of primary keys ("/1/7/"), so a unit's subtree is one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, keeping `path` right: a unit given another parent moves with its whole subtree, in one
        transaction (every scope check is a prefix query on `path`)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "parent" not in update_fields:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # Lock the unit and its new parent: two moves of one branch at once run one after the other.
            rows = {
                u.pk: u.path
                for u in OrgUnit.objects.select_for_update().filter(pk__in=[self.pk, self.parent_id])
            }
            old_path = rows.get(self.pk, "")
            parent_path = "/" if self.parent_id is None else rows[self.parent_id]
            if old_path and parent_path.startswith(old_path):
                raise ValidationError({"parent": UNIT_UNDER_ITSELF})
            super().save(*args, **kwargs)
            path = f"{parent_path}{self.pk}/"
            if path != old_path:
                OrgUnit.objects.filter(pk=self.pk).update(path=path)
                if old_path:
                    OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(
                            Value(path), Substr("path", len(old_path) + 1), output_field=models.CharField()
                        )
                    )
            self.path = path

    def clean(self) -> None:
        if self.pk and self.parent_id and self.subtree().filter(pk=self.parent_id).exists():
            raise ValidationError({"parent": UNIT_UNDER_ITSELF})

    def subtree(self) -> models.QuerySet["OrgUnit"]:
        return OrgUnit.objects.filter(path__startswith=self.path)


class IdentityMethod(models.TextChoices):
    COUNTER = "counter", _("Cán bộ Một cửa kiểm tra CCCD tại quầy")
    POPULATION_DB = "population_db", _("Đối chiếu Cơ sở dữ liệu quốc gia về dân cư")
    VNEID = "vneid", _("Đăng nhập định danh điện tử VNeID mức 2")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    citizen_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, blank=True, validators=[citizen_id_validator]
    )
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    job_title = models.CharField(_("chức danh"), max_length=100, blank=True)
    # Identity. The number typed at registration is only declared; it is verified by an officer who saw
    # the ID card at a counter, by the national population database (number + full name + date of birth),
    # or by a national e-identity (VNeID level 2) login. Nothing from the e-data store is shown, attached
    # or reused for an account until then (see core.identity).
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    identity_verified_at = models.DateTimeField(_("thời điểm xác thực danh tính"), null=True, blank=True)
    identity_method = models.CharField(
        _("cách xác thực danh tính"), max_length=20, choices=IdentityMethod.choices, blank=True
    )
    identity_verified_by = models.ForeignKey(
        "self",
        verbose_name=_("cán bộ xác thực danh tính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # One identity, one account: a declared number may be typed by two people, a verified one
            # belongs to one citizen account only.
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=models.Q(role="citizen", identity_verified_at__isnull=False)
                & ~models.Q(citizen_id=""),
                name="core_user_unique_verified_citizen_id",
            ),
        ]

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name.
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class CalendarException(models.Model):
    """A province-configured change to the national working-day calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ bổ sung")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")
        NOT_A_HOLIDAY = "not_a_holiday", _("Bỏ ngày nghỉ lễ")

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("lý do / văn bản"), max_length=255)

    class Meta:
        verbose_name = _("ngày nghỉ/làm bù của tỉnh")
        verbose_name_plural = _("ngày nghỉ/làm bù của tỉnh")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"


class ConfigChange(models.Model):
    """One add, change or delete of configuration in the admin (procedures and their time limits, steps
    and fees, the calendar, units, users' roles and units, counters), with the values before and after.

    `changes` is {field: [old, new]}: raw values as stored (a foreign key's id, a list of ids for a
    many-to-many), a password only as "***". Written by `core.admin.ConfigAuditMixin` in the admin's own
    transaction; never edited.
    """

    class Action(models.TextChoices):
        ADD = "add", _("Thêm")
        CHANGE = "change", _("Sửa")
        DELETE = "delete", _("Xóa")

    model = models.CharField(_("loại cấu hình"), max_length=100)  # "catalog.procedure"
    object_id = models.CharField(_("mã bản ghi"), max_length=64)
    object_repr = models.CharField(_("bản ghi"), max_length=255)
    # The record an inline row belongs to (a fee or step of a procedure); empty for the record itself.
    parent_model = models.CharField(_("thuộc loại"), max_length=100, blank=True)
    parent_id = models.CharField(_("thuộc bản ghi"), max_length=64, blank=True)
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("thay đổi (cũ, mới)"), default=dict)
    actor = models.ForeignKey(
        User, verbose_name=_("người thực hiện"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("tên đăng nhập người thực hiện"), max_length=150)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("thay đổi cấu hình")
        verbose_name_plural = _("nhật ký thay đổi cấu hình")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="core_configchange_object"),
            models.Index(fields=["parent_model", "parent_id"], name="core_configchange_parent"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"


class RateCounter(models.Model):
    """A fixed-window hit counter of the rate limits (`core.ratelimit`) when no Redis is configured: one
    row per key, counted in one statement shared by every worker."""

    key = models.CharField(max_length=250, unique=True)
    window_ends_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)


class ZaloConsent(models.Model):
    """The citizen's consent to be told about their dossiers through the Center's Zalo Official Account,
    given or withdrawn on their portal account: dated rows, the latest one decides (`core.consent`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="zalo_consents",
        verbose_name=_("tài khoản"),
    )
    given = models.BooleanField(_("đồng ý nhận thông báo qua Zalo"))
    # The number whose Zalo account receives the messages (as the citizen confirmed it when consenting).
    phone = models.CharField(_("số điện thoại Zalo"), max_length=15, blank=True)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("đồng ý nhận thông báo qua Zalo")
        verbose_name_plural = _("đồng ý nhận thông báo qua Zalo")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {'+' if self.given else '-'} {self.at:%Y-%m-%d %H:%M}"

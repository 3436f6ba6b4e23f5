from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.dossiers.models import Dossier


class DeclarationForm(models.Model):
    """One version of a procedure version's declaration form (tờ khai) as data: its questions
    (`eforms.schema`), the legal form it follows, and the component it stands for.

    A procedure version is a `Procedure` row; a change of the form makes a new `DeclarationForm` row
    (`version` + 1) and the previous one stays, so a dossier keeps the form it was submitted with. At most
    one version per procedure row is active: the one asked online."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="declaration_forms"
    )
    version = models.PositiveIntegerField(_("phiên bản tờ khai"), default=1)
    schema = models.JSONField(_("cấu trúc tờ khai"))
    legal_form = models.CharField(
        _("mẫu theo văn bản"),
        max_length=500,
        help_text=_("Ví dụ: Mẫu Tờ khai đăng ký khai sinh — Thông tư 04/2024/TT-BTP."),
    )
    component = models.ForeignKey(
        ProcedureComponent,
        verbose_name=_("thành phần hồ sơ là tờ khai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Tệp PDF tạo từ tờ khai trực tuyến là tệp của thành phần này."),
    )
    replaces = models.ManyToManyField(
        ProcedureComponent,
        verbose_name=_("thành phần khác không cần nộp khi khai trực tuyến"),
        blank=True,
        related_name="+",
        help_text=_("Ví dụ: tờ khai giấy dùng khi nộp trực tiếp."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("tờ khai điện tử")
        verbose_name_plural = _("tờ khai điện tử")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="declaration_form_version"),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(is_active=True), name="declaration_form_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} – {self.legal_form} (v{self.version})"


class DossierDeclaration(models.Model):
    """The answers of a dossier's declaration, as data, with the form version they answer."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="declaration")
    form = models.ForeignKey(DeclarationForm, on_delete=models.PROTECT, related_name="declarations")
    answers = models.JSONField(_("câu trả lời"))
    prefilled = models.JSONField(_("câu trả lời điền sẵn từ dữ liệu nhà nước"), default=list, blank=True)
    search_text = models.CharField(_("nội dung tìm kiếm"), max_length=1000, blank=True, db_index=True)
    summary = models.CharField(_("tóm tắt"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tờ khai của hồ sơ")
        verbose_name_plural = _("tờ khai của hồ sơ")

    def __str__(self) -> str:
        return str(self.dossier_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "form_version": self.form.version,
            "legal_form": self.form.legal_form,
            "answers": self.answers,
        }

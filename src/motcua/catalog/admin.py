"""Catalogue configuration in the admin: a procedure (one version) with its components, fees and process
template; the publication decisions that make the versions (catalog.publication)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import publication, selectors
from motcua.catalog.fees import check_fee_channel
from motcua.catalog.models import (
    DecisionItem,
    Fee,
    Procedure,
    ProcedureComponent,
    ProcessStep,
    PublicationDecision,
)
from motcua.core.admin import ConfigAuditMixin
from motcua.core.errors import ValidationFailed
from motcua.core.models import User


class ComponentInline(admin.TabularInline):
    model = ProcedureComponent
    extra = 0
    fields = ["position", "name", "form", "count", "is_mandatory", "note"]


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["position", "name", "channel", "amount_vnd", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("channel"):
            try:
                # In the procedure's inline the parent is set, with the online level being saved.
                procedure = getattr(self.instance, "procedure", None)
                check_fee_channel(name=data["name"], channel=data["channel"], procedure=procedure)
            except ValidationError as error:
                self.add_error("channel", error)
        return data


class FeeInline(admin.TabularInline):
    model = Fee
    form = FeeForm
    extra = 0
    fields = ["position", "name", "channel", "amount_vnd", "note"]


class StepInline(admin.TabularInline):
    model = ProcessStep
    extra = 0
    fields = ["position", "name", "unit_kind", "unit", "role", "is_approval", "parallel_group", "duration"]
    autocomplete_fields = ["unit"]


@admin.register(Procedure)
class ProcedureAdmin(ConfigAuditMixin, admin.ModelAdmin):  # with its inlines' rows
    list_display = [
        "code",
        "version",
        "name",
        "level",
        "field",
        "time_limit",
        "online_level",
        "effective_from",
        "effective_to",
        "is_published",
    ]
    list_display_links = ["code", "name"]
    list_filter = [
        "level",
        "online_level",
        "is_published",
        "time_limit_is_demo_choice",
        ("effective_to", admin.EmptyFieldListFilter),
        "field",
    ]
    # Versions are made by publication decisions, not edited by hand.
    readonly_fields = ["version", "effective_from", "effective_to"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["responsible_unit"]
    autocomplete_fields = ["responsible_unit"]
    inlines = [ComponentInline, FeeInline, StepInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "field", "level", "is_published"]}),
        (_("Phiên bản"), {"fields": ["version", "effective_from", "effective_to"]}),
        (_("Cơ quan, đối tượng"), {"fields": ["agency_description", "responsible_unit", "who_applies"]}),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": [
                    "time_limit_amount",
                    "time_limit_unit",
                    "time_limit_note",
                    "time_limit_is_demo_choice",
                ]
            },
        ),
        (
            _("Dịch vụ công trực tuyến"),
            {"fields": ["online_level", "partial_online_reason", "online_level_is_demo_choice"]},
        ),
        (_("Kết quả, căn cứ, nguồn"), {"fields": ["result_name", "legal_basis", "source_url", "notes"]}),
    ]

    @admin.display(description=_("thời hạn giải quyết"))
    def time_limit(self, obj: Procedure) -> str:
        return selectors.time_limit_text(obj)


# --- publication decisions ---------------------------------------------------------------------------


class DecisionItemInline(admin.TabularInline):
    """What the decision did, as the services recorded it: read only."""

    model = DecisionItem
    fk_name = "decision"
    extra = 0
    fields = readonly_fields = ("kind", "procedure", "previous")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _DryRun(Exception):
    pass


class PublicationDecisionForm(forms.ModelForm):
    """The decision's fields, and the procedures it amends or abolishes by code (one a line). Announcing
    and replacing take a whole procedure's data: the catalogue import applies those."""

    ACTS = [
        ("", "—"),
        (DecisionItem.Kind.AMEND, _("Sửa đổi, bổ sung (tạo phiên bản mới để sửa)")),
        (DecisionItem.Kind.ABOLISH, _("Bãi bỏ")),
    ]
    act = forms.ChoiceField(label=_("Thao tác với các thủ tục"), choices=ACTS, required=False)
    codes = forms.CharField(
        label=_("Mã thủ tục"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một mã. Sửa đổi: hệ thống tạo phiên bản mới có hiệu lực từ ngày hiệu lực của quyết "
            "định; sửa nội dung phiên bản mới trong danh mục thủ tục."
        ),
    )

    class Meta:
        model = PublicationDecision
        fields = [
            "number",
            "signed_on",
            "signer",
            "effective_on",
            "legal_basis_effective_on",
            "national_db_published_on",
            "document",
            "notes",
        ]

    def changes(self) -> list[publication.Change]:
        kind = self.cleaned_data.get("act") or ""
        codes = [c.strip() for c in (self.cleaned_data.get("codes") or "").splitlines() if c.strip()]
        return [publication.Change(code=code, kind=kind) for code in codes] if kind else []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signed, effective = data.get("signed_on"), data.get("effective_on")
        if signed and effective and effective < signed:
            self.add_error("effective_on", _("Ngày có hiệu lực không thể trước ngày ký quyết định."))
        published = data.get("national_db_published_on")
        if signed and published and published < signed:
            self.add_error(
                "national_db_published_on", _("Ngày công khai không thể trước ngày ký quyết định.")
            )
        if (data.get("codes") or "").strip() and not data.get("act"):
            self.add_error("act", _("Chọn thao tác với các thủ tục đã nhập mã."))
        if self.errors or not self.changes():
            return data
        try:  # the acts' own guards, on a copy that is rolled back
            with transaction.atomic():
                decision = self.instance if self.instance.pk else self._unsaved(data)
                for name in ("signed_on", "effective_on"):
                    setattr(decision, name, data[name])
                publication.apply_changes(decision=decision, changes=self.changes())
                raise _DryRun
        except (_DryRun, IntegrityError):  # IntegrityError: a number already used, reported by the form
            pass
        except ValidationFailed as error:
            self.add_error("codes", str(error.message))
        return data

    def _unsaved(self, data: dict[str, Any]) -> PublicationDecision:
        decision = PublicationDecision(
            **{k: data.get(k) for k in ("number", "signed_on", "signer", "effective_on")}
        )
        decision.save()
        return decision


@admin.register(PublicationDecision)
class PublicationDecisionAdmin(ConfigAuditMixin, admin.ModelAdmin):
    form = PublicationDecisionForm
    list_display = ["number", "signed_on", "signer", "effective_on", "national_db_published_on", "n_items"]
    search_fields = ["number", "signer"]
    date_hierarchy = "signed_on"
    inlines = [DecisionItemInline]
    fieldsets = [
        (None, {"fields": ["number", "signed_on", "signer", "effective_on", "document", "notes"]}),
        (
            _("Chỉ số 1.1, 1.2 (Quyết định 766)"),
            {"fields": ["legal_basis_effective_on", "national_db_published_on"]},
        ),
        (_("Thủ tục trong quyết định"), {"fields": ["act", "codes"]}),
    ]

    @admin.display(description=_("số thủ tục"))
    def n_items(self, obj: PublicationDecision) -> int:
        return obj.items.count()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = request.user
        assert isinstance(user, User)  # the admin site lets staff users only in
        if not change:
            obj.created_by = user
        super().save_model(request, obj, form, change)
        changes = form.changes()
        if changes:
            publication.apply_changes(
                decision=obj, changes=changes, acting_user=user, today=timezone.localdate()
            )

"""Catalogue configuration in the admin: a procedure with its components, fees and process template."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors
from motcua.catalog.fees import check_fee_channel
from motcua.catalog.models import Fee, Procedure, ProcedureComponent, ProcessStep
from motcua.core.admin import ConfigAuditMixin


class ComponentInline(admin.TabularInline):
    model = ProcedureComponent
    extra = 0
    fields = ["position", "name", "form", "count", "is_mandatory", "note"]


class FeeForm(forms.ModelForm):
    class Meta:
        model = Fee
        fields = ["position", "name", "channel", "amount_vnd", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
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
    fields = ["position", "name", "unit_kind", "unit", "role", "is_approval", "duration"]
    autocomplete_fields = ["unit"]


@admin.register(Procedure)
class ProcedureAdmin(ConfigAuditMixin, admin.ModelAdmin):  # with its inlines' rows
    list_display = ["code", "name", "level", "field", "time_limit", "online_level", "is_published"]
    list_display_links = ["code", "name"]
    list_filter = ["level", "online_level", "is_published", "time_limit_is_demo_choice", "field"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["responsible_unit"]
    autocomplete_fields = ["responsible_unit"]
    inlines = [ComponentInline, FeeInline, StepInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "name_en", "field", "level", "is_published"]}),
        (_("Cơ quan"), {"fields": ["agency_description", "responsible_unit"]}),
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

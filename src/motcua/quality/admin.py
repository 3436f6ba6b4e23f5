"""Decision 766 thresholds per year in the admin: one row per (year, indicator), 0 < T ≤ 1.

Edits are kept in the admin's history (who, when, what changed); the indicator page says which year's
threshold each score used."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.core.numbers import percent
from motcua.quality.decision766 import INDICATORS
from motcua.quality.models import IndicatorThreshold

BY_ID = {ind.id: ind for ind in INDICATORS}


def indicator_choices() -> list[tuple[str, str]]:
    """The scored indicators, named as the Decision does ("4.2 … (mã 5.2)")."""
    return [
        (ind.id, _("%(ref)s %(name)s (mã %(id)s)") % {"ref": ind.reference, "name": ind.name, "id": ind.id})
        for ind in INDICATORS
        if ind.threshold is not None
    ]


class IndicatorThresholdForm(forms.ModelForm):
    indicator_id = forms.ChoiceField(label=_("Chỉ số"), choices=indicator_choices)

    class Meta:
        model = IndicatorThreshold
        fields = ["year", "indicator_id", "threshold"]
        localized_fields = ["threshold"]  # "0,8" as well as "0.8"

    def clean_threshold(self) -> Decimal:
        value: Decimal = self.cleaned_data["threshold"]
        if not 0 < value <= 1:
            raise ValidationError(
                _(
                    "Ngưỡng %(value)s không hợp lệ: ngưỡng T là tỷ lệ, phải lớn hơn 0 và không quá 1 "
                    "(ví dụ 0,8 là 80 %%; 1 là 100 %%)."
                ),
                code="threshold_range",
                params={"value": str(value).replace(".", ",")},
            )
        return value


@admin.register(IndicatorThreshold)
class IndicatorThresholdAdmin(admin.ModelAdmin):
    form = IndicatorThresholdForm
    list_display = ["year", "reference", "indicator", "threshold_percent"]
    list_display_links = ["year", "reference"]
    list_filter = ["year"]
    ordering = ["-year", "indicator_id"]

    @admin.display(description=_("Số hiệu theo Quyết định 766"), ordering="indicator_id")
    def reference(self, obj: IndicatorThreshold) -> str:
        ind = BY_ID.get(obj.indicator_id)
        return ind.reference if ind else "?"

    @admin.display(description=_("Chỉ số"))
    def indicator(self, obj: IndicatorThreshold) -> str:
        ind = BY_ID.get(obj.indicator_id)
        if ind is None:
            return obj.indicator_id
        return _("%(name)s (mã %(id)s)") % {"name": ind.name, "id": ind.id}

    @admin.display(description=_("Ngưỡng T"), ordering="threshold")
    def threshold_percent(self, obj: IndicatorThreshold) -> str:
        return percent(obj.threshold)

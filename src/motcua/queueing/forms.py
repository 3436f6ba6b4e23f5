"""The center administrator's counter form (the choices limited to what they manage; services check)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit, User
from motcua.queueing import selectors
from motcua.queueing.models import ServiceCounter

if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:  # ModelChoiceField is generic only in the stubs
    _UserChoiceField = forms.ModelChoiceField


class OfficerChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.org_unit})"


class CounterForm(forms.Form):
    unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    number = forms.IntegerField(label=_("Số quầy"), min_value=1, max_value=999)
    name = forms.CharField(
        label=_("Tên quầy"),
        max_length=ServiceCounter._meta.get_field("name").max_length,
        help_text=_("Ví dụ: Quầy 3 – Tư pháp"),
    )
    field = forms.CharField(
        label=_("Lĩnh vực phục vụ"),
        required=False,
        max_length=ServiceCounter._meta.get_field("field").max_length,
        help_text=_("Hiện trên máy lấy số để người dân chọn; để trống nếu quầy nhận mọi lĩnh vực."),
    )
    is_open = forms.BooleanField(label=_("Đang mở"), required=False, initial=True)
    officer = OfficerChoiceField(
        label=_("Cán bộ tại quầy"), queryset=None, required=False, empty_label=_("(chưa phân công)")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        units, officers = self.fields["unit"], self.fields["officer"]  # this form's copies of the fields
        assert isinstance(units, forms.ModelChoiceField) and isinstance(officers, OfficerChoiceField)
        units.queryset = selectors.manageable_units(user)
        officers.queryset = selectors.counter_officers(user).select_related("org_unit")

    @classmethod
    def initial_of(cls, counter: ServiceCounter) -> dict[str, int | str | bool | None]:
        return {
            "unit": counter.unit_id,
            "number": counter.number,
            "name": counter.name,
            "field": counter.field,
            "is_open": counter.is_open,
            "officer": counter.officer_id,
        }

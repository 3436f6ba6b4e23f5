"""The center administrator's counter form (the choices limited to what they manage; services check)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit, User
from motcua.queueing import selectors
from motcua.queueing.models import ServiceArea, ServiceCounter

if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
    _AreasChoiceField = forms.ModelMultipleChoiceField[ServiceArea]
else:  # ModelChoiceField is generic only in the stubs
    _UserChoiceField = forms.ModelChoiceField
    _AreasChoiceField = forms.ModelMultipleChoiceField


class OfficerChoiceField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.org_unit})"


class AreasChoiceField(_AreasChoiceField):
    def label_from_instance(self, obj: ServiceArea) -> str:
        return f"{obj.name} ({obj.unit})"


class CounterForm(forms.Form):
    unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    number = forms.IntegerField(label=_("Số quầy"), min_value=1, max_value=999)
    name = forms.CharField(
        label=_("Tên quầy"),
        max_length=ServiceCounter._meta.get_field("name").max_length,
        help_text=_("Ví dụ: Quầy 3 – Tư pháp"),
    )
    areas = AreasChoiceField(
        label=_("Khu vực phục vụ trước"),
        queryset=None,
        required=False,
        help_text=_("Quầy gọi số của các khu vực này trước."),
    )
    later_areas = AreasChoiceField(
        label=_("Khu vực phục vụ khi rảnh"),
        queryset=None,
        required=False,
        help_text=_("Quầy gọi số của các khu vực này khi các khu vực trên không còn ai chờ."),
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
        for name in ("areas", "later_areas"):
            choice = self.fields[name]
            assert isinstance(choice, forms.ModelMultipleChoiceField)
            choice.queryset = ServiceArea.objects.filter(
                unit__in=units.queryset, is_active=True
            ).select_related("unit")
        officers.queryset = selectors.counter_officers(user).select_related("org_unit")

    @classmethod
    def initial_of(cls, counter: ServiceCounter) -> dict[str, object]:
        links = list(counter.area_links.all())
        return {
            "unit": counter.unit_id,
            "number": counter.number,
            "name": counter.name,
            "areas": [link.area_id for link in links if link.priority == 1],
            "later_areas": [link.area_id for link in links if link.priority != 1],
            "is_open": counter.is_open,
            "officer": counter.officer_id,
        }


class KioskForm(forms.Form):
    """Who the ticket is for: the ID card's QR text, or the ID number and name typed (identity checks)."""

    qr = forms.CharField(label=_("Mã QR trên thẻ căn cước"), required=False, max_length=500)
    id_number = forms.CharField(label=_("Số định danh cá nhân (12 số)"), required=False, max_length=20)
    name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    birth_date = forms.DateField(
        label=_("Ngày sinh (không bắt buộc)"),
        required=False,
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": _("Ngày sinh phải theo dạng ngày/tháng/năm, ví dụ 15/03/1960.")},
    )
    priority = forms.CharField(required=False, max_length=10)
    photo = forms.FileField(required=False)

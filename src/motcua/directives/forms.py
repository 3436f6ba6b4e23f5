"""The forms of the directive pages: a unit's report, and the coordinator's review."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core.forms import FilesField
from motcua.core.models import OrgUnit
from motcua.directives.models import Progress, Recurrence, Target


def parse_figures(text: str) -> list[tuple[str, str]]:
    """One figure a line, "name: number" (the number after the last colon); blank lines skipped. The
    service checks each number."""
    figures = []
    for line in text.splitlines():
        if not line.strip():
            continue
        label, colon, value = line.rpartition(":")
        figures.append((label.strip(), value.strip()) if colon else (line.strip(), ""))
    return figures


def figures_text(figures: list[list[str]]) -> str:
    return "\n".join(f"{label}: {str(Decimal(value)).replace('.', ',')}" for label, value in figures)


class ReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    progress = forms.ChoiceField(
        label=_("Tiến độ thực hiện"), choices=Progress.choices, widget=forms.RadioSelect
    )
    content = forms.CharField(
        label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    figures = forms.CharField(
        label=_("Số liệu (mỗi dòng một số liệu: tên: giá trị)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Ví dụ: Tỷ lệ hồ sơ đúng hạn (%): 97,5"),
    )
    attachments = FilesField(label=_("Tệp đính kèm (PDF, JPEG, PNG)"), required=False)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accept", _("Chấp nhận")), ("return", _("Trả lại để hoàn thiện"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "size": 10}),
    )


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=50)
    signed_on = _date(_("Ngày ký (dd/mm/yyyy)"))
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=255, initial="Ủy ban nhân dân tỉnh Nghệ An"
    )
    title = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.FileField(label=_("Văn bản đã ký (PDF)"), required=False)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500, required=False)
    target = forms.ChoiceField(label=_("Giao cho"), choices=Target.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị (khi giao cho các đơn vị được chọn)"),
        queryset=OrgUnit.objects.filter(is_active=True).order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    recurrence = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=Recurrence.choices, initial=Recurrence.QUARTERLY
    )
    deadline = _date(_("Hạn hoàn thành (nhiệm vụ một lần)"), required=False)
    starts_on = _date(_("Báo cáo từ ngày (nhiệm vụ định kỳ)"), required=False)
    ends_on = _date(_("Báo cáo đến ngày"), required=False)
    report_days = forms.IntegerField(
        label=_("Số ngày gửi báo cáo sau ngày chốt số liệu (ngày 14)"), min_value=0, max_value=60, initial=5
    )

    def has_changed(self) -> bool:
        """A row without a task's title is an empty row, whatever its other fields say."""
        return bool(str(self.data.get(self.add_prefix("title"), "")).strip())


TaskFormSet = forms.formset_factory(TaskForm, extra=5, max_num=30)

"""The forms of the directive pages: a unit's report, and the coordinator's review."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.directives.models import Progress


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _FilesField(forms.FileField):
    """Several PDF, JPEG or PNG files (checked by `documents.storage` when stored)."""

    widget = _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(_FilesField, self).clean(f, initial) for f in files]


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
    attachments = _FilesField(label=_("Tệp đính kèm (PDF, JPEG, PNG)"), required=False)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accept", _("Chấp nhận")), ("return", _("Trả lại để hoàn thiện"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do trả lại"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )

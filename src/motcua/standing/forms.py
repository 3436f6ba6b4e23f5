"""The entry page's forms: a year's figures of one index, a workbook to import, a target."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.standing.components import COMPONENTS, SCALE, Index
from motcua.standing.inputs import FIRST_YEAR, LAST_YEAR, ComponentFigures, Source, StandingFigures
from motcua.standing.models import Standing

MAX_UPLOAD = 5 * 1024 * 1024


class SourceFields(forms.Form):
    source_title = forms.CharField(label=_("Nguồn (ấn phẩm, bài công bố)"), max_length=300, required=False)
    source_url = forms.URLField(
        label=_("Đường dẫn nguồn"), max_length=500, required=False, assume_scheme="https"
    )
    sample = forms.BooleanField(label=_("Số liệu mẫu (chưa tìm thấy nguồn)"), required=False)

    def source(self) -> Source:
        d = self.cleaned_data
        return Source(d.get("source_title") or "", d.get("source_url") or "", bool(d.get("sample")))


class StandingForm(SourceFields):
    year = forms.IntegerField(label=_("Năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    score = forms.DecimalField(label=_("Điểm"), required=False, min_value=0, max_digits=8, decimal_places=4)
    max_score = forms.DecimalField(label=_("Điểm tối đa"), min_value=0, max_digits=8, decimal_places=4)
    rank = forms.IntegerField(label=_("Xếp hạng"), required=False, min_value=1, max_value=100)
    ranked_out_of = forms.IntegerField(
        label=_("Trên tổng số tỉnh"), required=False, min_value=1, max_value=100
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, index: str, standing: Standing | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.index = index
        self.fields["max_score"].initial = SCALE[Index(index)]
        scores = {c.code: c for c in standing.components.all()} if standing else {}
        for c in COMPONENTS[index]:
            known = scores.get(c.code)
            self.fields[f"c_{c.code}"] = forms.DecimalField(
                label=c.name,
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=4,
                initial=known.score if known else None,
            )
            self.fields[f"m_{c.code}"] = forms.DecimalField(
                label=_("Điểm tối đa"),
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=4,
                initial=known.max_score if known else c.maximum,
            )
        if standing is not None:
            for name in (
                "year",
                "score",
                "max_score",
                "rank",
                "ranked_out_of",
                "note",
                "source_title",
                "source_url",
                "sample",
            ):
                self.fields[name].initial = getattr(standing, name)

    def component_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"c_{c.code}"], self[f"m_{c.code}"]) for c in COMPONENTS[self.index]]

    def figures(self) -> StandingFigures:
        d = self.cleaned_data
        components = tuple(
            ComponentFigures(code=c.code, score=d[f"c_{c.code}"], max_score=d[f"m_{c.code}"] or c.maximum)
            for c in COMPONENTS[self.index]
            if d.get(f"c_{c.code}") is not None
        )
        return StandingFigures(
            index=self.index,
            year=d["year"],
            score=d.get("score"),
            max_score=d["max_score"],
            rank=d.get("rank"),
            ranked_out_of=d.get("ranked_out_of"),
            source=self.source(),
            note=d.get("note") or "",
            components=components,
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp XLSX các bảng đã công bố"))

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp lớn hơn 5 MB: chia nhỏ rồi nhập từng phần."))
        return f


class TargetForm(SourceFields):
    index = forms.ChoiceField(label=_("Chỉ số"), choices=Index.choices)
    year = forms.IntegerField(label=_("Năm đạt mục tiêu"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    rank_at_most = forms.IntegerField(label=_("Trong nhóm đầu (xếp hạng tối đa)"), min_value=1, max_value=100)
    out_of = forms.IntegerField(label=_("Trên tổng số tỉnh"), min_value=1, max_value=100, initial=63)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

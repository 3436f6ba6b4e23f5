"""The province's standing in the published indices: per index and year, the total score and rank with the
number of provinces ranked that year, the component scores with their maxima, and the province's targets.

Every figure says where it comes from: a publication (title, URL) or "mẫu" (sample) when none was found.
A year's figures of one index are written and replaced together (`services.record_standing`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.standing.components import Index


class Sourced(models.Model):
    source_title = models.CharField(_("nguồn (ấn phẩm, bài công bố)"), max_length=300, blank=True)
    source_url = models.URLField(_("đường dẫn nguồn"), max_length=500, blank=True)
    sample = models.BooleanField(_("số liệu mẫu (chưa tìm thấy nguồn)"), default=False)

    class Meta:
        abstract = True


class Standing(Sourced):
    """One index's published result for the province in one year."""

    index = models.CharField(_("chỉ số"), max_length=20, choices=Index.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=4)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    # 63 provinces before the 2025 merger, 34 after: stored with each year, never assumed.
    ranked_out_of = models.PositiveSmallIntegerField(_("trên tổng số tỉnh"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả chỉ số của tỉnh")
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], name="standing_index_year"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(ranked_out_of__gte=models.F("rank")),
                name="standing_rank_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_index_display()} {self.year}"


class ComponentScore(Sourced):
    standing = models.ForeignKey(Standing, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("mã thành phần"), max_length=40)
    name = models.CharField(_("thành phần"), max_length=200)
    score = models.DecimalField(_("điểm"), max_digits=8, decimal_places=4)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=8, decimal_places=4)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)

    class Meta:
        verbose_name = _("điểm thành phần")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["standing", "code"], name="component_score_code"),
        ]


class Target(Sourced):
    """The province's target for an index: in the first `rank_at_most` of `out_of` provinces by `year`."""

    index = models.CharField(_("chỉ số"), max_length=20, choices=Index.choices)
    year = models.PositiveSmallIntegerField(_("năm đạt mục tiêu"))
    rank_at_most = models.PositiveSmallIntegerField(_("xếp hạng trong nhóm đầu"))
    out_of = models.PositiveSmallIntegerField(_("trên tổng số tỉnh"), default=63)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mục tiêu xếp hạng")
        constraints = [
            models.UniqueConstraint(fields=["index", "year"], name="target_index_year"),
            models.CheckConstraint(
                condition=Q(out_of__gte=models.F("rank_at_most")), name="target_rank_within"
            ),
        ]

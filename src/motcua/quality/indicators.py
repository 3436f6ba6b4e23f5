"""Decision 766/QĐ-TTg indicators: the table, the formulas, the thresholds and the score rule, in one place.

Score rule (DOMAIN.md): full points when the ratio R reaches the threshold T, else R × points / T.
The sub-point splits inside 3.x–6.x and the thresholds not given by DOMAIN.md are *unverified* choices,
kept in `INDICATORS` below and shown on the page. An indicator whose source data the system does not hold
yet is shown "chưa có dữ liệu" with the reason — never with a number.
"""

from dataclasses import dataclass, replace

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.quality import sources
from motcua.quality.models import DossierFact
from motcua.quality.periods import Period
from motcua.quality.selectors import Figures, Scope, statistics


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    points: float  # 0: shown, not scored
    threshold: float | None  # T as a ratio
    formula: str
    missing: str = ""  # why the system has no data for it yet ("" when computed)


NO_SYNC = _("Hệ thống chưa ghi nhận việc đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia.")
NO_FEE_SYNC = _("Hệ thống chưa ghi nhận việc đồng bộ dữ liệu phí, lệ phí của thủ tục lên Cổng DVCQG.")
NO_CERTIFIED_COPY = _("Hệ thống chưa có phân hệ chứng thực bản sao điện tử từ bản chính.")
NO_POPULATION_USE = _(
    "CSDL thủ tục chưa có danh mục thủ tục phải khai thác CSDL quốc gia về dân cư (mẫu số của chỉ số)."
)
NO_VNEID = _("Hệ thống chưa ghi nhận tài khoản xác thực qua VNeID hoặc hồ sơ dùng dữ liệu dân cư.")
NO_FEEDBACK = _("Hệ thống chưa có phân hệ tiếp nhận, xử lý phản ánh, kiến nghị.")
# Computed indicators whose denominator is empty in the period: "chưa có dữ liệu" with this reason.
NO_FEE_PROCEDURE = _("Không có thủ tục nào có phí, lệ phí công bố bằng tiền (đồng).")
NO_FEE_DOSSIER = _("Không có hồ sơ có phí, lệ phí được tiếp nhận trong kỳ.")
NO_RESULT = _("Không có hồ sơ nào có kết quả giải quyết (trạng thái 9, 10) trong kỳ.")
NO_RECEIVED = _("Không có hồ sơ nào được tiếp nhận trong kỳ.")
NO_PROCESSED = _("Không có hồ sơ nào đã giải quyết hoặc đang giải quyết trong kỳ.")
NO_PUBLICATION = _(
    "CSDL thủ tục chưa lưu ngày ban hành quyết định công bố và ngày hiệu lực của căn cứ pháp lý."
)

# id, name, points, threshold, formula, missing. Sub-point splits of 3.x–6.x: *unverified*, one table.
INDICATORS: list[Indicator] = [
    Indicator(
        "1.1",
        _("Công bố thủ tục đúng hạn"),
        6,
        1.0,
        _("TTHC công bố đúng hạn / TTHC đã công bố"),
        NO_PUBLICATION,
    ),
    Indicator(
        "1.2",
        _("Công khai thủ tục trên CSDL quốc gia đúng hạn"),
        4,
        1.0,
        _("TTHC công khai trong 5 ngày làm việc / TTHC phải công khai"),
        NO_PUBLICATION,
    ),
    Indicator(
        "1.3",
        _("Thủ tục công khai đầy đủ các bộ phận"),
        2,
        1.0,
        _(
            "TTHC có đủ các bộ phận (tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, "
            "cơ quan thực hiện) / TTHC đang công khai. Bộ phận “đối tượng thực hiện” chưa có trường "
            "trong CSDL thủ tục nên chưa kiểm tra."
        ),
    ),
    Indicator(
        "1.4",
        _("Hồ sơ đồng bộ lên Cổng DVCQG"),
        6,
        1.0,
        _(
            "Hồ sơ tiếp nhận trong kỳ đã được Cổng DVCQG nhận (DongBoHoSoMC thành công) / "
            "hồ sơ tiếp nhận trong kỳ (trực tiếp, bưu chính, trực tuyến đã tiếp nhận)"
        ),
        NO_SYNC,
    ),
    Indicator(
        "2.1",
        _("Giải quyết hồ sơ đúng hạn"),
        20,
        1.0,
        _(
            "(Hồ sơ đã giải quyết trước hạn + đúng hạn + đang giải quyết trong hạn cuối kỳ) / "
            "(hồ sơ đã giải quyết trong kỳ + đang giải quyết cuối kỳ); hồ sơ rút không tính."
        ),
    ),
    Indicator(
        "2.2",
        _("Thời gian giải quyết trung bình theo thủ tục"),
        0,
        None,
        _(
            "Tổng giờ làm việc từ tiếp nhận đến khi có kết quả / số hồ sơ đã giải quyết; "
            "hiển thị theo ngày làm việc (8 giờ), không chấm điểm"
        ),
    ),
    Indicator(
        "3.1",
        _("Thủ tục cung cấp dịch vụ công trực tuyến"),
        4,
        0.8,
        _("TTHC trực tuyến toàn trình hoặc một phần / TTHC đang công khai"),
    ),
    Indicator(
        "3.2",
        _("Dịch vụ trực tuyến có phát sinh hồ sơ"),
        4,
        1.0,
        _("TTHC trực tuyến có ≥ 1 hồ sơ trực tuyến trong kỳ / TTHC trực tuyến"),
    ),
    Indicator(
        "3.3",
        _("Tỷ lệ hồ sơ trực tuyến"),
        4,
        0.5,
        _("(Hồ sơ trực tuyến / hồ sơ tiếp nhận trong kỳ) × tỷ lệ đồng bộ DVCQG"),
        NO_SYNC,
    ),
    Indicator(
        "4.1",
        _("Thủ tục có dữ liệu phí, lệ phí được đồng bộ"),
        3,
        1.0,
        _("TTHC có phí đã đồng bộ / TTHC có phí"),
        NO_FEE_SYNC,
    ),
    Indicator(
        "4.2",
        _("Thủ tục phát sinh thanh toán trực tuyến"),
        3,
        1.0,
        _(
            "TTHC có ≥ 1 hồ sơ tiếp nhận trong kỳ đã thanh toán trực tuyến thành công / TTHC có phí, "
            "lệ phí công bố bằng tiền (đồng)"
        ),
    ),
    Indicator(
        "4.3",
        _("Hồ sơ thanh toán trực tuyến"),
        4,
        0.8,
        _(
            "Hồ sơ có phí tiếp nhận trong kỳ đã thanh toán trực tuyến thành công / hồ sơ có phí tiếp nhận "
            "trong kỳ (thủ tục có phí, lệ phí công bố bằng tiền)"
        ),
    ),
    Indicator(
        "5.1",
        _("Hồ sơ có kết quả điện tử"),
        6,
        1.0,
        _(
            "Hồ sơ có kết quả điện tử (ký số) / hồ sơ có kết quả giải quyết trong kỳ "
            "(đã xử lý xong hoặc đã trả kết quả: trạng thái 9, 10)"
        ),
    ),
    Indicator(
        "5.2",
        _("Hồ sơ số hóa đầu vào và có kết quả điện tử"),
        4,
        0.9,
        _(
            "Hồ sơ có ≥ 1 thành phần số hóa (bản quét tại quầy hoặc tải lên) và có kết quả điện tử / "
            "hồ sơ có kết quả giải quyết trong kỳ (trạng thái 9, 10)"
        ),
    ),
    Indicator(
        "5.3",
        _("Bản sao điện tử chứng thực"),
        2,
        1.0,
        _("Bản sao chứng thực điện tử / yêu cầu chứng thực"),
        NO_CERTIFIED_COPY,
    ),
    Indicator(
        "5.4",
        _("Hồ sơ tái sử dụng dữ liệu số hóa"),
        2,
        1.0,
        _(
            "Hồ sơ tiếp nhận trong kỳ có ≥ 1 thành phần tái sử dụng dữ liệu hệ thống đã có (kho dữ liệu "
            "điện tử, kết quả điện tử, CSDL quốc gia) / hồ sơ tiếp nhận trong kỳ"
        ),
    ),
    Indicator(
        "5.5",
        _("Giấy tờ lấy từ / lưu vào kho dữ liệu điện tử"),
        4,
        1.0,
        _(
            "Tính theo hồ sơ: hồ sơ tiếp nhận trong kỳ có ≥ 1 giấy tờ lấy từ kho dữ liệu điện tử hoặc có "
            "kết quả điện tử đã lưu vào kho / hồ sơ tiếp nhận trong kỳ"
        ),
    ),
    Indicator(
        "5.6",
        _("Thủ tục khai thác dữ liệu dân cư"),
        2,
        1.0,
        _("TTHC khai thác CSDL dân cư / TTHC"),
        NO_POPULATION_USE,
    ),
    Indicator(
        "5.7",
        _("Hồ sơ tài khoản VNeID hoặc dữ liệu dân cư"),
        2,
        1.0,
        _("Hồ sơ xác thực VNeID / tổng hồ sơ"),
        NO_VNEID,
    ),
    Indicator(
        "6.1",
        _("Phản ánh, kiến nghị xử lý đúng hạn"),
        6,
        1.0,
        _("Phản ánh xử lý đúng hạn / phản ánh tiếp nhận"),
        NO_FEEDBACK,
    ),
    Indicator(
        "6.2",
        _("Phản ánh giải quyết hài lòng"),
        6,
        1.0,
        _("Phản ánh được đánh giá hài lòng / phản ánh đã giải quyết"),
        NO_FEEDBACK,
    ),
    Indicator(
        "6.3",
        _("Mức độ hài lòng"),
        6,
        1.0,
        _(
            "100% − (tỷ lệ quá hạn + tỷ lệ đánh giá không hài lòng), cùng mẫu số với chỉ số 2.1 (hồ sơ đã "
            "giải quyết trong kỳ + đang giải quyết cuối kỳ): tỷ lệ quá hạn = (giải quyết trễ hạn + đang "
            "giải quyết quá hạn) / mẫu số; tỷ lệ không hài lòng = lượt đánh giá “không hài lòng” trong kỳ / "
            "mẫu số. Phản ánh, kiến nghị chưa tính (hệ thống chưa có phân hệ này)."
        ),
    ),
]


def score(ratio: float, threshold: float, points: float) -> float:
    """Full points when the ratio reaches the threshold, else ratio × points / threshold."""
    if ratio >= threshold:
        return points
    return ratio * points / threshold


@dataclass
class Result:
    indicator: Indicator
    numerator: float | None = None
    denominator: float | None = None
    score: float | None = None
    detail: list | None = None  # 2.2: per procedure (label, settled, average working days)

    @property
    def ratio(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def has_data(self) -> bool:
        return not self.indicator.missing


def scoped_procedures(unit: OrgUnit):
    """Procedures the unit answers for: all for the province and the center; a department's own; a
    commune's commune-level ones."""
    published = Procedure.objects.filter(is_published=True)
    if unit.kind in (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CENTER):
        return published
    if unit.kind == OrgUnit.Kind.COMMUNE:
        return published.filter(level=Procedure.Level.COMMUNE)
    return published.filter(responsible_unit__path__startswith=unit.path)


def compute(*, scope: Scope, period: Period) -> list[Result]:
    total = statistics(scope=scope, period=period)
    figures = total[0] if total else Figures()
    by_procedure = statistics(scope=scope, period=period, group="procedure_id")
    procedures = scoped_procedures(scope.unit)
    sync = _dvcqg_sync(scope, period)
    sourced = _sourced(scope, period, procedures, figures)
    results = []
    for ind in INDICATORS:
        r = Result(replace(ind, missing="") if sync and ind.id in ("1.4", "3.3") else ind)
        if ind.id in sourced:  # (numerator, denominator, reason shown when the denominator is 0)
            numerator, denominator, empty = sourced[ind.id]
            if denominator:
                r.numerator, r.denominator = numerator, denominator
            else:
                r = Result(replace(ind, missing=empty))
        if ind.id == "1.3":
            counted = procedures.annotate(
                n_steps=Count("steps", distinct=True), n_comp=Count("components", distinct=True)
            )
            complete = counted.filter(
                ~Q(name=""),
                ~Q(agency_description=""),
                n_steps__gt=0,
                n_comp__gt=0,
                time_limit_amount__isnull=False,
            ).exclude(time_limit_unit="")
            r.numerator, r.denominator = complete.count(), procedures.count()
        elif ind.id == "2.1":
            r.numerator = figures.early + figures.on_time + figures.in_time
            r.denominator = figures.settled + figures.in_progress
        elif ind.id == "2.2":
            r.detail = [(row.label, row.settled, row.average_days) for row in by_procedure if row.settled]
        elif ind.id == "3.1":
            online = procedures.exclude(online_level=Procedure.OnlineLevel.NONE)
            r.numerator, r.denominator = online.count(), procedures.count()
        elif ind.id == "3.2":
            online_ids = set(
                procedures.exclude(online_level=Procedure.OnlineLevel.NONE).values_list("pk", flat=True)
            )
            used = {row.key for row in by_procedure if row.received_online}
            r.numerator, r.denominator = len(online_ids & used), len(online_ids)
        elif ind.id == "1.4" and sync:
            r.numerator, r.denominator = sync
        elif ind.id == "3.3":  # online share × sync rate (the sync factor only once sync is in use)
            rate = sync[0] / sync[1] if sync and sync[1] else 1.0
            r.numerator, r.denominator = figures.received_online * rate, figures.received
        if r.has_data and ind.points and ind.threshold and r.ratio is not None:
            r.score = score(r.ratio, ind.threshold, ind.points)
        results.append(r)
    return results


def _sourced(scope: Scope, period: Period, procedures, figures: Figures) -> dict[str, tuple]:
    """Indicators 4.2, 4.3, 5.1, 5.2, 5.4, 5.5 and 6.3: id → (numerator, denominator, reason if empty)."""
    received = sources.received_counts(scope, period)
    ended = sources.result_counts(scope, period)
    processed = figures.settled + figures.in_progress  # the denominator of 2.1
    late_or_overdue = figures.late + figures.overdue
    fine = max(processed - late_or_overdue - sources.not_satisfied(scope, period), 0)
    return {
        "4.2": (*sources.payment_procedures(scope, period, procedures), NO_FEE_PROCEDURE),
        "4.3": (received.paid_online, received.fee_bearing, NO_FEE_DOSSIER),
        "5.1": (ended.e_result, ended.dossiers, NO_RESULT),
        "5.2": (ended.digitised_and_e_result, ended.dossiers, NO_RESULT),
        "5.4": (received.reusing, received.dossiers, NO_RECEIVED),
        "5.5": (received.store_linked, received.dossiers, NO_RECEIVED),
        "6.3": (fine, processed, NO_PROCESSED),
    }


def _dvcqg_sync(scope: Scope, period: Period) -> tuple[int, int] | None:
    """Indicator 1.4: (dossiers received in the period that the National Public Service Portal accepted a
    DongBoHoSoMC for, dossiers received in the period). None while sync is not in use (no call was ever
    accepted): "chưa có dữ liệu", not 0%."""
    if not apps.is_installed("motcua.interop"):
        return None
    from motcua.interop.dvcqg import selectors as dvcqg

    if not dvcqg.sync_in_use():
        return None
    received = DossierFact.objects.filter(scope.q(), received_day__range=(period.start, period.end))
    synced = received.filter(dossier_id__in=dvcqg.synced_dossier_ids())
    return synced.count(), received.count()


@dataclass
class Summary:
    score: float
    scored_points: float
    total_points: float


def summary(results: list[Result]) -> Summary:
    scored = [r for r in results if r.score is not None]
    return Summary(
        score=sum(r.score for r in scored),
        scored_points=sum(r.indicator.points for r in scored),
        total_points=sum(r.indicator.points for r in results),
    )

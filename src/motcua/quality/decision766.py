"""Decision 766/QĐ-TTg (23/06/2022) as the Decision writes it: five groups, their points, and the indicators.

Groups: 1 transparency 18, 2 progress of settlement 20, 3 online services and online payment 22,
4 digitisation 22, 5 satisfaction 18 — 100 points. The national scoreboard (Cổng DVCQG) shows group 3 as two
columns, online services 12 and online payment 10, so group 3 keeps those two lines; the others are one line.

Each indicator has a stable `id` (the key of its thresholds in the database and of `indicators.compute`; never
renumbered) and a `reference`, the Decision's "group.position", by which a province reconciles each line with
the scoreboard. The positions inside groups 3–5 follow docs/domain.md; the sub-point splits inside them
and the default thresholds (used for a year with no row in `IndicatorThreshold`) are *unverified* choices,
kept here in one table and shown on the page. An indicator whose source data the system does not hold yet has
`missing`: it is shown "chưa có dữ liệu" with that reason — never with a number.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Line:
    """A column of the national scoreboard: what a province compares its subtotal with."""

    name: str | Promise
    points: int


@dataclass(frozen=True)
class Group:
    number: int
    name: str | Promise
    points: int
    lines: tuple[Line, ...]


TRANSPARENCY = Line(_("Công khai, minh bạch"), 18)
PROGRESS = Line(_("Tiến độ giải quyết"), 20)
ONLINE = Line(_("Dịch vụ công trực tuyến"), 12)
PAYMENT = Line(_("Thanh toán trực tuyến"), 10)
DIGITISATION = Line(_("Số hóa hồ sơ"), 22)
SATISFACTION = Line(_("Mức độ hài lòng"), 18)

GROUPS: tuple[Group, ...] = (
    Group(1, _("Công khai, minh bạch"), 18, (TRANSPARENCY,)),
    Group(2, _("Tiến độ giải quyết"), 20, (PROGRESS,)),
    Group(3, _("Cung cấp dịch vụ công trực tuyến, thanh toán trực tuyến"), 22, (ONLINE, PAYMENT)),
    Group(4, _("Số hóa hồ sơ"), 22, (DIGITISATION,)),
    Group(5, _("Mức độ hài lòng"), 18, (SATISFACTION,)),
)


@dataclass(frozen=True)
class Indicator:
    id: str  # stable key (thresholds in the database, compute()); not the Decision's number
    reference: str  # the Decision's "group.position", e.g. "4.1"
    line: Line  # the scoreboard column it adds to
    name: str | Promise
    points: float  # 0: shown, not scored
    threshold: float | None  # default T as a ratio, when the database has no row for the year
    formula: str | Promise
    missing: str | Promise = ""  # why the system has no data for it yet ("" when computed)

    @property
    def group(self) -> int:
        """The Decision's group (1–5)."""
        return int(self.reference.split(".")[0])


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
NO_PUBLISHED = _("Không có quyết định công bố thủ tục nào được ký trong kỳ.")
NO_PUBLICATION_DUE = _(
    "Không có thủ tục nào đến hạn công khai trên CSDL quốc gia trong kỳ (quyết định ký trong kỳ, "
    "đã công khai hoặc đã quá 5 ngày làm việc)."
)

# id, reference, line, name, points, default threshold, formula, missing. In the Decision's order.
INDICATORS: list[Indicator] = [
    Indicator(
        "1.1",
        "1.1",
        TRANSPARENCY,
        _("Công bố thủ tục đúng hạn"),
        6,
        1.0,
        _(
            "TTHC có quyết định công bố ký trước ngày văn bản quy định thủ tục có hiệu lực ít nhất 5 ngày "
            "làm việc / TTHC được công bố (công bố mới, sửa đổi, thay thế, bãi bỏ) bằng quyết định ký trong "
            "kỳ. Quyết định chưa ghi ngày hiệu lực của văn bản quy định được tính là không đúng hạn."
        ),
    ),
    Indicator(
        "1.2",
        "1.2",
        TRANSPARENCY,
        _("Công khai thủ tục trên CSDL quốc gia đúng hạn"),
        4,
        1.0,
        _(
            "TTHC được công khai trên CSDL quốc gia trong 5 ngày làm việc kể từ ngày ký quyết định / TTHC "
            "phải công khai (quyết định ký trong kỳ, đã công khai hoặc đã quá 5 ngày làm việc)"
        ),
    ),
    Indicator(
        "1.3",
        "1.3",
        TRANSPARENCY,
        _("Thủ tục công khai đầy đủ các bộ phận"),
        2,
        1.0,
        _(
            "TTHC có đủ 7 bộ phận (tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, đối tượng thực "
            "hiện, cơ quan thực hiện) / TTHC đang công khai"
        ),
    ),
    Indicator(
        "1.4",
        "1.4",
        TRANSPARENCY,
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
        "2.1",
        PROGRESS,
        _("Giải quyết hồ sơ đúng hạn"),
        20,
        1.0,
        _(
            "(Hồ sơ đã giải quyết trước hạn + đúng hạn + đang giải quyết trong hạn + đang tạm dừng chờ "
            "bổ sung lần đầu hoặc chờ nghĩa vụ tài chính) / (hồ sơ đã giải quyết trong kỳ + đang giải quyết "
            "cuối kỳ). Hồ sơ chưa kết thúc được xét tại cuối kỳ, hoặc tại thời điểm hiện tại nếu kỳ chưa "
            "kết thúc; hồ sơ tạm dừng không bao giờ quá hạn; yêu cầu bổ sung lần thứ hai tính là trễ hạn."
        ),
    ),
    Indicator(
        "2.2",
        "2.2",
        PROGRESS,
        _("Thời gian giải quyết trung bình theo thủ tục"),
        0,
        None,
        _(
            "Tổng giờ làm việc từ tiếp nhận đến khi có kết quả, trừ thời gian tạm dừng chờ người nộp "
            "(bổ sung, nghĩa vụ tài chính) / số hồ sơ có kết quả (không tính hồ sơ từ chối giải quyết); "
            "hiển thị theo ngày làm việc (8 giờ), không chấm điểm"
        ),
    ),
    Indicator(
        "3.1",
        "3.1",
        ONLINE,
        _("Thủ tục cung cấp dịch vụ công trực tuyến"),
        4,
        0.8,
        _("TTHC trực tuyến toàn trình hoặc một phần / TTHC đang công khai"),
    ),
    Indicator(
        "3.2",
        "3.2",
        ONLINE,
        _("Dịch vụ trực tuyến có phát sinh hồ sơ"),
        4,
        1.0,
        _("TTHC trực tuyến có ≥ 1 hồ sơ trực tuyến trong kỳ / TTHC trực tuyến"),
    ),
    Indicator(
        "3.3",
        "3.3",
        ONLINE,
        _("Tỷ lệ hồ sơ trực tuyến"),
        4,
        0.5,
        _("(Hồ sơ trực tuyến / hồ sơ tiếp nhận trong kỳ) × tỷ lệ đồng bộ DVCQG"),
        NO_SYNC,
    ),
    Indicator(
        "4.1",
        "3.4",
        PAYMENT,
        _("Thủ tục có dữ liệu phí, lệ phí được đồng bộ"),
        3,
        1.0,
        _("TTHC có phí đã đồng bộ / TTHC có phí"),
        NO_FEE_SYNC,
    ),
    Indicator(
        "4.2",
        "3.5",
        PAYMENT,
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
        "3.6",
        PAYMENT,
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
        "4.1",
        DIGITISATION,
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
        "4.2",
        DIGITISATION,
        _("Hồ sơ số hóa đầu vào và có kết quả điện tử"),
        4,
        0.8,
        _(
            "Hồ sơ có ≥ 1 thành phần số hóa (bản quét tại quầy hoặc tải lên) và có kết quả điện tử / "
            "hồ sơ có kết quả giải quyết trong kỳ (trạng thái 9, 10)"
        ),
    ),
    Indicator(
        "5.3",
        "4.3",
        DIGITISATION,
        _("Bản sao điện tử chứng thực"),
        2,
        1.0,
        _("Bản sao chứng thực điện tử / yêu cầu chứng thực"),
        NO_CERTIFIED_COPY,
    ),
    Indicator(
        "5.4",
        "4.4",
        DIGITISATION,
        _("Hồ sơ tái sử dụng dữ liệu số hóa"),
        2,
        0.8,
        _(
            "Hồ sơ tiếp nhận trong kỳ có ≥ 1 thành phần tái sử dụng dữ liệu hệ thống đã có (kho dữ liệu "
            "điện tử, kết quả điện tử, CSDL quốc gia) / hồ sơ tiếp nhận trong kỳ"
        ),
    ),
    Indicator(
        "5.5",
        "4.5",
        DIGITISATION,
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
        "4.6",
        DIGITISATION,
        _("Thủ tục khai thác dữ liệu dân cư"),
        2,
        1.0,
        _("TTHC khai thác CSDL dân cư / TTHC"),
        NO_POPULATION_USE,
    ),
    Indicator(
        "5.7",
        "4.7",
        DIGITISATION,
        _("Hồ sơ tài khoản VNeID hoặc dữ liệu dân cư"),
        2,
        1.0,
        _("Hồ sơ xác thực VNeID / tổng hồ sơ"),
        NO_VNEID,
    ),
    Indicator(
        "6.1",
        "5.1",
        SATISFACTION,
        _("Phản ánh, kiến nghị xử lý đúng hạn"),
        6,
        1.0,
        _("Phản ánh xử lý đúng hạn / phản ánh tiếp nhận"),
        NO_FEEDBACK,
    ),
    Indicator(
        "6.2",
        "5.2",
        SATISFACTION,
        _("Phản ánh giải quyết hài lòng"),
        6,
        1.0,
        _("Phản ánh được đánh giá hài lòng / phản ánh đã giải quyết"),
        NO_FEEDBACK,
    ),
    Indicator(
        "6.3",
        "5.3",
        SATISFACTION,
        _("Mức độ hài lòng"),
        6,
        0.9,
        _(
            "100% − (tỷ lệ quá hạn + tỷ lệ đánh giá không hài lòng), cùng mẫu số với chỉ số 2.1 (hồ sơ đã "
            "giải quyết trong kỳ + đang giải quyết cuối kỳ): tỷ lệ quá hạn = (giải quyết trễ hạn + đang "
            "giải quyết quá hạn + tạm dừng sau yêu cầu bổ sung lần hai) / mẫu số; tỷ lệ không hài lòng = "
            "lượt đánh giá “không hài lòng” trong kỳ / "
            "mẫu số. Phản ánh, kiến nghị chưa tính (hệ thống chưa có phân hệ này)."
        ),
    ),
]

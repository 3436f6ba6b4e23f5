"""The three published indices, their components as published, and which of them the dossier data measures.

- PAR Index (Chỉ số cải cách hành chính), Bộ Nội vụ: 8 component fields ("lĩnh vực") scored out of 100 in
  all; the maxima below are those of the 2022–2025 methodology as far as we could read them (*unverified*:
  each year's import carries its own maxima, these are only the entry form's defaults).
- SIPAS (Chỉ số hài lòng về sự phục vụ hành chính), Bộ Nội vụ: a percentage; its components are the
  satisfaction with five elements of the service.
- PAPI (Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh), UNDP/CECODES: 8 dimensions of 10 points each
  (80 in all).

Ranks: among 63 provinces up to the 2024 editions, among 34 after the 2025 merger. The number ranked is
stored with each year's rank (`Standing.ranked_out_of`), never assumed; a target set "among 63" is compared
with a ranking among another number by the same share (`selectors.equivalent_rank`).
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Index(models.TextChoices):
    PAR_INDEX = "par_index", _("PAR Index — Chỉ số cải cách hành chính")
    SIPAS = "sipas", _("SIPAS — Chỉ số hài lòng về sự phục vụ hành chính")
    PAPI = "papi", _("PAPI — Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh")


SHORT_NAME: dict[str, str] = {Index.PAR_INDEX: "PAR Index", Index.SIPAS: "SIPAS", Index.PAPI: "PAPI"}

# The index's whole scale: PAR Index and SIPAS are percentages, PAPI is out of 80.
SCALE = {Index.PAR_INDEX: Decimal(100), Index.SIPAS: Decimal(100), Index.PAPI: Decimal(80)}
PUBLISHER = {
    Index.PAR_INDEX: _("Bộ Nội vụ (Ban Chỉ đạo cải cách hành chính của Chính phủ)"),
    Index.SIPAS: _("Bộ Nội vụ (Ban Chỉ đạo cải cách hành chính của Chính phủ)"),
    Index.PAPI: _("UNDP, CECODES và các đối tác"),
}


@dataclass(frozen=True)
class Component:
    code: str  # stable: the import's "Mã thành phần" column
    name: "StrOrPromise"
    maximum: Decimal  # the entry form's default


COMPONENTS: dict[str, tuple[Component, ...]] = {
    Index.PAR_INDEX: (
        Component("chi_dao", _("Công tác chỉ đạo, điều hành cải cách hành chính"), Decimal("9")),
        Component("the_che", _("Cải cách thể chế"), Decimal("8.5")),
        Component("tthc", _("Cải cách thủ tục hành chính"), Decimal("12.5")),
        Component("bo_may", _("Cải cách tổ chức bộ máy hành chính nhà nước"), Decimal("8")),
        Component("cong_vu", _("Cải cách chế độ công vụ"), Decimal("11")),
        Component("tai_chinh", _("Cải cách tài chính công"), Decimal("8")),
        Component(
            "chinh_quyen_so", _("Xây dựng, phát triển Chính quyền điện tử, Chính quyền số"), Decimal("12")
        ),
        Component("tac_dong", _("Tác động của cải cách hành chính đến người dân, tổ chức"), Decimal("31")),
    ),
    Index.SIPAS: (
        Component("tiep_can", _("Tiếp cận dịch vụ"), Decimal("100")),
        Component("tthc", _("Thủ tục hành chính"), Decimal("100")),
        Component("cong_chuc", _("Công chức trực tiếp giải quyết công việc"), Decimal("100")),
        Component("ket_qua", _("Kết quả dịch vụ"), Decimal("100")),
        Component("gop_y", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị"), Decimal("100")),
    ),
    Index.PAPI: (
        Component("tham_gia", _("Tham gia của người dân ở cấp cơ sở"), Decimal("10")),
        Component("cong_khai", _("Công khai, minh bạch trong việc ra quyết định"), Decimal("10")),
        Component("giai_trinh", _("Trách nhiệm giải trình với người dân"), Decimal("10")),
        Component("tham_nhung", _("Kiểm soát tham nhũng trong khu vực công"), Decimal("10")),
        Component("tthc_cong", _("Thủ tục hành chính công"), Decimal("10")),
        Component("dich_vu_cong", _("Cung ứng dịch vụ công"), Decimal("10")),
        Component("moi_truong", _("Quản trị môi trường"), Decimal("10")),
        Component("dien_tu", _("Quản trị điện tử"), Decimal("10")),
    ),
}


def component(index: str, code: str) -> Component | None:
    return next((c for c in COMPONENTS.get(index, ()) if c.code == code), None)


class Measure(models.TextChoices):
    """What the dossier data measures, computed from quality's Decision 766 figures for a year."""

    ON_TIME = "on_time", _("Tỷ lệ hồ sơ giải quyết đúng hạn")
    ONLINE = "online", _("Tỷ lệ hồ sơ trực tuyến")
    DIGITISATION = "digitisation", _("Tỷ lệ hồ sơ số hóa đầu vào và có kết quả điện tử")
    SATISFACTION = "satisfaction", _("Mức độ hài lòng (100% − quá hạn − không hài lòng)")


# Which published component each measure is shown beside. An approximation, said so on the page: the
# published components are surveys (SIPAS, PAPI) or appraisals of many criteria (PAR Index), of which the
# dossier data measures one part.
# - on time: PAR Index "Cải cách TTHC" (its criterion on dossiers settled on time), SIPAS "Kết quả dịch vụ"
#   (the result on time), PAPI "Thủ tục hành chính công";
# - online: PAR Index "Chính quyền điện tử, chính quyền số" (online public services), PAPI "Quản trị điện tử";
# - digitisation: PAR Index "Chính quyền điện tử, chính quyền số" (digitised dossiers and e-results);
# - satisfaction: SIPAS total and PAR Index "Tác động của CCHC" (which includes SIPAS), PAPI "Cung ứng dịch
#   vụ công".
# A code of None stands for the index's total.
CORRESPONDENCE: dict[str, tuple[tuple[str, str | None], ...]] = {
    Measure.ON_TIME: ((Index.PAR_INDEX, "tthc"), (Index.SIPAS, "ket_qua"), (Index.PAPI, "tthc_cong")),
    Measure.ONLINE: ((Index.PAR_INDEX, "chinh_quyen_so"), (Index.PAPI, "dien_tu")),
    Measure.DIGITISATION: ((Index.PAR_INDEX, "chinh_quyen_so"),),
    Measure.SATISFACTION: ((Index.SIPAS, None), (Index.PAR_INDEX, "tac_dong"), (Index.PAPI, "dich_vu_cong")),
}

# The Decision 766 indicator each measure reads (quality.indicators.compute), for the page's explanation.
INDICATOR_OF = {
    Measure.ON_TIME: "2.1",
    Measure.ONLINE: "3.3",
    Measure.DIGITISATION: "5.2",
    Measure.SATISFACTION: "6.3",
}

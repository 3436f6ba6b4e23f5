"""The catalogue as the national procedure database publishes it, read into `PublishedProcedure`.

Two layouts:

- JSON, the shared data's layout (shared/data/procedures.json and its README): a list of objects with
  `code, name_vi, name_en, field_vi, level (commune/province), agency_type_vi, time_limit {amount, unit,
  note}, fees [{name_vi, amount_vnd, note}], components [{name_vi, form, count, note}], online_level,
  legal_basis [..], result_vi, source, notes`. Our export adds an optional `channel` to a fee (else the
  channel is read from the fee's name, `catalog.fees.named_channel`). `online_level` counts only when it is
  one of the catalogue's levels (its code or its label); the shared data's free text ("Có nộp trực tuyến
  (…)") states none, so the file then says nothing about the level.
- XLSX, the list the national database (csdl.thutuchanhchinh.vn / dichvucong.gov.vn) exports: sheet
  "Danh sách TTHC", row 1 a merged title ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM … DANH SÁCH THỦ TỤC HÀNH
  CHÍNH"), row 2 the headings "Mã số | Tên | Cơ quan ban hành | Cơ quan thực hiện | Lĩnh vực", one row per
  procedure from row 3. Based on real exports of that list kept in a public repository
  (github:chatbot-tthc/chatbot_tthc, scripts/crawler/danh-sach-tthc-BoTuPhap.xlsx and others, read on
  01/12/2026). That list has only those five columns; the rest of a procedure is on its detail page, whose
  labels the further columns take: "Cấp thực hiện", "Thời hạn giải quyết" (the page's "Thời gian" column,
  text such as "15 Ngày làm việc", read with `catalog.time_limits`), "Mức độ trực tuyến", "Căn cứ pháp lý"
  (one per line), "Kết quả thực hiện", "Tên tiếng Anh"; components and fees, several per procedure, are on
  sheets "Thành phần hồ sơ" and "Phí, lệ phí" keyed by "Mã số". Every column after the five, and both
  sheets, are optional: a field the file does not carry is not compared (`PublishedProcedure.provided`).

Reading changes nothing; a file that cannot be read raises `ValidationFailed` with a message in Vietnamese.
"""

from django.utils.translation import gettext as _

from motcua.catalog.exchange.json_format import read_json
from motcua.catalog.exchange.published import PublishedComponent, PublishedFee, PublishedProcedure
from motcua.catalog.exchange.xlsx_format import TITLE, read_xlsx
from motcua.core.errors import ValidationFailed

__all__ = [
    "TITLE",
    "PublishedComponent",
    "PublishedFee",
    "PublishedProcedure",
    "read_catalogue",
    "read_json",
    "read_xlsx",
]


def read_catalogue(data: bytes, *, filename: str = "") -> list[PublishedProcedure]:
    """The procedures of a file in either layout, recognised by its content (XLSX is a zip archive)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    if data.lstrip()[:1] in (b"[", b"{"):
        return read_json(data)
    raise ValidationFailed(
        _("Tệp %(name)s không phải tệp XLSX hay JSON danh mục thủ tục hành chính.")
        % {"name": filename or _("đã chọn")},
        code="catalogue_format",
    )

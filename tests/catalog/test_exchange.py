"""The catalogue in the national database's formats: read, compared with the database, written back.

The catalogue compared with is the demo's (the 25 shared procedures, `motcua demo`); its one difference from
the shared data is the fee the demo adds to 2.001583 for postal dossiers (demo/fees.py)."""

import copy
import io
import json
import zipfile
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from motcua.catalog.exchange.apply import apply_diff, decision_changes
from motcua.catalog.exchange.diff import diff_catalogue
from motcua.catalog.exchange.export import to_json, to_xlsx
from motcua.catalog.exchange.formats import TITLE, read_catalogue, read_json, read_xlsx
from motcua.catalog.exchange.snapshot import current_catalogue
from motcua.catalog.models import Fee, Procedure, PublicationDecision
from motcua.core.calendar import TimeUnit
from motcua.core.errors import ValidationFailed
from motcua.demo.catalogue import DATA_FILE

SHARED_DATA = DATA_FILE  # the repository's copy of shared/data/procedures.json
UNIT_WORDS = {"working_days": "Ngày làm việc", "days": "Ngày"}
LEVELS = {"commune": "Cấp xã", "province": "Cấp tỉnh"}


def shared() -> list[dict]:
    return json.loads(SHARED_DATA.read_text(encoding="utf-8"))


def xlsx(rows: list[list], headings: list[str], *, title: bool = True, sheets: dict | None = None) -> bytes:
    """A workbook in the national list's layout: the merged title, the headings, one row per procedure."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách TTHC"
    if title:
        sheet.append([TITLE])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headings))
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    for name, (sheet_headings, sheet_rows) in (sheets or {}).items():
        extra = book.create_sheet(name)
        extra.append(sheet_headings)
        for row in sheet_rows:
            extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def limit_text(item: dict) -> str:
    limit = item["time_limit"]
    if limit["amount"] is None:
        return "Không có thông tin"
    return f"{limit['amount']:02d} {UNIT_WORDS[limit['unit']]}"


# --- several hundred procedures -------------------------------------------------------------------------


def varied(copies: int) -> list[dict]:
    """The 25 shared procedures, then `copies` - 1 variants of each with another code (2.001193, 3.001193…
    from 1.001193 would clash: the variant's code puts its number after a letter-free prefix "9<n>")."""
    items = []
    for n in range(copies):
        for item in shared():
            variant = copy.deepcopy(item)
            if n:
                variant["code"] = f"9{n:02d}.{item['code'].split('.')[1]}"
                variant["name_vi"] = f"{item['name_vi']} (biến thể {n})"
            items.append(variant)
    return items


MAIN_HEADINGS = [
    "Mã số",
    "Tên",
    "Cơ quan ban hành",
    "Cơ quan thực hiện",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Thời gian",
]


def test_several_hundred_procedures_from_the_national_list(demo) -> None:
    items = varied(17)  # 425 procedures
    rows = [
        [i["code"], i["name_vi"], "", i["agency_type_vi"], i["field_vi"], LEVELS[i["level"]], limit_text(i)]
        for i in items
    ]
    published = read_xlsx(xlsx(rows, MAIN_HEADINGS))
    assert len(published) == 425
    by_code = {p.code: p for p in published}
    permit = by_code["907.013225"]
    assert permit.name.endswith("(biến thể 7)")
    assert (permit.time_limit.amount, permit.time_limit.unit, permit.level) == (
        Decimal(15),
        TimeUnit.DAYS,
        "commune",
    )
    assert by_code["916.000333"].time_limit.amount == 10 and by_code["916.000333"].level == "province"
    # 4 shared limits are not published: 17 copies of each need a look; nothing else does
    assert sum(1 for p in published if p.review) == 68
    assert by_code["1.014199"].time_limit.amount is None
    # no fee or component sheet: they are not compared
    assert "fees" not in permit.provided and "components" not in permit.provided

    diff = diff_catalogue(published)
    assert len(diff.new) == 400 and diff.gone == () and diff.changed == ()
    assert diff.unchanged == 25


def test_several_hundred_procedures_from_json(demo) -> None:
    published = read_json(json.dumps(varied(17), ensure_ascii=False).encode())
    assert len(published) == 425
    diff = diff_catalogue(published)
    assert (len(diff.new), len(diff.gone), diff.unchanged) == (400, 0, 24)
    # the demo's extra postal fee for company registration is not in the shared data
    assert [(c.code, c.fields) for c in diff.changed] == [("2.001583", ("fees",))]
    assert diff.changed[0].changes[0].removed == (
        "Lệ phí đăng ký doanh nghiệp (nộp qua bưu chính) — 50.000 đồng — Qua bưu chính",
    )


# --- a changed publication ------------------------------------------------------------------------------


def changed_file() -> bytes:
    items = {i["code"]: i for i in shared()}
    del items["1.014199"], items["2.000884"]
    birth = items["1.001193"]
    birth["name_vi"] = "Đăng ký khai sinh"
    birth["time_limit"] = {"amount": 2, "unit": "working_days"}
    new = copy.deepcopy(birth) | {"code": "1.999999", "name_vi": "Đăng ký khai sinh lưu động"}
    items["1.999999"] = new
    items["1.000894"]["online_level"] = "Trực tuyến toàn trình"  # the demo chose partial
    items["1.000894"]["legal_basis"].append("Nghị định 999/2026/NĐ-CP")
    items["3.000333"]["fees"][0]["amount_vnd"] = 250000
    del items["1.004194"]["components"][2]
    items["2.001610"]["level"] = "commune"
    return json.dumps(list(items.values()), ensure_ascii=False).encode()


def test_diff_of_a_changed_publication(demo) -> None:
    diff = diff_catalogue(read_catalogue(changed_file()))
    assert [p.code for p in diff.new] == ["1.999999"]
    assert [(g.code, g.name[:22]) for g in diff.gone] == [
        ("1.014199", "Cấp giấy phép lao động"),
        ("2.000884", "Chứng thực chữ ký tron"),
    ]
    assert {c.code: c.fields for c in diff.changed} == {
        "1.000894": ("online_level", "legal_basis"),
        "1.001193": ("name", "time_limit"),
        "1.004194": ("components",),
        "2.001583": ("fees",),
        "2.001610": ("level",),
        "3.000333": ("fees",),
    }
    assert diff.unchanged == 17  # 24 in the file: 1 new, 6 changed
    changes = {(c.code, f.field): f for c in diff.changed for f in c.changes}
    assert (changes["1.001193", "time_limit"].old, changes["1.001193", "time_limit"].new) == (
        "1 Ngày làm việc",
        "2 Ngày làm việc",
    )
    assert changes["1.001193", "name"].new == "Đăng ký khai sinh"
    assert (changes["2.001610", "level"].old, changes["2.001610", "level"].new) == ("Cấp tỉnh", "Cấp xã")
    assert changes["1.000894", "online_level"].new == "Trực tuyến toàn trình"
    assert changes["1.000894", "legal_basis"].added == ("Nghị định 999/2026/NĐ-CP",)
    fee = changes["3.000333", "fees"]
    assert fee.removed == ("Phí cung cấp thông tin lý lịch tư pháp — 200.000 đồng — Mọi hình thức nộp",)
    assert fee.added == ("Phí cung cấp thông tin lý lịch tư pháp — 250.000 đồng — Mọi hình thức nộp",)
    assert changes["1.004194", "components"].removed[0].startswith("Đăng ký theo danh sách")
    assert changes["1.004194", "components"].added == ()

    changes = {(c.code, c.kind): c for c in decision_changes(diff)}
    assert sorted(changes) == [
        ("1.000894", "amend"),
        ("1.001193", "amend"),
        ("1.004194", "amend"),
        ("1.014199", "abolish"),
        ("1.999999", "announce"),
        ("2.000884", "abolish"),
        ("2.001583", "amend"),
        ("2.001610", "amend"),
        ("3.000333", "amend"),
    ]
    birth = changes["1.001193", "amend"]
    assert birth.fields == {
        "name": "Đăng ký khai sinh",
        "time_limit_amount": Decimal(2),
        "time_limit_unit": "working_days",
        "time_limit_is_demo_choice": False,
    }
    assert birth.components is None and birth.fees is None  # unchanged: the version's rows are kept
    [fee] = changes["3.000333", "amend"].fees
    assert (fee["name"], fee["channel"], fee["amount_vnd"]) == (
        "Phí cung cấp thông tin lý lịch tư pháp",
        "all",
        250000,
    )


def test_catalog_diff_command_reports_and_changes_nothing(demo, tmp_path) -> None:
    before = current_catalogue()
    path = tmp_path / "procedures.json"
    path.write_bytes(changed_file())
    out = StringIO()
    call_command("catalog_diff", str(path), stdout=out)  # returns normally: exit code 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "Đối chiếu danh mục thủ tục với tệp procedures.json (24 thủ tục)."
    assert "Thủ tục mới (1):" in lines
    assert "  + 1.999999 – Đăng ký khai sinh lưu động" in lines
    assert "Thủ tục thay đổi (6):" in lines
    assert "  ~ 1.001193 – Thủ tục đăng ký khai sinh" in lines
    assert "      Thời hạn giải quyết: 1 Ngày làm việc → 2 Ngày làm việc" in lines
    assert "      Cấp thực hiện: Cấp tỉnh → Cấp xã" in lines
    assert "        + Nghị định 999/2026/NĐ-CP" in lines
    assert "Thủ tục không còn trong tệp (2):" in lines
    assert "Không thay đổi: 17 thủ tục." in lines
    assert lines[-1] == "Lệnh này chỉ đối chiếu: danh mục không thay đổi."
    assert current_catalogue() == before


def test_the_national_lists_five_columns_compare_only_what_they_carry(demo) -> None:
    items = {i["code"]: i for i in shared()}
    rows = [
        [code, items[code]["name_vi"], "Bộ Tư pháp", items[code]["agency_type_vi"], items[code]["field_vi"]]
        for code in ("1.001193", "1.000894", "3.000333")
    ]
    rows[2][1] = "Cấp Phiếu lý lịch tư pháp"
    diff = diff_catalogue(read_xlsx(xlsx(rows, MAIN_HEADINGS[:5])))
    assert [(c.code, c.fields) for c in diff.changed] == [("3.000333", ("name",))]
    assert len(diff.gone) == 22 and diff.new == ()


# --- round trips ----------------------------------------------------------------------------------------


@pytest.fixture
def richer_catalogue(demo) -> None:
    """Values the shared data lacks: a fractional limit, months, an unpublished fee, a missing limit."""
    Procedure.objects.filter(code="1.004873").update(
        time_limit_amount=Decimal("0.5"), time_limit_unit="working_days"
    )
    Procedure.objects.filter(code="2.001827").update(time_limit_amount=Decimal(2), time_limit_unit="months")
    Procedure.objects.filter(code="1.010038").update(time_limit_amount=None, time_limit_unit="")
    procedure = Procedure.objects.get(code="3.000347")
    Fee.objects.create(procedure=procedure, position=9, name="Phí sát hạch (trực tuyến)", channel="online")


@pytest.mark.parametrize("write", [to_xlsx, to_json])
def test_export_then_import_changes_nothing(richer_catalogue, write) -> None:
    catalogue = current_catalogue()
    published = read_catalogue(write(catalogue))
    assert len(published) == 25
    diff = diff_catalogue(published)
    assert diff.is_empty and diff.unchanged == 25
    by_code = {p.code: p for p in published}
    assert (by_code["1.004873"].time_limit.amount, by_code["1.004873"].time_limit.unit) == (
        Decimal("0.5"),
        "working_days",
    )
    assert by_code["2.001827"].time_limit.unit == "months"
    assert by_code["3.000347"].fees[-1].amount_vnd is None
    # the demo's chosen limits (not published) are exported as none
    assert by_code["2.000815"].time_limit.amount is None


def test_export_command_round_trip(demo, tmp_path) -> None:
    for name in ("catalogue.xlsx", "catalogue.json"):
        path = tmp_path / name
        call_command("catalog_export", str(path), stdout=StringIO())
        out = StringIO()
        call_command("catalog_diff", str(path), stdout=out)
        report = out.getvalue()
        assert "Thủ tục mới (0):" in report and "Thủ tục thay đổi (0):" in report, report
        assert "Không thay đổi: 25 thủ tục." in report


def test_the_export_has_the_national_lists_layout(demo) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(current_catalogue())))
    assert book.sheetnames == ["Danh sách TTHC", "Thành phần hồ sơ", "Phí, lệ phí"]
    sheet = book["Danh sách TTHC"]
    assert "DANH SÁCH THỦ TỤC HÀNH CHÍNH" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:5] == [
        "Mã số",
        "Tên",
        "Cơ quan ban hành",
        "Cơ quan thực hiện",
        "Lĩnh vực",
    ]
    birth = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "1.001193")
    assert birth[5:7] == ("Cấp xã", "1 Ngày làm việc")


# --- bad files ------------------------------------------------------------------------------------------


def refused(data: bytes, code: str, filename: str = "") -> str:
    with pytest.raises(ValidationFailed) as caught:
        read_catalogue(data, filename=filename)
    assert caught.value.code == code
    return str(caught.value.message)


def test_wrong_columns(demo) -> None:
    message = refused(xlsx([["1.001193", "Khai sinh"]], ["Mã", "Tên gọi"]), "catalogue_columns")
    assert message == (
        "Trang “Danh sách TTHC” thiếu cột: Mã số, Tên, Cơ quan thực hiện, Lĩnh vực "
        "(dòng tiêu đề phải có “Mã số”)."
    )
    message = refused(
        xlsx([["1.001193", "Khai sinh", ""]], ["Mã số", "Tên", "Cơ quan ban hành"]), "catalogue_columns"
    )
    assert "thiếu cột: Cơ quan thực hiện, Lĩnh vực" in message


def test_not_xlsx(demo) -> None:
    message = refused(b"%PDF-1.7 not a catalogue", "catalogue_format", "danh-sach.pdf")
    assert message == "Tệp danh-sach.pdf không phải tệp XLSX hay JSON danh mục thủ tục hành chính."
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "không phải bảng tính")
    assert refused(archive.getvalue(), "catalogue_format").startswith("Tệp không phải tệp XLSX đọc được")
    assert refused(b"[{not json", "catalogue_format").startswith("Tệp JSON không đọc được")


def test_missing_code(demo) -> None:
    rows = [
        ["1.001193", "Khai sinh", "", "UBND cấp xã", "Hộ tịch"],
        ["", "Không mã", "", "UBND cấp xã", "Hộ tịch"],
    ]
    message = refused(xlsx(rows, MAIN_HEADINGS[:5]), "catalogue_code")
    assert message == "Trang “Danh sách TTHC”, dòng 4: thiếu mã thủ tục (cột “Mã số”)."
    items = shared()
    del items[3]["code"]
    assert refused(json.dumps(items).encode(), "catalogue_code") == "Thủ tục thứ 4 thiếu mã thủ tục (code)."


def test_other_bad_contents(demo) -> None:
    rows = [["1.001193", "Khai sinh", "", "UBND cấp xã", "Hộ tịch"]] * 2
    assert refused(xlsx(rows, MAIN_HEADINGS[:5]), "catalogue_duplicate_code") == (
        "Mã thủ tục 1.001193 xuất hiện nhiều lần trong tệp."
    )
    fees = {
        "Phí, lệ phí": (["Mã số", "STT", "Tên phí, lệ phí", "Mức thu (đồng)"], [["1.000001", 1, "Lệ phí", 5]])
    }
    message = refused(xlsx(rows[:1], MAIN_HEADINGS[:5], sheets=fees), "catalogue_code")
    assert message == "Trang “Phí, lệ phí”, dòng 2: mã thủ tục 1.000001 không có trong danh sách thủ tục."
    items = shared()
    items[0]["time_limit"] = {"amount": 3, "unit": "weeks"}
    assert "thời hạn 3 weeks không hợp lệ" in refused(json.dumps(items).encode(), "catalogue_time_limit")
    items = shared()
    items[0]["fees"][0]["amount_vnd"] = "hai mươi nghìn"
    assert "không phải số tiền" in refused(json.dumps(items).encode(), "catalogue_fee")


def test_bad_file_through_the_command_changes_nothing(demo, tmp_path) -> None:
    before = current_catalogue()
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(xlsx([["1.001193", "Khai sinh"]], ["Mã", "Tên gọi"]))
    with pytest.raises(CommandError, match="thiếu cột: Mã số"):
        call_command("catalog_diff", str(path), stdout=StringIO())
    assert current_catalogue() == before


# --- applied as a publication decision ------------------------------------------------------------------


def a_publication() -> bytes:
    """The shared data with 1.014199 withdrawn, 1.000894 renamed with one more legal basis, the judicial
    record fee raised, and 1.999999 new (a copy of the marital status certificate)."""
    items = {i["code"]: i for i in shared()}
    del items["1.014199"]
    items["1.000894"]["name_vi"] = "Đăng ký kết hôn"
    items["1.000894"]["legal_basis"].append("Nghị định 999/2026/NĐ-CP")
    items["3.000333"]["fees"][0]["amount_vnd"] = 250000
    items["1.999999"] = copy.deepcopy(items["1.004873"]) | {"code": "1.999999", "name_vi": "Thủ tục mới"}
    return json.dumps(list(items.values()), ensure_ascii=False).encode()


def decide(diff, number: str = "123/QĐ-UBND"):
    today = timezone.localdate()
    return apply_diff(
        diff=diff,
        number=number,
        signed_on=today,
        effective_on=today,
        signer="Chủ tịch UBND tỉnh",
        acting_user=None,
    )


def test_a_publication_applied_as_one_decision(demo) -> None:
    published = read_catalogue(a_publication())
    decision = decide(diff_catalogue(published))
    items = {(item.kind, item.procedure.code) for item in decision.items.select_related("procedure")}
    assert items == {
        ("announce", "1.999999"),
        ("amend", "1.000894"),
        ("amend", "3.000333"),
        ("amend", "2.001583"),  # the demo's postal fee is not in the publication
        ("abolish", "1.014199"),
    }
    assert diff_catalogue(published).is_empty  # the catalogue now is the publication
    marriage = Procedure.objects.in_force(timezone.localdate()).get(code="1.000894")
    assert (marriage.version, marriage.name) == (2, "Đăng ký kết hôn")
    assert marriage.components.count() == 4  # copied from version 1
    assert not Procedure.objects.in_force(timezone.localdate()).filter(code="1.014199").exists()


def test_nothing_unsure_is_applied(demo) -> None:
    before, decisions = current_catalogue(), PublicationDecision.objects.count()
    rows = [["1.001193", "Thủ tục đăng ký khai sinh", "", "UBND cấp xã", "Hộ tịch", "Cấp xã", "2"]]
    diff = diff_catalogue(read_xlsx(xlsx(rows, MAIN_HEADINGS)))
    with pytest.raises(ValidationFailed) as refused:
        decide(diff)
    assert refused.value.code == "catalogue_needs_review"
    assert "1.001193: Chỉ ghi số, không ghi đơn vị" in str(refused.value.message)
    assert PublicationDecision.objects.count() == decisions and current_catalogue() == before


def test_a_refused_change_refuses_the_decision(demo) -> None:
    before, decisions = current_catalogue(), PublicationDecision.objects.count()
    items = shared()
    items[0]["time_limit"] = {"amount": 2, "unit": "working_days"}  # birth registration: its steps sum to 1
    with pytest.raises(ValidationFailed) as refused:
        decide(diff_catalogue(read_json(json.dumps(items).encode())))
    assert refused.value.code == "steps_do_not_add_up"
    assert str(refused.value.message).startswith("Thủ tục 1.001193: Tổng thời hạn các bước quy trình")
    assert PublicationDecision.objects.count() == decisions and current_catalogue() == before


def test_catalog_diff_apply(demo, tmp_path) -> None:
    path = tmp_path / "procedures.json"
    path.write_bytes(a_publication())
    with pytest.raises(CommandError, match="--decision, --signed-on, --effective-on, --signer"):
        call_command("catalog_diff", str(path), "--apply", stdout=StringIO())
    day = timezone.localdate().strftime("%d/%m/%Y")
    out = StringIO()
    options = ["--decision", "45/QĐ-UBND", "--signed-on", day, "--effective-on", day, "--signer", "Chủ tịch"]
    call_command("catalog_diff", str(path), "--apply", *options, stdout=out)
    assert out.getvalue().splitlines()[-1] == "Đã áp dụng theo quyết định 45/QĐ-UBND: 5 thủ tục."
    out = StringIO()
    call_command("catalog_diff", str(path), "--apply", *options, stdout=out)
    assert out.getvalue().splitlines()[-1] == "Không có thay đổi để áp dụng."


def test_fee_amounts_as_the_national_database_writes_them(demo) -> None:
    from motcua.catalog.exchange.published import read_amount_vnd

    assert read_amount_vnd("50,000 Việt Nam Đồng", "x") == 50000
    assert read_amount_vnd("1.500.000 đồng", "x") == 1500000
    assert read_amount_vnd("Miễn phí", "x") == 0
    assert read_amount_vnd(135000, "x") == 135000
    assert read_amount_vnd("", "x") is None
    for wrong in ("10 USD", "135 VNĐ/lần", "-5", 12.5, "1,5"):
        with pytest.raises(ValidationFailed, match="không phải số tiền"):
            read_amount_vnd(wrong, "Thủ tục 1.000001")
    items = shared()
    items[0]["components"][0]["count"] = "hai"
    assert refused(json.dumps(items).encode(), "catalogue_component") == (
        "Thủ tục 1.001193: số lượng “hai” không phải số nguyên."
    )

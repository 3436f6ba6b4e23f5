"""Bank collection (issue #19): the bank's statement of the fees it collected on the Center's behalf,
imported as CSV, the bank's XLSX or ISO 20022 camt.053, reconciles to the counts written here by hand;
importing it again changes nothing; a bad file imports nothing."""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from openpyxl import Workbook, load_workbook

from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.dossiers import services
from motcua.dossiers.access import PAYMENT_GATEWAY_ACCOUNT
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status
from motcua.payments import bank
from motcua.payments.models import BankLine, BankStatement, Payment
from motcua.payments.services import amount_due
from tests.dossiers.helpers import at, dossier_in
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Row:
    ref: str
    day: str  # dd/mm/yyyy
    credit: int
    debit: int
    text: str
    payer: str


@dataclass
class Scene:
    paid: Dossier  # owes 10.000 đ: paid by the bank, then paid again by another transfer
    spaced: Dossier  # owes 10.000 đ: its code written with spaces by the bank
    short: Dossier  # owes 10.000 đ: 5.000 đ transferred
    counter_paid: Dossier  # paid in full at the counter before the transfer came
    rows: list[Row]


@pytest.fixture
def scene(province) -> Scene:
    paid, spaced, short, counter_paid = (dossier_in(province, Status.PROCESSING) for _ in range(4))
    services.record_payment(
        dossier=counter_paid,
        acting_user=province.counter,
        reference="BL 7",
        amount_vnd=10000,
        provider="cash",
        now=at(1),
    )
    spaced_text = spaced.code.replace(".", " ").replace("-", " ")
    rows = [
        Row("FT26335001", "01/12/2026", 10000, 0, f"NOP PHI HS {paid.code} NGUYEN VAN AN", "NGUYEN VAN AN"),
        Row("FT26335002", "01/12/2026", 10000, 0, f"Nop le phi ho so {spaced_text}", "TRAN THI BINH"),
        Row("FT26335003", "01/12/2026", 20000, 0, "chuyen tien", "LE VAN CUONG"),
        Row("FT26335004", "01/12/2026", 10000, 0, "NOP PHI 001.00.50.H40-991231-9999", "PHAM DUNG"),
        Row("FT26335005", "01/12/2026", 5000, 0, f"le phi {short.code}", "HOANG VAN EM"),
        Row("FT26335006", "01/12/2026", 10000, 0, f"nop lai phi {paid.code}", "NGUYEN VAN AN"),
        Row("FT26335007", "01/12/2026", 10000, 0, f"phi {counter_paid.code}", "DO THI GIANG"),
        Row("FT26335001", "01/12/2026", 10000, 0, f"NOP PHI HS {paid.code} NGUYEN VAN AN", "NGUYEN VAN AN"),
        Row("FT26335008", "01/12/2026", 0, 11000, "Phi dich vu ngan hang thang 11", ""),
    ]
    return Scene(paid, spaced, short, counter_paid, rows)


HEADINGS = [
    "STT",
    "Ngày giao dịch",
    "Số tham chiếu",
    "Số tiền ghi nợ",
    "Số tiền ghi có",
    "Mô tả",
    "Tên người chuyển",
]


def vnd(amount: int) -> str:
    """10000 → "10.000" as the bank's export writes it; nothing for 0."""
    return f"{amount:,}".replace(",", ".") if amount else ""


def as_csv(rows: list[Row]) -> bytes:
    lines = [
        "SAO KÊ TÀI KHOẢN",
        "Số tài khoản: 0011001234567",
        ",".join(HEADINGS),
        *(
            f"{i},{r.day},{r.ref},{vnd(r.debit)},{vnd(r.credit)},{r.text},{r.payer}"
            for i, r in enumerate(rows, start=1)
        ),
        "Tổng cộng,,,,,,",
    ]
    return ("\ufeff" + "\n".join(lines)).encode()


def as_xlsx(rows: list[Row]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM"])
    sheet.append(["Số tài khoản: 0011001234567"])
    sheet.append(HEADINGS)
    for i, r in enumerate(rows, start=1):
        sheet.append([i, r.day, r.ref, r.debit or None, r.credit or None, r.text, r.payer])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_camt053(rows: list[Row]) -> bytes:
    entries = "".join(
        f"""<Ntry><Amt Ccy="VND">{r.credit or r.debit}</Amt>
<CdtDbtInd>{"CRDT" if r.credit else "DBIT"}</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>{r.day[6:]}-{r.day[3:5]}-{r.day[:2]}</Dt></BookgDt><AcctSvcrRef>{r.ref}</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>{r.ref}</AcctSvcrRef></Refs><RltdPties><Dbtr><Nm>{r.payer}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>{r.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"""
        for r in rows
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>VCB20261201</MsgId><CreDtTm>2026-12-01T23:59:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-0011001234567-20261201</Id><CreDtTm>2026-12-01T23:59:00</CreDtTm>
<Acct><Id><Othr><Id>0011001234567</Id></Othr></Id><Ccy>VND</Ccy></Acct>{entries}</Stmt>
</BkToCstmrStmt></Document>""".encode()


FORMATS: dict[str, tuple[Callable[[list[Row]], bytes], str]] = {
    "csv": (as_csv, "saoke.csv"),
    "xlsx": (as_xlsx, "saoke.xlsx"),
    "camt053": (as_camt053, "saoke.xml"),
}


def recorded(dossier: Dossier) -> list[dict]:
    return list(dossier.events.filter(act="record_payment").order_by("pk").values_list("data", flat=True))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_statement_reconciles_to_the_expected_counts_and_again_changes_nothing(province, scene, fmt):
    build, name = FORMATS[fmt]
    content = build(scene.rows)
    result = bank.import_statement(content=content, file_name=name, acting_user=province.admin)

    assert result.statement is not None and result.statement.format == fmt
    assert result.statement.account == "0011001234567"
    assert dict(result.counts) == {"matched": 2, "unmatched": 2, "mismatch": 1, "duplicate": 2}
    assert (result.repeated, result.debits) == (1, 1)
    lines = {line.bank_ref: line for line in BankLine.objects.all()}
    assert len(lines) == 7
    assert lines["FT26335001"].dossier == scene.paid and lines["FT26335001"].category == "matched"
    assert lines["FT26335002"].dossier == scene.spaced and lines["FT26335002"].category == "matched"
    assert lines["FT26335005"].expected_vnd == 10000 and lines["FT26335005"].category == "mismatch"
    assert lines["FT26335006"].category == "duplicate" and lines["FT26335006"].payment.needs_refund
    assert lines["FT26335007"].category == "duplicate" and lines["FT26335007"].expected_vnd == 0
    assert lines["FT26335004"].dossier is None and lines["FT26335004"].category == "unmatched"
    # The matched lines are in the dossiers' history, once, with the bank's reference.
    assert recorded(scene.paid) == [
        {"reference": "FT26335001", "amount_vnd": 10000, "provider": "vietcombank"}
    ]
    assert recorded(scene.spaced) == [
        {"reference": "FT26335002", "amount_vnd": 10000, "provider": "vietcombank"}
    ]
    assert recorded(scene.short) == []
    # Through the one write path, as the payment gateway's system account; the status unchanged.
    event = scene.paid.events.get(act="record_payment")
    assert event.actor.username == PAYMENT_GATEWAY_ACCOUNT
    assert Dossier.objects.get(pk=scene.paid.pk).status == Status.PROCESSING
    assert [d["reference"] for d in recorded(scene.counter_paid)] == ["BL 7"]
    assert amount_due(Dossier.objects.get(pk=scene.paid.pk)) == 0
    assert amount_due(Dossier.objects.get(pk=scene.short.pk)) == 10000
    refunds = Payment.objects.filter(needs_refund=True).order_by("reference")
    assert [(p.reference, p.amount_vnd) for p in refunds] == [("FT26335006", 10000), ("FT26335007", 10000)]

    before = (
        BankLine.objects.count(),
        BankStatement.objects.count(),
        Payment.objects.count(),
        Dossier.objects.get(pk=scene.paid.pk).version,
    )
    again = bank.import_statement(content=content, file_name=name, acting_user=province.admin)
    assert again.statement is None and again.new_lines == 0 and again.repeated == 8
    after = (
        BankLine.objects.count(),
        BankStatement.objects.count(),
        Payment.objects.count(),
        Dossier.objects.get(pk=scene.paid.pk).version,
    )
    assert after == before


def test_a_pending_online_payment_is_named_by_its_reference_and_cancelled_by_the_bank(province):
    dossier = dossier_in(province, Status.PROCESSING)
    dossier.applicant_user = province.citizen
    dossier.save(update_fields=["applicant_user"])
    from motcua.payments.services import start_payment

    pending, _url = start_payment(dossier=dossier, acting_user=province.citizen)
    rows = [Row("FT1", "02/12/2026", 10000, 0, f"thanh toan {pending.reference.lower()}", "AN")]
    result = bank.import_statement(content=as_csv(rows), file_name="a.csv", acting_user=province.admin)
    assert dict(result.counts) == {"matched": 1}
    pending.refresh_from_db()
    assert pending.status == "cancelled" and pending.superseded_by.reference == "FT1"


def test_a_withdrawn_dossier_does_not_take_the_money(province):
    withdrawn = dossier_in(province, Status.WITHDRAWN)
    rows = [Row("FT9", "02/12/2026", 10000, 0, f"phi {withdrawn.code}", "AN")]
    result = bank.import_statement(content=as_csv(rows), file_name="a.csv", acting_user=province.admin)
    assert dict(result.counts) == {"not_payable": 1}
    assert recorded(withdrawn) == []
    assert Payment.objects.get(reference="FT9").needs_refund


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            "Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Mô tả\n"
            "01/12/2026,FT1,10000,a\n01/12/2026,FT2,-5,b\n",
            "a.csv",
            "Dòng 3: số tiền “-5” không hợp lệ (số tiền là số đồng nguyên, không âm).",
        ),
        (
            "Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Mô tả\n01/12/2026,FT1,10000,a\n31/02/2026,FT2,5,b\n",
            "a.csv",
            "Dòng 3: ngày “31/02/2026” không hợp lệ (dạng dd/mm/yyyy).",
        ),
        (
            "Ngày,Số tiền,Nội dung\n01/12/2026,10000,a\n",
            "a.csv",
            "Không tìm thấy dòng tiêu đề của sao kê (cần các cột: Ngày giao dịch, Số tham chiếu, "
            "Số tiền ghi có, Mô tả).",
        ),
        ("<Document><BkToCstmrStmt>", "a.xml", "Tệp XML sao kê không đọc được"),
        (
            '<!DOCTYPE d [<!ENTITY a "aaaa">]><Document/>',
            "a.xml",
            "Tệp XML sao kê không được chứa khai báo DOCTYPE hoặc ENTITY.",
        ),
        ("not a workbook", "a.xlsx", "Tệp sao kê không đúng định dạng XLSX hoặc XML như tên tệp."),
    ],
)
def test_a_bad_file_imports_nothing(province, content, name, message):
    with pytest.raises(ValidationFailed) as refused:
        bank.import_statement(content=content.encode(), file_name=name, acting_user=province.admin)
    assert str(refused.value.message).startswith(message)
    assert not BankLine.objects.exists() and not BankStatement.objects.exists()


def test_a_camt053_statement_in_another_currency_imports_nothing(province, scene):
    content = as_camt053(scene.rows).replace(b'Ccy="VND">5000', b'Ccy="USD">5000')
    with pytest.raises(ValidationFailed) as refused:
        bank.import_statement(content=content, file_name="a.xml", acting_user=province.admin)
    assert refused.value.message == "Giao dịch 5: đơn vị tiền USD; chỉ nhận sao kê bằng đồng (VND)."
    assert not BankLine.objects.exists() and not Payment.objects.filter(provider="vietcombank").exists()
    assert recorded(scene.paid) == []


def test_only_the_center_administrator_reconciles(province, scene):
    with pytest.raises(PermissionDenied):
        bank.import_statement(content=as_csv(scene.rows), file_name="a.csv", acting_user=province.counter)
    assert client_for(province.counter).get("/thanh-toan/doi-soat/").status_code == 403
    assert client_for(province.counter).get("/thanh-toan/doi-soat/xlsx/").status_code == 403
    assert not BankLine.objects.exists()


def test_the_daily_page_and_its_xlsx_show_the_counts(province, scene):
    client = client_for(province.admin)
    upload = io.BytesIO(as_camt053(scene.rows))
    upload.name = "saoke.xml"
    response = client.post("/thanh-toan/doi-soat/", {"statement": upload})
    assert response.status_code == 302 and response["Location"].endswith("?ngay=01/12/2026")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Đã nhập 7 dòng: 2 khớp, 2 không tìm thấy hồ sơ, 1 sai số tiền, 2 thu trùng" in html
    assert (
        '<tr data-category="matched"><td>Khớp, đã ghi nhận thanh toán</td><td>2</td><td>20.000 đồng</td>'
        in html
    )
    assert '<tr data-category="unmatched"><td>Không tìm thấy hồ sơ</td><td>2</td><td>30.000 đồng</td>' in html
    assert '<tr data-category="mismatch"><td>Số tiền không khớp</td><td>1</td><td>5.000 đồng</td>' in html
    assert (
        '<tr data-category="duplicate"><td>Thu trùng (hồ sơ đã nộp đủ)</td><td>2</td><td>20.000 đồng</td>'
        in html
    )
    assert "saoke.xml (ISO 20022 camt.053, nhập lúc " in html and "1 dòng đã nhập trước đó, bỏ qua)" in html

    export = client.get("/thanh-toan/doi-soat/xlsx/", {"ngay": "01/12/2026"})
    assert export.status_code == 200
    sheets = load_workbook(io.BytesIO(export.content), read_only=True).worksheets
    summary = [tuple(row) for row in sheets[0].iter_rows(values_only=True)]
    assert summary == [
        ("Đối soát thu hộ ngày 01/12/2026",),
        ("Kết quả đối soát", "Số dòng", "Số tiền (đồng)"),
        ("Khớp, đã ghi nhận thanh toán", 2, 20000),
        ("Không tìm thấy hồ sơ", 2, 30000),
        ("Số tiền không khớp", 1, 5000),
        ("Thu trùng (hồ sơ đã nộp đủ)", 2, 20000),
        ("Hồ sơ không nhận thanh toán", 0, 0),
        ("Tổng cộng", 7, 75000),
    ]
    details = list(sheets[1].iter_rows(values_only=True))
    assert len(details) == 8 and details[1][0] == "01/12/2026"

    bad_day = client.get("/thanh-toan/doi-soat/", {"ngay": "2026-12-01"})
    assert bad_day.status_code == 400 and "hãy nhập ngày theo dạng dd/mm/yyyy" in bad_day.content.decode()
    again = io.BytesIO(as_camt053(scene.rows))
    again.name = "saoke.xml"
    repeated = client.post("/thanh-toan/doi-soat/", {"statement": again}, follow=True)
    assert "8 dòng đã nhập trước đó): không có gì thay đổi." in repeated.content.decode()
    assert BankLine.objects.count() == 7

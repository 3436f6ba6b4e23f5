"""Reading a bank statement of the Center's collection account: the bank's CSV export, its XLSX export
(openpyxl), or ISO 20022 camt.053 (BankToCustomerStatement: `Stmt/Ntry` with `Amt`, `CdtDbtInd`,
`BookgDt`, `AcctSvcrRef`, `NtryDtls/TxDtls/RmtInf/Ustrd`).

Every reader gives the same `ParsedStatement` or raises `ValidationFailed` with a Vietnamese message naming
the line: a file is read whole before anything is imported, so a bad file imports nothing.
The CSV and XLSX exports are read by their column headings (Vietcombank's: "Ngày giao dịch", "Số tham
chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Mô tả"; a few other banks' names are accepted), found in the
first rows, after the account's own heading lines.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from motcua.core.errors import ValidationFailed
from motcua.core.text import fold

MAX_BYTES = 5 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./\-_]{0,39}$")


@dataclass(frozen=True)
class StatementLine:
    bank_ref: str
    booked_on: date
    amount_vnd: int
    credit: bool
    remittance: str
    payer: str
    row: int  # the line's row in the file (CSV/XLSX) or its entry's position (camt.053), for messages


@dataclass(frozen=True)
class ParsedStatement:
    format: str  # BankStatement.Format
    statement_id: str
    account: str
    lines: list[StatementLine]


def bad_file(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="bad_statement")


def parse(content: bytes, file_name: str) -> ParsedStatement:
    """The statement in `content`, its format told by its content (XML, XLSX's zip) or name."""
    if not content:
        raise bad_file(_("Tệp sao kê rỗng."))
    if len(content) > MAX_BYTES:
        raise bad_file(_("Tệp sao kê lớn hơn 5 MB."))
    head = content[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return parse_camt053(content)
    if content.startswith(b"PK"):
        return parse_xlsx(content)
    if file_name.lower().endswith((".xlsx", ".xml")):
        raise bad_file(_("Tệp sao kê không đúng định dạng XLSX hoặc XML như tên tệp."))
    return parse_csv(content)


# --- amounts and dates -------------------------------------------------------------------------------

_AMOUNT = re.compile(r"^(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]0{1,2})?$")


def amount(value: Any, row: int) -> int | None:
    """An amount in đồng: 10000, "10.000", "10,000", "10000.00"; None when the cell is empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _bad_amount(value, row)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if value != int(value):
            raise _bad_amount(value, row)
        number = int(value)
    else:
        text = re.sub(r"\s|VND|đ|₫", "", str(value), flags=re.IGNORECASE)
        match = _AMOUNT.match(text)
        if match is None:
            raise _bad_amount(value, row)
        number = int(re.sub(r"[.,]", "", match.group(1)))
    if number < 0:
        raise _bad_amount(value, row)
    return number


def _bad_amount(value: Any, row: int) -> ValidationFailed:
    return bad_file(
        _("Dòng %(row)s: số tiền “%(value)s” không hợp lệ (số tiền là số đồng nguyên, không âm).")
        % {"row": row, "value": value}
    )


def day(value: Any, row: int) -> date:
    """A booking date: a cell's date, or dd/mm/yyyy (time after it allowed), or yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.split(" ")[0].split("T")[0], pattern).date()
        except ValueError:
            continue
    raise bad_file(
        _("Dòng %(row)s: ngày “%(value)s” không hợp lệ (dạng dd/mm/yyyy).") % {"row": row, "value": text}
    )


def reference(value: Any, row: int) -> str:
    text = str(value or "").strip()
    if not text:
        raise bad_file(_("Dòng %(row)s: thiếu số tham chiếu của ngân hàng.") % {"row": row})
    if not REFERENCE.match(text):
        raise bad_file(
            _("Dòng %(row)s: số tham chiếu “%(value)s” không hợp lệ.") % {"row": row, "value": text[:60]}
        )
    return text


# --- CSV and XLSX: a table with headings -------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "booked_on": ("ngay giao dich", "ngay hach toan", "ngay gd", "ngay"),
    "bank_ref": ("so tham chieu", "so but toan", "ma giao dich", "so giao dich", "so ct", "ma gd"),
    "debit": ("so tien ghi no", "ghi no", "no", "so tien no"),
    "credit": ("so tien ghi co", "ghi co", "co", "so tien co"),
    "remittance": ("mo ta", "mo ta giao dich", "noi dung", "noi dung giao dich", "dien giai"),
    "payer": ("ten nguoi chuyen", "nguoi chuyen", "ten doi ung", "ten tai khoan doi ung"),
}
REQUIRED = ("booked_on", "bank_ref", "credit", "remittance")


def _heading(cell: Any) -> str:
    return " ".join(fold(str(cell or "")).replace("(vnd)", "").replace("(d)", "").split())


def _columns(row: Sequence[Any]) -> dict[str, int] | None:
    headings = [_heading(cell) for cell in row]
    found = {
        name: next(i for i, h in enumerate(headings) if h in names)
        for name, names in COLUMNS.items()
        if any(h in names for h in headings)
    }
    return found if all(name in found for name in REQUIRED) else None


def _account(rows: Iterable[Sequence[Any]]) -> str:
    """The account number from the heading lines ("Số tài khoản: 0011001234567"), if any."""
    for row in rows:
        text = " ".join(str(cell or "") for cell in row)
        match = re.search(r"(?:so tai khoan|tai khoan|account)\D{0,5}(\d[\d ]{5,30}\d)", fold(text))
        if match:
            return match.group(1).replace(" ", "")
    return ""


def parse_table(rows: list[Sequence[Any]], fmt: str) -> ParsedStatement:
    found = next(
        ((i, columns) for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if (columns := _columns(row))),
        None,
    )
    if found is None:
        raise bad_file(
            _(
                "Không tìm thấy dòng tiêu đề của sao kê (cần các cột: Ngày giao dịch, Số tham chiếu, "
                "Số tiền ghi có, Mô tả)."
            )
        )
    index, columns = found
    lines: list[StatementLine] = []
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        cells = list(row) + [None] * (len(COLUMNS) + max(columns.values()) - len(row))
        if all(cell is None or not str(cell).strip() for cell in cells):
            continue
        first = _heading(cells[0])
        if first.startswith(("tong", "cong", "so du")):  # the totals under the table
            continue
        credit = amount(cells[columns["credit"]], number)
        debit = amount(cells[columns["debit"]], number) if "debit" in columns else None
        if not credit and not debit:
            raise bad_file(_("Dòng %(row)s: không có số tiền ghi có hoặc ghi nợ.") % {"row": number})
        lines.append(
            StatementLine(
                bank_ref=reference(cells[columns["bank_ref"]], number),
                booked_on=day(cells[columns["booked_on"]], number),
                amount_vnd=credit or debit or 0,
                credit=bool(credit),
                remittance=" ".join(str(cells[columns["remittance"]] or "").split()),
                payer=" ".join(str(cells[columns["payer"]] or "").split()) if "payer" in columns else "",
                row=number,
            )
        )
    if not lines:
        raise bad_file(_("Sao kê không có dòng giao dịch nào."))
    return ParsedStatement(format=fmt, statement_id="", account=_account(rows[:index]), lines=lines)


def parse_csv(content: bytes) -> ParsedStatement:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_file(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows: list[Sequence[Any]] = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise bad_file(_("Tệp CSV không đọc được: %(error)s") % {"error": error}) from None
    return parse_table(rows, "csv")


def parse_xlsx(content: bytes) -> ParsedStatement:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise bad_file(_("Tệp XLSX không đọc được.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[Sequence[Any]] = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return parse_table(rows, "xlsx")


# --- ISO 20022 camt.053 -------------------------------------------------------------------------------


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element | None, *path: str) -> ElementTree.Element | None:
    """The first descendant along `path` by local names (any camt.053 version's namespace)."""
    for name in path:
        if element is None:
            return None
        element = next((child for child in element if _local(child.tag) == name), None)
    return element


def _children(element: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    return [] if element is None else [child for child in element if _local(child.tag) == name]


def _text(element: ElementTree.Element | None, *path: str) -> str:
    found = _child(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def parse_camt053(content: bytes) -> ParsedStatement:
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:  # no entity tricks in a bank statement
        raise bad_file(_("Tệp XML sao kê không được chứa khai báo DOCTYPE hoặc ENTITY."))
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise bad_file(_("Tệp XML sao kê không đọc được: %(error)s") % {"error": error}) from None
    statements = _children(_child(root, "BkToCstmrStmt"), "Stmt")
    if _local(root.tag) != "Document" or not statements:
        raise bad_file(_("Tệp XML không phải sao kê ISO 20022 camt.053 (thiếu Document/BkToCstmrStmt/Stmt)."))
    lines: list[StatementLine] = []
    position = 0
    for statement in statements:
        for entry in _children(statement, "Ntry"):
            position += 1
            lines += _entry_lines(entry, position)
    if not lines:
        raise bad_file(_("Sao kê không có dòng giao dịch nào."))
    first = statements[0]
    account = _text(first, "Acct", "Id", "Othr", "Id") or _text(first, "Acct", "Id", "IBAN")
    return ParsedStatement(format="camt053", statement_id=_text(first, "Id"), account=account, lines=lines)


def _entry_lines(entry: ElementTree.Element, position: int) -> list[StatementLine]:
    status = _text(entry, "Sts", "Cd") or _text(entry, "Sts")
    if status and status != "BOOK":  # pending or information only: not booked yet
        return []
    if _text(entry, "RvslInd").lower() == "true":  # a reversal of an earlier entry, not a collection
        return []
    indicator = _text(entry, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise bad_file(_("Giao dịch %(row)s: thiếu hoặc sai CdtDbtInd.") % {"row": position})
    booked = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")
    booked_on = day(booked, position)
    details = _children(_child(entry, "NtryDtls"), "TxDtls")
    entry_ref = _text(entry, "AcctSvcrRef")
    entry_amount = _money(_child(entry, "Amt"), position)
    if len(details) <= 1:
        detail = details[0] if details else None
        ref = _text(detail, "Refs", "AcctSvcrRef") or entry_ref
        return [_line(detail, entry, ref, entry_amount, indicator, booked_on, position)]
    # A batch: one booked entry for several transfers, each with its own amount and reference.
    lines = []
    for index, detail in enumerate(details, start=1):
        own = _child(detail, "Amt")
        own = own if own is not None else _child(detail, "AmtDtls", "TxAmt", "Amt")
        if own is None:
            raise bad_file(_("Giao dịch %(row)s: thiếu số tiền của từng giao dịch con.") % {"row": position})
        ref = _text(detail, "Refs", "AcctSvcrRef") or (f"{entry_ref}/{index}" if entry_ref else "")
        lines.append(_line(detail, entry, ref, _money(own, position), indicator, booked_on, position))
    return lines


def _line(
    detail: ElementTree.Element | None,
    entry: ElementTree.Element,
    ref: str,
    amount_vnd: int,
    indicator: str,
    booked_on: date,
    position: int,
) -> StatementLine:
    remittance = " ".join(
        text
        for text in [
            *(" ".join((u.text or "").split()) for u in _children(_child(detail, "RmtInf"), "Ustrd")),
            _text(detail, "AddtlTxInf"),
        ]
        if text
    ) or _text(entry, "AddtlNtryInf")
    payer = _text(detail, "RltdPties", "Dbtr", "Nm") or _text(detail, "RltdPties", "Dbtr", "Pty", "Nm")
    return StatementLine(
        bank_ref=reference(ref, position),
        booked_on=booked_on,
        amount_vnd=amount_vnd,
        credit=indicator == "CRDT",
        remittance=remittance,
        payer=payer,
        row=position,
    )


def _money(element: ElementTree.Element | None, position: int) -> int:
    if element is None:
        raise bad_file(_("Giao dịch %(row)s: thiếu số tiền (Amt).") % {"row": position})
    currency = element.get("Ccy", "VND")
    if currency != "VND":
        raise bad_file(
            _("Giao dịch %(row)s: đơn vị tiền %(currency)s; chỉ nhận sao kê bằng đồng (VND).")
            % {"row": position, "currency": currency}
        )
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        raise _bad_amount(element.text, position) from None
    if value <= 0 or value != value.to_integral_value():
        raise _bad_amount(element.text, position)
    return int(value)

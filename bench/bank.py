"""Benchmark of the bank collection's import and reconciliation (payments.bank, #19) on the configured
database (make bench: a throwaway PostgreSQL).

Loads the demo province, generates synthetic dossiers submitted over the last `--days` days (`motcua
generate`) until the province holds at least `--owing` dossiers that still owe a fee (a payable status, a
published fee in đồng for their channel, nothing paid yet), then builds one day's statement of `--lines`
credit lines in known proportions, the same lines as the bank's CSV export and as ISO 20022 camt.053:
- 60 % matched: exactly what a dossier owes, its code written as the bank writes it (dotted, spaced, or
  run together), a different dossier each;
- 15 % duplicate: a second transfer for one of those dossiers (the first of the two in the file is the
  matched one, whichever it is);
- 15 % mismatch: half or 10.000 đ more than a dossier owes, one more dossier each;
- 10 % unmatched: a transfer naming no dossier, or naming a code no dossier has.
Times the import and reconciliation (parse, match, record each payment through the dossier's one write
path; `payments.bank.import_statement`) of each format, each run inside a transaction rolled back after it
so that every run starts from the same database, except the last CSV run, kept (median of `--runs`); then
times the day's reconciliation page and its XLSX export through the Django test client, and the same
statement imported again (every line already there, nothing changes). Every run's category counts, the
page's totals and the workbook's summary must equal the proportions built: the bench exits non-zero if not.
`--profile`: the top entries of a cProfile of one CSV import (rolled back).

Usage: python bench/bank.py [--owing 20000] [--lines 5000] [--runs 3] [--read-runs 5] [--days 7]
                            [--dossiers 90000] [--seed 1] [--profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
os.environ.setdefault("MOTCUA_OFFICER_OTP", "0")  # the page read by a signed-in session, no second factor
import django
from timing import fail, median_of, quiet_audit_log  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from motcua.catalog.models import Fee, Procedure  # noqa: E402
from motcua.catalog.selectors import fees_for  # noqa: E402
from motcua.core.models import User  # noqa: E402
from motcua.core.roles import Role  # noqa: E402
from motcua.core.text import fold  # noqa: E402
from motcua.demo import synthetic  # noqa: E402
from motcua.dossiers.models import Dossier, DossierEvent  # noqa: E402
from motcua.dossiers.states import Act  # noqa: E402
from motcua.payments import bank, bank_formats, bank_reports  # noqa: E402
from motcua.payments.models import BankLine  # noqa: E402
from motcua.payments.services import PAYABLE_STATUSES, gateway_account  # noqa: E402

# Share of each category in the statement, in percent (unmatched: the rest).
SHARES = {"matched": 60, "duplicate": 15, "mismatch": 15}
SLOW_MS = 1000
HEADINGS = "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả,Tên người chuyển"
ACCOUNT = "0011001234567"


@dataclass(frozen=True)
class Owing:
    pk: int
    code: str
    payer: str
    due: int


@dataclass(frozen=True)
class Line:
    ref: str
    amount: int
    text: str
    payer: str


def owing_dossiers() -> list[Owing]:
    """The dossiers that owe a fee in đồng and whose code the bank's text can name, read in bulk (the
    synthetic history records no payment: checked)."""
    due: dict[tuple[int, str], int | None] = {}
    channels = [c for c in Fee.Channel.values if c != Fee.Channel.ALL]
    for procedure in Procedure.objects.prefetch_related("fees"):
        for channel in channels:
            fees = fees_for(procedure, channel)
            amounts = [fee.amount_vnd for fee in fees]
            due[(procedure.pk, channel)] = None if None in amounts else sum(a or 0 for a in amounts)
    paid = set(DossierEvent.objects.filter(act=Act.RECORD_PAYMENT).values_list("dossier_id", flat=True))
    found, unnamed = [], 0
    rows = (
        Dossier.objects.filter(status__in=PAYABLE_STATUSES)
        .order_by("pk")
        .values_list("pk", "code", "applicant_name", "procedure_id", "channel")
    )
    for pk, code, name, procedure_id, channel in rows.iterator(chunk_size=5000):
        amount = due.get((procedure_id, channel))
        if not amount or pk in paid:
            continue
        if bank.named_codes(code) != [code]:
            unnamed += 1
            continue
        found.append(Owing(pk, code, fold(name).upper(), amount))
    if unnamed:
        print(f"  ({unnamed:,} owing dossiers left out: a code the bank's text cannot name)")
    return found


def as_written(code: str, style: int) -> str:
    """The dossier's code as transfers write it: dotted, spaced, or run together."""
    if style == 1:
        return code.replace(".", " ").replace("-", " ")
    if style == 2:
        return code.replace(".", "").replace("-", "")
    return code


def build_statement(owing: list[Owing], lines: int, seed: int, stamp: str) -> tuple[list[Line], Counter[str]]:
    """`lines` credit lines in the proportions of SHARES, shuffled; the counts each category must have."""
    want = Counter({name: lines * share // 100 for name, share in SHARES.items()})
    want["unmatched"] = lines - sum(want.values())
    if want["duplicate"] > want["matched"]:
        fail("more duplicates than matched lines")
    rng = random.Random(seed)
    needed = want["matched"] + want["mismatch"]
    if len(owing) < needed:
        fail(f"{needed:,} owing dossiers needed, {len(owing):,} found")
    chosen = rng.sample(owing, needed)
    paid, short = chosen[: want["matched"]], chosen[want["matched"] :]
    drafts: list[tuple[int, str, str]] = []  # amount, text, payer
    for i, d in enumerate(paid):
        drafts.append((d.due, f"NOP PHI LE PHI HO SO {as_written(d.code, i % 3)} {d.payer}", d.payer))
    for i, d in enumerate(paid[: want["duplicate"]]):
        drafts.append((d.due, f"NOP LAI PHI HS {as_written(d.code, (i + 1) % 3)}", d.payer))
    for i, d in enumerate(short):
        amount = d.due // 2 if i % 2 == 0 else d.due + 10_000
        drafts.append((amount, f"le phi ho so {as_written(d.code, i % 3)}", d.payer))
    for i in range(want["unmatched"]):
        text = (
            f"CHUYEN TIEN NOP PHI LAN {i + 1}"
            if i % 2 == 0
            else f"NOP PHI {owing[i % len(owing)].code[:13]}-991231-{i % 10_000:04d}"
        )
        drafts.append((50_000 + 1_000 * (i % 7), text, f"NGUOI NOP {i + 1}"))
    rng.shuffle(drafts)
    statement = [
        Line(f"FT{stamp}{n:06d}", amount, text, payer) for n, (amount, text, payer) in enumerate(drafts, 1)
    ]
    return statement, want


def as_csv(lines: list[Line], day: date) -> bytes:
    on = day.strftime("%d/%m/%Y")
    rows = [
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM - SAO KÊ TÀI KHOẢN",
        f"Số tài khoản: {ACCOUNT} - TRUNG TAM PHUC VU HANH CHINH CONG TINH NGHE AN",
        HEADINGS,
        *(
            f"{i},{on},{line.ref},,{f'{line.amount:,}'.replace(',', '.')},{line.text},{line.payer}"
            for i, line in enumerate(lines, start=1)
        ),
        "Tổng cộng,,,,,,",
    ]
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def as_camt053(lines: list[Line], day: date) -> bytes:
    on = day.isoformat()
    entries = "".join(
        f"""<Ntry><Amt Ccy="VND">{line.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{on}</Dt></BookgDt><AcctSvcrRef>{line.ref}</AcctSvcrRef><NtryDtls><TxDtls>
<Refs><AcctSvcrRef>{line.ref}</AcctSvcrRef></Refs><RltdPties><Dbtr><Nm>{escape(line.payer)}</Nm></Dbtr></RltdPties>
<RmtInf><Ustrd>{escape(line.text)}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
"""
        for line in lines
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>VCB{day:%Y%m%d}</MsgId><CreDtTm>{on}T23:59:00</CreDtTm></GrpHdr>
<Stmt><Id>STMT-{ACCOUNT}-{day:%Y%m%d}</Id><CreDtTm>{on}T23:59:00</CreDtTm>
<Acct><Id><Othr><Id>{ACCOUNT}</Id></Othr></Id><Ccy>VND</Ccy></Acct>
{entries}</Stmt></BkToCstmrStmt></Document>""".encode()


def check(what: str, got: dict[str, int], want: Counter[str]) -> None:
    if {k: v for k, v in got.items() if v} != {k: v for k, v in want.items() if v}:
        fail(f"{what}: {dict(got)} where the statement was built as {dict(want)}")


def import_once(content: bytes, name: str, user: User, *, keep: bool) -> bank.ImportResult:
    with transaction.atomic():
        result = bank.import_statement(content=content, file_name=name, acting_user=user)
        if not keep:
            transaction.set_rollback(True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owing", type=int, default=20_000, help="dossiers owing a fee, at least")
    parser.add_argument("--lines", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each import")
    parser.add_argument("--read-runs", type=int, default=5, help="runs of each read")
    parser.add_argument("--days", type=int, default=7, help="the synthetic dossiers' submission days")
    parser.add_argument("--dossiers", type=int, default=90_000, help="synthetic dossiers generated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    quiet_audit_log()
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")

    today = timezone.localdate()
    start = time.perf_counter()
    made = synthetic.generate(dossiers=args.dossiers, seed=args.seed, since=today - timedelta(days=args.days))
    print(f"generate  {made:>10,} dossiers ({args.days} days) in {time.perf_counter() - start:.1f} s")
    owing = owing_dossiers()
    if len(owing) < args.owing:
        fail(f"{len(owing):,} dossiers owe a fee, fewer than --owing {args.owing:,}: raise --dossiers")
    print(f"owing     {len(owing):>10,} dossiers owe a fee (of {Dossier.objects.count():,})")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    lines, want = build_statement(owing, args.lines, args.seed, today.strftime("%y%m%d"))
    # camt.053 first: the last CSV import is kept (committed), for the reads below.
    files = {"camt053": (as_camt053(lines, today), "sao-ke.xml"), "csv": (as_csv(lines, today), "sao-ke.csv")}
    accountant = User.objects.filter(role=Role.CENTER_ADMIN, is_active=True).order_by("pk").first()
    if accountant is None:
        fail("the demo has no Center administrator")
        return
    gateway_account()  # created once, outside the measured transactions
    print(f"statement {len(lines):>10,} credit lines: " + ", ".join(f"{k} {v:,}" for k, v in want.items()))
    before = Counter(
        dict(BankLine.objects.filter(booked_on=today).values_list("category").annotate(n=Count("pk")))
    )

    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        import_once(*files["csv"], accountant, keep=False)
        profile.disable()
        print("\ncProfile of one CSV import (rolled back), top 25 by cumulative time:")
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)

    print(
        f"\n{'import (each run rolled back, the last CSV kept)':48} {'size':>8} {'median s':>9} "
        f"{'lines/s':>8}   runs (s)"
    )
    for fmt, (content, name) in files.items():
        parse_s = median_of(args.runs, lambda c=content, n=name: bank_formats.parse(c, n))
        size = f"{len(content) / 2**10:,.0f} KB"
        print(f"{fmt + ': parse only':48} {size:>8} {parse_s:9.2f}", flush=True)
        timings = []
        for run in range(args.runs):
            start = time.perf_counter()
            result = import_once(content, name, accountant, keep=fmt == "csv" and run == args.runs - 1)
            timings.append(time.perf_counter() - start)
            check(f"{fmt} import", dict(result.counts), want)
            if result.repeated or result.debits:
                fail(f"{fmt} import: {result.repeated} repeated, {result.debits} debit lines; none built")
        seconds = statistics.median(timings)
        runs = " ".join(f"{t:.1f}" for t in timings)
        label = fmt + ": parse, reconcile, record payments"
        print(f"{label:48} {size:>8} {seconds:9.2f} {len(lines) / seconds:8.1f}   {runs}", flush=True)
    on_day = want + before  # the demo's own statement is booked today too

    report = bank_reports.reconciliation_day(today)
    check("reconciliation page's totals", {t.category: t.lines for t in report.totals}, on_day)
    client = Client()
    client.force_login(accountant)
    day = today.strftime("%d/%m/%Y")

    def page() -> None:
        response = client.get("/thanh-toan/doi-soat/", {"ngay": day})
        if response.status_code != 200:
            fail(f"reconciliation page: HTTP {response.status_code}")

    def export() -> bytes:
        response = client.get("/thanh-toan/doi-soat/xlsx/", {"ngay": day})
        if response.status_code != 200:
            fail(f"reconciliation XLSX: HTTP {response.status_code}")
        return response.content

    summary = list(
        load_workbook(io.BytesIO(export()), read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    labels = {str(category.label): category.value for category in BankLine.Category}
    check(
        "reconciliation XLSX summary",
        {labels[str(row[0])]: int(row[1]) for row in summary if str(row[0]) in labels},
        on_day,
    )

    def again() -> None:
        result = bank.import_statement(
            content=files["csv"][0], file_name="sao-ke.csv", acting_user=accountant
        )
        if result.statement is not None or result.repeated != len(lines):
            fail(f"the same statement again: {result.new_lines} new lines, {result.repeated} repeated")

    reads = [
        ("reconciliation of the day (selector)", lambda: bank_reports.reconciliation_day(today)),
        ("reconciliation page (GET)", page),
        ("reconciliation XLSX (GET)", export),
        ("the same CSV again: nothing new", again),
    ]
    print(
        f"\n{'read (' + f'{report.count:,} lines on the day)':44} {'median ms':>9}   "
        f"(median of {args.read_runs})"
    )
    for label, read in reads:
        read()  # warm
        ms = median_of(args.read_runs, read) * 1000
        flag = "" if ms < SLOW_MS else "  SLOW"
        print(f"{label:44} {ms:9.1f}{flag}")
    print("\ncategory counts checked against the statement built: OK")


if __name__ == "__main__":
    main()

"""Benchmark of a reform directive's consolidation (directives, #20) on the configured database (make bench:
a throwaway PostgreSQL).

Loads the demo province (`motcua demo --no-dossiers`: the demo org loader's departments and communes, the
Department of Home Affairs' coordinator) and issues, through `directives.services.issue_directive`, a
directive of 4 tasks, each assigned to every active department and commune (a task's own fan-out targets
all departments or all communes; here each task names them all), reported quarterly over the two years
before this one, so that every period has fallen due. Every assignee's report of every period is then
written in bulk as the services leave it (`Report` and its dated `ReportEvent` rows: sent, returned, sent
again, accepted; not the audit log lines nor the return notices, which the reads do not touch), by a fixed
pattern of 20: 2 missing, 3 late (accepted, completed), 1 returned and not sent again, 1 returned and sent
again, 1 waiting for review, 12 accepted on time (6 completed).

Times, for the last quarter (median of `--runs`): `selectors.consolidate`, the dashboard page, and the DOCX
and XLSX exports (the pages through the Django test client, signed in as the coordinator). Then, with
`--scale 10`, adds communes (each saved as the admin's form saves a unit) until departments and communes are
ten times as many, issues a second directive to them all, and times the same. The consolidation's totals
must equal the pattern's counts: the bench exits non-zero if not.

A read whose first (warming) run takes over `--max-seconds` is reported by that run alone.

Usage: python bench/directives.py [--runs 5] [--scale 10] [--seed 1] [--max-seconds 20]
"""

import argparse
import io
import os
import random
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock_time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_OUTBOX_DISPATCH", "off")
os.environ.setdefault("MOTCUA_OFFICER_OTP", "0")  # the pages read by a signed-in session, no second factor
import django
from timing import fail, median_of, quiet_audit_log  # bench/ is the script's directory

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from motcua.core.models import OrgUnit, User  # noqa: E402
from motcua.core.roles import Role  # noqa: E402
from motcua.demo.directives import COORDINATORS  # noqa: E402
from motcua.directives import selectors, services  # noqa: E402
from motcua.directives.models import (  # noqa: E402
    Assignment,
    Directive,
    Progress,
    Recurrence,
    Report,
    ReportEvent,
    ReportStatus,
    TaskPeriod,
)

SLOW_MS = 1000
TASKS = [
    "Rà soát, cắt giảm, đơn giản hóa thủ tục hành chính",
    "Nâng tỷ lệ dịch vụ công trực tuyến toàn trình, thanh toán trực tuyến và số hóa hồ sơ",
    "Giải quyết hồ sơ đúng hạn từ 95% trở lên; xin lỗi 100% hồ sơ trễ hạn",
    "Kiểm tra công vụ, kỷ luật, kỷ cương hành chính tại đơn vị",
]
# The pattern a slot's report follows, by its position modulo 20: (sent, its history, final progress).
MISSING, LATE, ON_TIME = "missing", "late", "on_time"
PATTERN: list[tuple[str, str, str]] = [
    (MISSING, "", ""),
    (MISSING, "", ""),
    *[(LATE, "accepted", Progress.COMPLETED)] * 3,
    (ON_TIME, "returned", Progress.IN_PROGRESS),
    (ON_TIME, "resubmitted", Progress.IN_PROGRESS),
    (ON_TIME, "submitted", Progress.IN_PROGRESS),
    *[(ON_TIME, "accepted", Progress.COMPLETED)] * 6,
    *[(ON_TIME, "accepted", Progress.IN_PROGRESS)] * 6,
]
assert len(PATTERN) == 20


def assignees() -> list[OrgUnit]:
    kinds = [OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.COMMUNE]
    return list(OrgUnit.objects.filter(kind__in=kinds, is_active=True).order_by("path"))


def add_communes(count: int) -> None:
    """`count` more communes under the province, each saved as the admin's form saves a unit."""
    province = OrgUnit.objects.get(kind=OrgUnit.Kind.PROVINCE)
    taken = set(OrgUnit.objects.values_list("code", flat=True))
    made, block, number = 0, 51, 0
    while made < count:
        number += 1
        if number > 999:
            block, number = block + 1, 1
        code = f"{number:03d}.00.{block:02d}.H40"
        if code in taken:
            continue
        OrgUnit(
            code=code, name=f"Xã mẫu {block}-{number:03d}", kind=OrgUnit.Kind.COMMUNE, parent=province
        ).save()
        made += 1


def issue(number: str, first_year: int, coordinator: User, units: list[OrgUnit]) -> Directive:
    return services.issue_directive(
        acting_user=coordinator,
        number=number,
        signed_on=date(first_year, 1, 10),
        issuer="Ủy ban nhân dân tỉnh Nghệ An",
        title=f"Chỉ thị mẫu của bài đo hiệu năng {number}",
        coordinating_unit=coordinator.org_unit,
        now=timezone.make_aware(datetime(first_year, 1, 11, 9, 0)),
        tasks=[
            services.TaskSpec(
                title=title,
                recurrence=Recurrence.QUARTERLY,
                units=units,
                starts_on=date(first_year, 1, 1),
                ends_on=date(first_year + 1, 12, 31),
                report_days=5,
            )
            for title in TASKS
        ],
    )


def at(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, clock_time(8, 0)) + timedelta(minutes=rng.randrange(0, 8 * 60))
    return timezone.make_aware(moment)


def write_reports(directive: Directive, coordinator: User, seed: int) -> dict[int, Counter[str]]:
    """Every slot's report by PATTERN, in bulk; the totals each period (by its pk) must show."""
    rng = random.Random(seed)
    reporters = dict(
        User.objects.filter(role__in=[Role.SPECIALIST, Role.UNIT_LEADER], org_unit__isnull=False)
        .order_by("-role", "pk")
        .values_list("org_unit_id", "pk")
    )
    periods: dict[int, list[TaskPeriod]] = {}
    for period in TaskPeriod.objects.filter(task__directive=directive).order_by("index"):
        periods.setdefault(period.task_id, []).append(period)
    expected: dict[int, Counter[str]] = {}
    plans: list[tuple[Report, list[tuple[str, datetime, int]]]] = []
    position = 0
    for assignment in Assignment.objects.filter(task__directive=directive).order_by("pk"):
        for period in periods[assignment.task_id]:
            sent, history, progress = PATTERN[position % len(PATTERN)]
            position += 1
            want = expected.setdefault(period.pk, Counter())
            want["assigned"] += 1
            want[sent] += 1
            if sent == MISSING:
                continue
            author = reporters.get(assignment.unit_id, coordinator.pk)
            first = at(
                period.due_on + timedelta(days=rng.randint(1, 10))
                if sent == LATE
                else period.due_on - timedelta(days=rng.randint(0, 6)),
                rng,
            )
            steps = [(ReportEvent.Act.SUBMIT, first, author)]
            if history in ("returned", "resubmitted"):
                steps.append((ReportEvent.Act.RETURN, first + timedelta(days=2), coordinator.pk))
            if history == "resubmitted":
                steps.append((ReportEvent.Act.RESUBMIT, first + timedelta(days=4), author))
            if history == "accepted":
                steps.append((ReportEvent.Act.ACCEPT, first + timedelta(days=2), coordinator.pk))
            status = {
                "returned": ReportStatus.RETURNED,
                "resubmitted": ReportStatus.SUBMITTED,
                "submitted": ReportStatus.SUBMITTED,
                "accepted": ReportStatus.ACCEPTED,
            }[history]
            want["reported"] += 1
            want["awaiting_review"] += status == ReportStatus.SUBMITTED
            want["returned"] += status == ReportStatus.RETURNED
            want["accepted"] += status == ReportStatus.ACCEPTED
            want["completed"] += status == ReportStatus.ACCEPTED and progress == Progress.COMPLETED
            sends = [s for s in steps if s[0] in (ReportEvent.Act.SUBMIT, ReportEvent.Act.RESUBMIT)]
            reviews = [s for s in steps if s[0] in (ReportEvent.Act.RETURN, ReportEvent.Act.ACCEPT)]
            report = Report(
                assignment=assignment,
                period=period,
                status=status,
                progress=progress,
                content=f"Đơn vị đã triển khai nhiệm vụ trong quý {period.number}/{period.year}.",
                figures=[["Tỷ lệ hồ sơ trực tuyến (%)", str(40 + position % 50)]],
                first_submitted_at=first,
                submitted_at=sends[-1][1],
                submitted_by_id=author,
                reviewed_at=reviews[-1][1] if reviews else None,
                reviewed_by_id=reviews[-1][2] if reviews else None,
                return_reason="Đề nghị bổ sung số liệu." if status == ReportStatus.RETURNED else "",
                version=len(steps),
            )
            plans.append((report, steps))
    Report.objects.bulk_create([report for report, _steps in plans], batch_size=1000)
    events = [
        ReportEvent(
            report=report,
            act=act,
            at=moment,
            actor_id=actor,
            reason="Đề nghị bổ sung số liệu." if act == ReportEvent.Act.RETURN else "",
            snapshot=(
                {"progress": report.progress, "content": report.content, "figures": report.figures}
                if act in (ReportEvent.Act.SUBMIT, ReportEvent.Act.RESUBMIT)
                else {}
            ),
        )
        for report, steps in plans
        for act, moment, actor in steps
    ]
    ReportEvent.objects.bulk_create(events, batch_size=2000)
    return expected


def measure(
    label: str,
    directive: Directive,
    coordinator: User,
    expected: dict[int, Counter[str]],
    runs: int,
    max_seconds: float,
) -> None:
    keys = selectors.period_keys(directive)
    key = keys[-1]
    periods = TaskPeriod.objects.filter(
        task__directive=directive, year=key.year, number=key.number, task__recurrence=key.recurrence
    ).values_list("pk", flat=True)
    want: Counter[str] = sum((expected[pk] for pk in periods), Counter())
    c = selectors.consolidate(directive=directive, key=key)
    t = c.totals
    got = {
        "assigned": t.assigned,
        "reported": t.reported,
        ON_TIME: t.on_time,
        LATE: t.late,
        MISSING: t.missing,
        "awaiting_review": t.awaiting_review,
        "returned": t.returned,
        "accepted": t.accepted,
        "completed": t.completed,
    }
    if t.pending or got != {name: want[name] for name in got}:
        fail(f"{label}: consolidated {got} (pending {t.pending}), built {dict(want)}")
    client = Client()
    client.force_login(coordinator)
    base = f"/chi-dao/{directive.pk}/"

    def get(path: str) -> None:
        response = client.get(path, {"period": key.slug})
        if response.status_code != 200:
            fail(f"{label}: {path} HTTP {response.status_code}")

    reads = [
        ("consolidate (selector)", lambda: selectors.consolidate(directive=directive, key=key)),
        ("dashboard page (GET)", lambda: get(base)),
        ("DOCX export (GET)", lambda: get(f"{base}xuat.docx")),
        ("XLSX export (GET)", lambda: get(f"{base}xuat.xlsx")),
    ]
    print(
        f"\n{label}: {key.label}, {t.assigned:,} slots ({len(TASKS)} tasks × {t.assigned // len(TASKS):,} "
        f"units); consolidated totals checked: OK"
    )
    print(f"  {'read':34} {'median ms':>10}   (median of {runs})")
    for name, read in reads:
        start = time.perf_counter()
        read()  # warm
        warm = time.perf_counter() - start
        if warm > max_seconds:  # minutes for the median: the first run is reported alone
            print(f"  {name:34} {warm * 1000:10.1f}  SLOW (1 run: over {max_seconds:.0f} s)", flush=True)
            continue
        ms = median_of(runs, read) * 1000
        flag = "" if ms < SLOW_MS else "  SLOW"
        print(f"  {name:34} {ms:10.1f}{flag}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10, help="then with this many times the units (1: no)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-seconds", type=float, default=20, help="a read slower than this once is not run again"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("demo", "--no-dossiers", stdout=io.StringIO())
    quiet_audit_log()
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; cpus {os.cpu_count()}")
    coordinator = User.objects.get(username=COORDINATORS[0][0])
    first_year = timezone.localdate().year - 2

    scales = [1] if args.scale <= 1 else [1, args.scale]
    base_units = len(assignees())
    for scale in scales:
        if scale > 1:
            start = time.perf_counter()
            add_communes(base_units * scale - len(assignees()))
            spent = time.perf_counter() - start
            print(f"\nadded communes: {len(assignees()):,} departments and communes in {spent:.1f} s")
        units = assignees()
        start = time.perf_counter()
        directive = issue(f"BENCH-{scale}X/CT-UBND", first_year, coordinator, units)
        issued = time.perf_counter() - start
        start = time.perf_counter()
        expected = write_reports(directive, coordinator, args.seed + scale)
        written = time.perf_counter() - start
        reports = Report.objects.filter(assignment__task__directive=directive).count()
        events = ReportEvent.objects.filter(report__assignment__task__directive=directive).count()
        slots = sum(w["assigned"] for w in expected.values())
        print(
            f"\n{scale}x: {len(units):,} units; issued ({len(expected):,} task periods) in {issued:.2f} s; "
            f"{slots:,} slots, {reports:,} reports and {events:,} events written in {written:.1f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        measure(f"{scale}x", directive, coordinator, expected, args.runs, args.max_seconds)


if __name__ == "__main__":
    main()

"""`motcua verify_stats [--since DATE]`: recompute from the raw events and compare; exit 1 on mismatch."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.quality.verify import verify


class Command(BaseCommand):
    help = "Đối chiếu bảng thống kê với số liệu tính lại từ nhật ký hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", type=date.fromisoformat, default=None)

    def handle(self, *args: object, since: date | None, **options: object) -> None:
        started = time.perf_counter()
        report = verify(since=since)
        for line in report.fact_mismatches + report.count_mismatches:
            self.stderr.write(line)
        if not report.ok:
            raise CommandError(
                f"Không khớp: {len(report.fact_mismatches)} hồ sơ, {len(report.count_mismatches)} ô thống kê."
            )
        self.stdout.write(
            f"Khớp: {report.dossiers:,} hồ sơ đối chiếu ({time.perf_counter() - started:.1f} s)."
        )

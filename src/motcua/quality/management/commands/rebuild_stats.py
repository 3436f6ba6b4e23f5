"""`motcua rebuild_stats [--since DATE]`: recompute the statistics rows from the dossiers."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from motcua.quality import services


class Command(BaseCommand):
    help = "Tính lại bảng thống kê (theo ngày, tháng) từ dữ liệu hồ sơ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since", type=date.fromisoformat, default=None, help="chỉ tính lại hồ sơ thay đổi từ ngày này"
        )

    def handle(self, *args: object, since: date | None, **options: object) -> None:
        started = time.perf_counter()
        summary = services.rebuild(since=since)
        self.stdout.write(
            f"{summary.facts:,} hồ sơ, {summary.daily_rows:,} dòng ngày, {summary.monthly_rows:,} dòng tháng "
            f"({time.perf_counter() - started:.1f} s)."
        )

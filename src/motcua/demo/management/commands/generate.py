"""`motcua generate --dossiers N --seed S [--since 2025-01-01]`: synthetic history on the demo province."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo import synthetic
from motcua.quality import services


class Command(BaseCommand):
    help = "Sinh lịch sử hồ sơ giả lập trên tỉnh mẫu (chạy `motcua demo --no-dossiers` trước)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--since", type=date.fromisoformat, default=date(2025, 1, 1))
        parser.add_argument("--no-rebuild", action="store_true", help="không tính lại bảng thống kê")

    def handle(
        self, *args: object, dossiers: int, seed: int, since: date, no_rebuild: bool, **options: object
    ) -> None:
        started = time.perf_counter()

        def progress(made: int) -> None:
            self.stdout.write(f"  {made:,} hồ sơ ({time.perf_counter() - started:.0f} s)")

        try:
            made = synthetic.generate(dossiers=dossiers, seed=seed, since=since, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        spent = time.perf_counter() - started
        self.stdout.write(
            f"Đã sinh {made:,} hồ sơ trong {spent:.1f} s ({made / max(spent, 1e-9):,.0f} hồ sơ/s)."
        )
        if not no_rebuild:
            rebuilding = time.perf_counter()
            summary = services.rebuild()
            self.stdout.write(
                f"Đã tính lại thống kê: {summary.facts:,} hồ sơ, {summary.daily_rows:,} dòng ngày, "
                f"{summary.monthly_rows:,} dòng tháng trong {time.perf_counter() - rebuilding:.1f} s."
            )

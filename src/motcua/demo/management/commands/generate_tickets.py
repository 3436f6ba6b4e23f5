"""`motcua generate_tickets --weeks N [--unit CODE] [--seed S] [--end YYYY-MM-DD]`: synthetic ticket history
of a reception hall (`demo.tickets`), on the units that have service areas and counters."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.models import OrgUnit
from motcua.demo import tickets
from motcua.queueing.models import CounterArea


class Command(BaseCommand):
    help = (
        "Sinh lịch sử số thứ tự giả lập (mỗi khu vực: lượt đến theo thứ và giờ, cao điểm cuối tháng và "
        "trước Tết, thời gian phục vụ, người vắng mặt) cho các đơn vị đã có khu vực và quầy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, required=True)
        parser.add_argument(
            "--unit", action="append", default=[], help="mã đơn vị (mặc định: mọi đơn vị có quầy)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--end", type=date.fromisoformat, default=None, help="ngày kết thúc (không tính)")

    def handle(
        self, *args: object, weeks: int, unit: list[str], seed: int, end: date | None, **options: object
    ) -> None:
        with_areas = OrgUnit.objects.filter(
            pk__in=CounterArea.objects.filter(area__is_active=True).values("area__unit_id")
        ).order_by("path")
        units = list(with_areas.filter(code__in=unit) if unit else with_areas)
        missing = set(unit) - {u.code for u in units}
        if missing:
            raise CommandError(
                f"Không có đơn vị có quầy và khu vực phục vụ với mã: {', '.join(sorted(missing))}"
            )
        if not units:
            raise CommandError("Chưa có đơn vị nào có quầy và khu vực phục vụ (chạy `motcua demo` trước).")
        started = time.perf_counter()
        for one in units:
            try:
                made = tickets.generate(unit=one, weeks=weeks, seed=seed, end=end)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"  {one.name}: {made:,} số thứ tự")
        self.stdout.write(f"Xong trong {time.perf_counter() - started:.1f} s.")

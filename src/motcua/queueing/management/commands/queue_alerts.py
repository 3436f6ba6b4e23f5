"""`motcua queue_alerts`: alert the center's head of every service area whose expected wait passes its target
(once per episode), through the outbox. Run every few minutes (README "Operations")."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.queueing.wait_alerts import check_waits


class Command(BaseCommand):
    help = (
        "Cảnh báo lãnh đạo Trung tâm khi thời gian chờ dự kiến của một khu vực vượt mục tiêu "
        "(mỗi đợt một lần)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = check_waits()
        self.stdout.write(
            f"{summary.checked} khu vực đã kiểm tra; {summary.alerted} cảnh báo mới; "
            f"{summary.cleared} khu vực trở lại dưới mục tiêu"
        )

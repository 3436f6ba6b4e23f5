"""`motcua demo`: load (or bring up to date) the demo province of Nghệ An and print the demo logins."""

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from motcua.demo.catalogue import load_demo
from motcua.demo.directives import COORDINATORS
from motcua.demo.org import DEMO_PASSWORD, DEMO_USERS
from motcua.outbox.services import dispatch_pending


class Command(BaseCommand):
    help = (
        "Nạp tỉnh mẫu Nghệ An: đơn vị, 130 xã/phường, 25 thủ tục hành chính, tài khoản mẫu và vài hồ sơ. "
        "Chạy lại không thay đổi gì, trừ việc đặt lại mật khẩu các tài khoản mẫu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-dossiers",
            action="store_true",
            help="Không tạo hồ sơ mẫu (mặc định: tạo khi chưa có hồ sơ).",
        )

    def handle(self, *args: object, no_dossiers: bool, **options: object) -> None:
        with transaction.atomic():
            summary = load_demo(with_dossiers=not no_dossiers)
        while dispatch_pending():  # the demo dossiers' notifications, before the process exits
            pass
        org = summary.org
        departments = sum(1 for u in org.units.values() if u.kind == "department")
        write = self.stdout.write
        write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {org.province.name}."))
        write(f"  {departments} sở, ban, ngành; {len(org.communes)} xã, phường và công an xã, phường.")
        write(f"  {summary.procedures} thủ tục hành chính; {summary.dossiers_created} hồ sơ mẫu mới.")
        write(f"  {summary.changed} dòng được tạo hoặc cập nhật (0 khi dữ liệu đã đầy đủ).")
        write("")
        write("Tài khoản mẫu (mật khẩu được đặt lại mỗi lần chạy):")
        for user in DEMO_USERS:
            write(f"  Đăng nhập {user.label}: {user.username} / {DEMO_PASSWORD}")
        for username, _role, _family, _given, job_title in COORDINATORS:  # the reform directives (#20)
            write(f"  Đăng nhập {job_title} (chỉ thị cải cách hành chính): {username} / {DEMO_PASSWORD}")
        write("")
        write("Trang quản trị: /admin/ (admin hoặc quantri) · API: /api/docs/ · Danh mục thủ tục: /")

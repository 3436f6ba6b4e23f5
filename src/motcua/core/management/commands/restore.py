"""`motcua restore <file>`: a backup of `motcua backup` put back (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from motcua.core import backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của `motcua backup`: kiểm tra mã băm từng thành phần và phiên bản "
        "migration, rồi khôi phục cơ sở dữ liệu, các tệp đã lưu và khóa ký số. Hãy dừng ứng dụng trước."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Tệp sao lưu (.tar).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Thay thế cả một cơ sở dữ liệu đang có dữ liệu (mặc định: từ chối).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.restore_backup(options["file"], force=options["force"])
        except (backup.BackupError, OSError, DatabaseError) as error:
            raise CommandError(_("Khôi phục thất bại: %(error)s") % {"error": error}) from error
        write = self.stdout.write
        write(self.style.SUCCESS(_("Đã khôi phục %(path)s.") % {"path": options["file"]}))
        write(
            "  "
            + _("Cơ sở dữ liệu %(engine)s: %(size)s.")
            % {"engine": report.engine, "size": filesizeformat(report.database_bytes)}
        )
        write(
            "  "
            + _("%(count)s tệp đã lưu (%(size)s): %(written)s tệp ghi mới, %(present)s tệp đã có sẵn.")
            % {
                "count": report.files_written + report.files_present,
                "size": filesizeformat(report.file_bytes),
                "written": report.files_written,
                "present": report.files_present,
            }
        )
        write("  " + _("%(count)s tệp khóa và chứng thư số.") % {"count": report.keys})
        if report.keys_set_aside is not None:
            write(
                self.style.WARNING(
                    "  "
                    + _("Thư mục khóa cũ được giữ lại tại %(path)s (có khóa bí mật: xóa khi không cần).")
                    % {"path": report.keys_set_aside}
                )
            )
        if report.pending_migrations:
            write(
                self.style.WARNING(
                    _("Bản sao lưu cũ hơn mã nguồn: còn %(count)s migration, hãy chạy `motcua migrate`.")
                    % {"count": report.pending_migrations}
                )
            )

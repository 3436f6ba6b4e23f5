"""`motcua backup`: the database, the stored files and the signing keys in one tar file (core.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from motcua.core import backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu, các tệp đã lưu và khóa ký số vào một tệp .tar (quyền 0600: có khóa bí mật). "
        "Mặc định ghi vào VAR_DIR/backups/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help="Thư mục chứa bản sao lưu (mặc định VAR_DIR/backups), hoặc đường dẫn tệp .tar cần ghi.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.create_backup(output=options["output"])
        except (backup.BackupError, OSError, DatabaseError) as error:
            raise CommandError(_("Sao lưu thất bại: %(error)s") % {"error": error}) from error
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                _("Đã sao lưu vào %(path)s (%(size)s).")
                % {"path": report.path, "size": filesizeformat(report.size)}
            )
        )
        write(
            "  "
            + _("Cơ sở dữ liệu %(engine)s %(version)s: %(size)s.")
            % {
                "engine": report.engine,
                "version": report.vendor_version,
                "size": filesizeformat(report.database_bytes),
            }
        )
        write(
            "  "
            + _("%(count)s tệp đã lưu: %(size)s.")
            % {"count": report.files, "size": filesizeformat(report.file_bytes)}
        )
        write("  " + _("%(count)s tệp khóa và chứng thư số.") % {"count": report.keys})
        write(_("Bản sao lưu chứa khóa ký số bí mật: cất giữ và truyền đi như một bí mật."))

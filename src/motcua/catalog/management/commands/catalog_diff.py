"""`motcua catalog_diff procedures.xlsx`: what a publication of the national database would change in the
catalogue (new, changed with their fields, gone). Reads only: nothing in the database changes."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.exchange.diff import diff_catalogue
from motcua.catalog.exchange.formats import read_catalogue
from motcua.catalog.exchange.report import report_lines
from motcua.core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "Compare a catalogue file (JSON of shared/data, or the national database's XLSX) with the catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="procedures.json or an .xlsx in the national database's layout")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            published = read_catalogue(data, filename=path.name)
        except ValidationFailed as exc:
            raise CommandError(str(exc.message)) from exc
        diff = diff_catalogue(published)
        for line in report_lines(diff, source=path.name, count=len(published)):
            self.stdout.write(line)
        self.stdout.write(_("Lệnh này chỉ đối chiếu: danh mục không thay đổi."))

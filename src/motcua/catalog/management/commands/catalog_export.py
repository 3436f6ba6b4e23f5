"""`motcua catalog_export catalogue.xlsx` (or .json): the published catalogue in the layouts catalog_diff
reads, so that exporting and comparing again finds no change."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.exchange.export import to_json, to_xlsx
from motcua.catalog.exchange.snapshot import current_catalogue


class Command(BaseCommand):
    help = (
        "Write the published catalogue to a .json (shared/data layout) or .xlsx (national list layout) file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write: a path ending in .json or .xlsx")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in (".json", ".xlsx"):
            raise CommandError(_("Tên tệp phải kết thúc bằng .json hoặc .xlsx."))
        procedures = current_catalogue()
        data = to_json(procedures) if suffix == ".json" else to_xlsx(procedures)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("Không ghi được tệp %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        self.stdout.write(
            _("Đã xuất %(count)s thủ tục ra %(file)s.") % {"count": len(procedures), "file": path.name}
        )

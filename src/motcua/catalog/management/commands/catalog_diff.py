"""`motcua catalog_diff procedures.xlsx`: what a publication of the national database would change in the
catalogue (new, changed with their fields, gone). Reads only, unless `--apply` is given with the publication
decision's number, dates and signer: then the changes are applied as that decision (`catalog.publication`),
all or nothing."""

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.catalog.exchange.apply import apply_diff
from motcua.catalog.exchange.diff import diff_catalogue
from motcua.catalog.exchange.formats import read_catalogue
from motcua.catalog.exchange.report import report_lines
from motcua.core.errors import DomainError


def _day(value: str) -> date:
    try:
        return datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError as exc:
        raise CommandError(_("Ngày “%(value)s” phải có dạng dd/mm/yyyy.") % {"value": value}) from exc


class Command(BaseCommand):
    help = (
        "Compare a catalogue file (JSON of shared/data, or the national database's XLSX) with the catalogue; "
        "with --apply, apply the changes as a publication decision."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="procedures.json or an .xlsx in the national database's layout")
        parser.add_argument(
            "--apply", action="store_true", help="apply the changes as a publication decision"
        )
        parser.add_argument("--decision", default="", help="the decision's number, e.g. 1234/QĐ-UBND")
        parser.add_argument("--signed-on", default="", help="the day it was signed, dd/mm/yyyy")
        parser.add_argument("--effective-on", default="", help="the day it takes effect, dd/mm/yyyy")
        parser.add_argument("--signer", default="", help="who signed it")

    def handle(self, *args: Any, file: str, apply: bool, **options: Any) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Không mở được tệp %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        try:
            published = read_catalogue(data, filename=path.name)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        diff = diff_catalogue(published)
        for line in report_lines(diff, source=path.name, count=len(published)):
            self.stdout.write(line)
        if not apply:
            self.stdout.write(_("Lệnh này chỉ đối chiếu: danh mục không thay đổi."))
            return
        if diff.is_empty:
            self.stdout.write(_("Không có thay đổi để áp dụng."))
            return
        if not (
            options["decision"] and options["signed_on"] and options["effective_on"] and options["signer"]
        ):
            raise CommandError(
                _("Để áp dụng, ghi quyết định công bố: --decision, --signed-on, --effective-on, --signer.")
            )
        try:
            decision = apply_diff(
                diff=diff,
                number=options["decision"],
                signed_on=_day(options["signed_on"]),
                effective_on=_day(options["effective_on"]),
                signer=options["signer"],
                acting_user=None,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message) + " " + _("Danh mục không thay đổi.")) from exc
        self.stdout.write(
            _("Đã áp dụng theo quyết định %(number)s: %(count)s thủ tục.")
            % {"number": decision.number, "count": decision.items.count()}
        )

"""`motcua pki`: create the demo CA and the signing certificates of the agencies (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from motcua.core.models import OrgUnit
from motcua.core.paths import pki_dir
from motcua.documents import signing


class Command(BaseCommand):
    help = (
        "Tạo CA mẫu và chứng thư số ký kết quả điện tử cho các đơn vị (trong VAR_DIR/pki, khóa 0600, không "
        "đưa vào git). Chạy lại chỉ tạo phần còn thiếu hoặc đã hết hạn."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ca = signing.ensure_ca()
        count = signing.ensure_units(list(OrgUnit.objects.filter(is_active=True)))
        self.stdout.write(self.style.SUCCESS(f"CA mẫu: {ca.certificate.subject.rfc4514_string()}"))
        self.stdout.write(f"  {count} đơn vị có chứng thư ký số · thư mục {pki_dir()}")

"""The citizen's consent to Zalo notifications: given or withdrawn on their portal account, each change a
dated `ZaloConsent` row (who, when, which number), the latest row deciding. Without a consent in force
nothing is sent to them through Zalo (`interop.zalo`)."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import PermissionDenied, ValidationFailed
from motcua.core.models import User, ZaloConsent
from motcua.core.roles import Role

# A Vietnamese mobile number: 0xxxxxxxxx (10 digits) or +84 / 84 followed by 9 digits.
MOBILE = re.compile(r"^(?:\+?84|0)(\d{9})$")


def normalised_phone(phone: str) -> str | None:
    """'0912 345 678', '+84912345678' → '0912345678'; None when not a Vietnamese mobile number."""
    match = MOBILE.match(re.sub(r"[\s.\-()]", "", phone or ""))
    return f"0{match.group(1)}" if match else None


def current(user_id: int | None) -> ZaloConsent | None:
    """The consent in force for the account, or None (never given, or withdrawn since)."""
    if user_id is None:
        return None
    latest = ZaloConsent.objects.filter(user_id=user_id).order_by("-at", "-pk").first()
    return latest if latest is not None and latest.given else None


def set_zalo_consent(*, user: User, given: bool, phone: str = "", now: datetime | None = None) -> ZaloConsent:
    """Give (with the Zalo number) or withdraw the consent; the change is a new dated row, audited."""
    if user.role != Role.CITIZEN or not user.is_active:
        raise PermissionDenied(_("Chỉ tài khoản công dân được đăng ký nhận thông báo qua Zalo."))
    number = ""
    if given:
        found = normalised_phone(phone)
        if found is None:
            raise ValidationFailed(_("Số điện thoại Zalo chưa đúng (ví dụ 0912345678)."), code="bad_phone")
        number = found
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one change at a time per account
        row = ZaloConsent.objects.create(user=user, given=given, phone=number, at=now or timezone.now())
    audit.record("zalo_consent_given" if given else "zalo_consent_withdrawn", user=user, consent_id=row.pk)
    return row

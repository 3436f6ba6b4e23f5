"""How every act on an existing dossier is carried out: one transaction that locks the row, checks the
caller's version, then THE guard (`access.require`: the state machine, the actor's role and scope, what the
act needs now), applies the change, appends the immutable event and the outbox rows. Used by the act
functions of `services`, `processing` and `pauses`.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import ConflictError, FieldError, NotFound, ValidationFailed
from motcua.core.i18n import interpolate
from motcua.core.models import User
from motcua.dossiers import events, scope
from motcua.dossiers.access import require
from motcua.dossiers.models import Dossier
from motcua.dossiers.payloads import Payload, require_payload_of
from motcua.dossiers.states import Act, next_status
from motcua.outbox import services as outbox

Change = Callable[[Dossier, datetime], Iterable[str]]


def apply_act(
    *,
    dossier: Dossier,
    acting_user: User,
    act: Act,
    change: Change | None = None,
    now: datetime | None,
    reason: str = "",
    payload: Payload | Callable[[], Payload] | None = None,
) -> Dossier:
    """Carry out `act`. `payload` is what its event records; a callable gives it once the change is made
    (which steps a hand-over started is known only then)."""
    if not callable(payload):
        require_payload_of(act, payload)
    now = now or timezone.now()
    with transaction.atomic(), outbox.collected():  # the act's side effects in one INSERT
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "receiving_unit", "current_step__unit")
            .filter(pk=dossier.pk)
            .first()
        )
        if locked is None:
            raise NotFound(_("Không tìm thấy hồ sơ."))
        if locked.version != dossier.version:
            raise ConflictError(
                interpolate(
                    _("Hồ sơ %(code)s vừa được người khác cập nhật. Vui lòng tải lại trước khi thao tác."),
                    {"code": locked.code},
                ),
                current_version=locked.version,
            )
        from_status = locked.status
        require(act, acting_user, locked, now=now)
        locked.status = next_status(act, from_status)
        fields = set(change(locked, now) if change else ())
        if callable(payload):
            payload = payload()
            require_payload_of(act, payload)
        locked.version += 1
        locked.save(update_fields=sorted(fields | {"status", "version", "updated_at"}))
        if "closed_at" in fields:
            scope.closed(locked)
        events.record(
            dossier=locked,
            act=act,
            from_status=from_status,
            actor=acting_user,
            at=now,
            reason=reason,
            step=locked.current_step,
            payload=payload,
        )
    return locked


def require_items(missing: list[str]) -> None:
    if not missing or not all(isinstance(item, str) and item.strip() for item in missing):
        raise ValidationFailed(
            _("Vui lòng liệt kê đầy đủ từng giấy tờ cần bổ sung."),
            code="missing_items_required",
            fields={"missing": FieldError("required")},
        )

"""The center administrator's set-up of a unit's counters: number, name, officer, open or closed, and the
areas each serves first and later (re-exported by `services`, the app's public surface)."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import FieldError, PermissionDenied, ValidationFailed, invalid_fields
from motcua.core.models import OrgUnit, User
from motcua.queueing.models import COUNTER_NAME_MAX_LENGTH, CounterArea, ServiceArea, ServiceCounter
from motcua.queueing.selectors import OPERATOR_ROLES, can_manage, covers

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def save_counter(
    *,
    acting_user: User,
    unit: OrgUnit,
    number: int,
    name: str,
    is_open: bool = True,
    officer: User | None = None,
    counter: ServiceCounter | None = None,
    areas: Sequence[ServiceArea] | None = None,
    later_areas: Sequence[ServiceArea] = (),
) -> ServiceCounter:
    """Create a counter of `unit`, or change `counter`: the center administrator's act.

    `areas`: the areas it serves first (priority 1), `later_areas` those it serves when they are empty
    (priority 2); None keeps a counter's areas as they are."""
    for scope in (unit, counter.unit if counter else unit):
        if not can_manage(acting_user, scope):
            raise PermissionDenied(_("Chỉ quản trị viên của trung tâm được thiết lập quầy của đơn vị này."))
    name = name.strip()
    errors: dict[str, StrOrPromise] = {}
    if not name:
        errors["name"] = _("Hãy nhập tên quầy.")
    if len(name) > COUNTER_NAME_MAX_LENGTH:
        errors["name"] = _("Tên quầy quá dài.")
    if any(area.unit_id != unit.pk for area in [*(areas or ()), *later_areas]):
        errors["areas"] = _("Khu vực phải thuộc đơn vị của quầy.")
    if number < 1:
        errors["number"] = _("Số quầy phải từ 1 trở lên.")
    if officer is not None and not (
        officer.is_active and officer.role in OPERATOR_ROLES and covers(officer, unit)
    ):
        errors["officer"] = _("Cán bộ này không thuộc đơn vị của quầy.")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=invalid_fields(errors))
    counter = counter or ServiceCounter(unit=unit)
    counter.unit, counter.number, counter.name = unit, number, name
    counter.is_open, counter.officer = is_open, officer
    taken = ServiceCounter.objects.filter(unit=unit, number=number).exclude(pk=counter.pk)
    try:
        with transaction.atomic():
            if taken.exists():
                raise IntegrityError
            counter.save()
            if areas is not None:
                _serve(counter, areas, later_areas)
    except IntegrityError:
        message = _("Đơn vị đã có quầy số %(number)s.") % {"number": number}
        raise ValidationFailed(message, fields={"number": FieldError("taken")}) from None
    audit.record("queue_counter_saved", user=acting_user, counter_id=counter.pk, unit_id=unit.pk)
    return counter


def _serve(counter: ServiceCounter, first: Sequence[ServiceArea], later: Sequence[ServiceArea]) -> None:
    priorities = {area.pk: 2 for area in later} | {area.pk: 1 for area in first}
    CounterArea.objects.filter(counter=counter).exclude(area_id__in=priorities).delete()
    for area_id, priority in priorities.items():
        CounterArea.objects.update_or_create(
            counter=counter, area_id=area_id, defaults={"priority": priority}
        )

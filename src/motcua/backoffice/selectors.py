"""Reads for the officials' pages: the work lists, the procedures a counter may receive, one dossier.

Every dossier query starts from `dossiers.selectors.visible_dossiers(user)`, so an officer never sees a
dossier outside their scope, whatever list or filter they ask for.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.documents import selectors as documents
from motcua.dossiers import services as dossier_services
from motcua.dossiers.access import dossier_ids_under
from motcua.dossiers.models import ClockPause, Dossier, DossierComponent, DossierEvent, StepInstance
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import ADMIN_ROLE, PAUSED, Status

if TYPE_CHECKING:
    from motcua.documents.models import ComponentFile

S = Status
RETURNED_WINDOW = timedelta(days=30)
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class WorkList:
    name: str
    label: str
    order: tuple[str, ...] = ("appointment_at", "code")


WORK_LISTS = [
    WorkList("tiep-nhan", _("Chờ tiếp nhận"), ("submitted_at", "code")),
    WorkList("da-tiep-nhan", _("Đã tiếp nhận, chờ chuyển xử lý")),
    WorkList("xu-ly", _("Cần xử lý")),
    WorkList("bo-sung", _("Chờ bổ sung")),
    WorkList("nghia-vu-tai-chinh", _("Chờ nghĩa vụ tài chính")),
    WorkList("den-han", _("Đến hạn hôm nay")),
    WorkList("qua-han", _("Quá hạn")),
    WorkList("tra-ket-qua", _("Chờ trả kết quả")),
    WorkList("da-tra", _("Đã trả kết quả (30 ngày)"), ("-returned_at", "code")),
]
LISTS_BY_NAME = {w.name: w for w in WORK_LISTS}
RETURNED_LIST = "da-tra"
DEFAULT_LIST = "xu-ly"


def _under(field: str, user: User) -> Q:
    """Dossiers whose `field` unit is the user's unit or below (a center administrator: the province)."""
    if user.role == ADMIN_ROLE:
        return Q()
    if user.org_unit is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__in": OrgUnit.objects.filter(path__startswith=user.org_unit.path).values("pk")})


def _open_dossiers(user: User) -> QuerySet[Dossier]:
    """The open dossiers the officer sees: every work list but "returned" is a part of them. Read through
    the open rows of `DossierUnit` (a partial index), so a list costs what the unit has open, not the
    province's history."""
    dossiers = Dossier.objects.filter(closed_at__isnull=True)
    if user.role == ADMIN_ROLE:
        return dossiers
    if user.role not in OFFICER_ROLES or user.org_unit is None:
        return dossiers.none()
    return dossiers.filter(pk__in=dossier_ids_under(user.org_unit, open_only=True))


def _returned_recently(user: User, now: datetime) -> QuerySet[Dossier]:
    """Results returned at the user's counters in the last 30 days (returning is the receiving unit's act)."""
    if user.role != ADMIN_ROLE and (user.role not in OFFICER_ROLES or user.org_unit is None):
        return Dossier.objects.none()
    return Dossier.objects.filter(
        _under("receiving_unit", user), status=S.RETURNED, returned_at__gte=now - RETURNED_WINDOW
    )


def _list_conditions(user: User, now: datetime) -> dict[str, Q]:
    """What each list but "returned" holds among the user's open dossiers."""
    at_my_counter = _under("receiving_unit", user)
    my_step = _under("current_step__unit", user) & Q(current_step__state=StepInstance.State.ACTIVE)
    if user.role == Role.SPECIALIST:
        my_step &= Q(current_step__assignee__isnull=True) | Q(current_step__assignee=user)
    # Open with the clock running: a paused dossier (5, 6) waits for the applicant and is never due or
    # overdue (DOMAIN.md "Time"); a second supplement request makes it overdue at once.
    running = Q(ended_at__isnull=True, appointment_at__isnull=False) & ~Q(status__in=PAUSED)
    local_now = timezone.localtime(now)
    day_start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "tiep-nhan": Q(status=S.NEW_ONLINE) & at_my_counter,
        "da-tiep-nhan": Q(status=S.ACCEPTED) & at_my_counter,
        "xu-ly": Q(status=S.PROCESSING) & my_step,
        "bo-sung": Q(status=S.SUPPLEMENT_REQUESTED),
        "nghia-vu-tai-chinh": Q(status=S.FINANCIAL_OBLIGATION),
        "den-han": running
        & Q(appointment_at__gte=max(now, day_start), appointment_at__lt=day_start + timedelta(days=1)),
        "qua-han": running & (Q(appointment_at__lt=now) | Q(supplement_requests__gt=1)),
        "tra-ket-qua": Q(status__in=[S.FINISHED, S.STOPPED]) & at_my_counter,
    }


def list_counts(user: User, *, now: datetime | None = None) -> dict[str, int]:
    """How many dossiers each work list holds, in two queries over the user's open dossiers and the
    results returned recently: none reads the history."""
    now = now or timezone.now()
    conditions = _list_conditions(user, now)
    counts = _open_dossiers(user).aggregate(
        **{name.replace("-", "_"): Count("pk", filter=q) for name, q in conditions.items()}
    )
    return {name: counts[name.replace("-", "_")] or 0 for name in conditions} | {
        RETURNED_LIST: _returned_recently(user, now).count()
    }


def work_list(
    user: User,
    name: str,
    *,
    q: str = "",
    procedure_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """One work list with the search filters, with what a row shows joined in (no N+1)."""
    work = LISTS_BY_NAME[name]
    now = now or timezone.now()
    if name == RETURNED_LIST:
        dossiers = _returned_recently(user, now)
    else:
        dossiers = _open_dossiers(user).filter(_list_conditions(user, now)[name])
    q = q.strip()[:MAX_QUERY_LENGTH]
    if q:
        dossiers = dossiers.filter(
            Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_id_number=q)
        )
    if procedure_id:
        dossiers = dossiers.filter(procedure_id=procedure_id)
    return (
        dossiers.select_related(
            "procedure", "receiving_unit", "reschedule", "current_step__unit", "current_step__assignee"
        )
        .prefetch_related(Prefetch("pauses", ClockPause.objects.order_by("started_at", "pk")))
        .order_by(*work.order)
    )


def list_procedures(user: User) -> QuerySet[Procedure]:
    """The procedures of the user's open dossiers (the work lists' procedure filter)."""
    return Procedure.objects.filter(pk__in=_open_dossiers(user).values("procedure_id")).only("code", "name")


def receivable_procedures(user: User, *, q: str = "") -> QuerySet[Procedure]:
    """The published procedures the user's one-stop section may receive at the counter."""
    level = dossier_services.level_received_at(user.org_unit)
    if level is None:
        return Procedure.objects.none()
    procedures = Procedure.objects.filter(is_published=True, level=level, time_limit_amount__isnull=False)
    q = q.strip()[:MAX_QUERY_LENGTH]
    if q:
        procedures = procedures.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return procedures.order_by("code")


def receivable_procedure(user: User, code: str) -> Procedure | None:
    return receivable_procedures(user).filter(code=code).prefetch_related("components", "fees").first()


def dossier_for(user: User, code: str) -> Dossier | None:
    """The dossier with what its page shows, or None when it does not exist or is out of scope."""
    return (
        visible_dossiers(user)
        .filter(code=code)
        .select_related("reschedule__responsible_unit", "current_step__assignee")
        .prefetch_related(
            Prefetch("steps", StepInstance.objects.select_related("unit", "assignee").order_by("position")),
            Prefetch(
                "events",
                DossierEvent.objects.select_related("actor", "actor_unit").order_by("at", "pk"),
            ),
        )
        .first()
    )


def visible_dossier(user: User, code: str) -> Dossier | None:
    """The bare dossier (for acts and downloads), or None when it does not exist or is out of scope."""
    return visible_dossiers(user).filter(code=code).first()


@dataclass(frozen=True)
class FileLink:
    pk: int
    name: str
    size: int


def components_with_files(dossier: Dossier, user: User) -> list[tuple[DossierComponent, list[FileLink]]]:
    """The dossier's components with their stored files (scans, uploads, results), in two queries."""
    by_component: dict[int, list[FileLink]] = {}
    for f in documents.dossier_files(dossier=dossier, acting_user=user).order_by("digitised_at", "pk"):
        name = f.stored_file.original_name or f.stored_file.sha256[:12]
        by_component.setdefault(f.dossier_component_id, []).append(FileLink(f.pk, name, f.stored_file.size))
    return [(c, by_component.get(c.pk, [])) for c in dossier.components.order_by("pk")]


def component_file(dossier: Dossier, user: User, file_id: int) -> "ComponentFile | None":
    """A file of one of the dossier's components (None when it belongs to another dossier)."""
    return documents.dossier_files(dossier=dossier, acting_user=user).filter(pk=file_id).first()


def assignable_officers(dossier: Dossier) -> QuerySet[User]:
    """Specialists and leaders of the unit holding the dossier's current step."""
    step = dossier.current_step
    if step is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        role__in=[Role.SPECIALIST, Role.UNIT_LEADER],
        org_unit__path__startswith=step.unit.path,
    ).order_by("last_name", "first_name", "username")

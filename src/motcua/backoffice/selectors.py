"""Reads for the officials' pages: the work lists, the procedures a counter may receive, one dossier.

Every dossier query starts from `dossiers.selectors.visible_dossiers(user)`, so an officer never sees a
dossier outside their scope, whatever list or filter they ask for.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure
from motcua.core.models import User
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.core.text import fold
from motcua.documents import selectors as documents
from motcua.dossiers import services as dossier_services
from motcua.dossiers.access import acting_step, units_under
from motcua.dossiers.access import assignable_officers as assignable_to_unit
from motcua.dossiers.models import (
    ClockPause,
    Consultation,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierUnit,
    StepInstance,
)
from motcua.dossiers.selectors import visible_dossiers
from motcua.dossiers.states import ADMIN_ROLE, PAUSED, Status
from motcua.eforms import selectors as eforms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motcua.documents.models import ComponentFile

S = Status
RETURNED_WINDOW = timedelta(days=30)
MAX_QUERY_LENGTH = 100
MAX_LISTED_IDS = 5000


@dataclass(frozen=True)
class WorkList:
    name: str
    label: "StrOrPromise"
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


ALL_UNITS = None  # a center administrator's scope: the whole province


@dataclass(frozen=True)
class WorkScope:
    """What an officer's lists are read from, worked out once a request: the units (their unit and below;
    ALL_UNITS for a center administrator) and the open dossiers that belong to them."""

    units: list[int] | None
    open_dossiers: QuerySet[Dossier]


def work_scope(user: User) -> WorkScope:
    if user.role == ADMIN_ROLE:
        return WorkScope(ALL_UNITS, Dossier.objects.filter(closed_at__isnull=True))
    units = units_under(user.org_unit) if user.role in OFFICER_ROLES and user.org_unit else []
    return WorkScope(units, _open_dossiers(units))


def _under(field: str, units: list[int] | None) -> Q:
    return Q() if units is ALL_UNITS else Q(**{f"{field}__in": units})


def _open_dossiers(units: list[int]) -> QuerySet[Dossier]:
    """The open dossiers of these units: every work list but "returned" is a part of them. Read through
    the open rows of `DossierUnit` (a partial index), so a list costs what the units have open, not the
    province's history."""
    dossiers = Dossier.objects.filter(closed_at__isnull=True)
    scope = DossierUnit.objects.filter(unit_id__in=units, open=True).values("dossier_id")
    ids = list(scope.values_list("dossier_id", flat=True).distinct()[: MAX_LISTED_IDS + 1])
    if len(ids) > MAX_LISTED_IDS:
        return dossiers.filter(pk__in=scope)
    # A short list (a commune, a department) is given to the database as such, so that it starts from these
    # few dossiers instead of walking the province's open ones; on PostgreSQL as one array parameter.
    if connection.vendor == "postgresql":
        return dossiers.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (ids,)))
    return dossiers.filter(pk__in=ids)


def _returned_recently(units: list[int] | None, now: datetime) -> QuerySet[Dossier]:
    """Results returned at the units' counters in the last 30 days (returning is the receiving unit's act)."""
    return Dossier.objects.filter(
        _under("receiving_unit", units), status=S.RETURNED, returned_at__gte=now - RETURNED_WINDOW
    )


def _list_conditions(user: User, units: list[int] | None, now: datetime) -> dict[str, Q]:
    """What each list but "returned" holds among the units' open dossiers."""
    at_my_counter = _under("receiving_unit", units)
    # An active step of the units (several units at once in a parallel stage: each sees its own step).
    active = StepInstance.objects.filter(state=StepInstance.State.ACTIVE, kind=StepInstance.Kind.PROCESS)
    if units is not ALL_UNITS:
        active = active.filter(unit_id__in=units)
    if user.role == Role.SPECIALIST:
        active = active.filter(Q(assignee__isnull=True) | Q(assignee=user))
    my_step = Q(pk__in=active.values("dossier_id"))
    # Open with the clock running: a paused dossier (5, 6) waits for the applicant and is never due or
    # overdue (docs/domain.md "Time"); a second supplement request makes it overdue at once.
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


def list_counts(user: User, *, now: datetime | None = None, scope: WorkScope | None = None) -> dict[str, int]:
    """How many dossiers each work list holds, in two queries over the user's open dossiers and the
    results returned recently: none reads the history."""
    now, scope = now or timezone.now(), scope or work_scope(user)
    units = scope.units
    conditions = _list_conditions(user, units, now)
    counts = scope.open_dossiers.aggregate(
        **{name.replace("-", "_"): Count("pk", filter=q) for name, q in conditions.items()}
    )
    return {name: counts[name.replace("-", "_")] or 0 for name in conditions} | {
        RETURNED_LIST: _returned_recently(units, now).count()
    }


def work_list(
    user: User,
    name: str,
    *,
    procedure_id: int | None = None,
    now: datetime | None = None,
    scope: WorkScope | None = None,
) -> QuerySet[Dossier]:
    """One work list, of one procedure or all, in its order; page it on ids and load the rows of a page with
    `list_rows`. (A query searches every list: `search_dossiers`.)"""
    work = LISTS_BY_NAME[name]
    now, scope = now or timezone.now(), scope or work_scope(user)
    if name == RETURNED_LIST:
        dossiers = _returned_recently(scope.units, now)
    else:
        dossiers = scope.open_dossiers.filter(_list_conditions(user, scope.units, now)[name])
    if procedure_id:
        dossiers = dossiers.filter(_of_procedure(procedure_id))
    return dossiers.order_by(*work.order)


SEARCH_ORDER = ("-submitted_at", "-pk")
MIN_PHONE_DIGITS = 6


def search_dossiers(user: User, q: str, *, procedure_id: int | None = None) -> QuerySet[Dossier]:
    """Every dossier the user may see (`visible_dossiers`: whatever list it is in, returned long ago
    included) whose code holds `q` (case and spaces ignored), whose applicant's name or declaration's main
    answers (the child's name…) hold every word of `q` (diacritics ignored), or whose applicant has `q` as ID
    number or phone; newest first."""
    q = q.strip()[:MAX_QUERY_LENGTH]
    words = fold(q).split()
    if not words:
        return Dossier.objects.none()
    compact = "".join(q.split())
    match = Q(code__icontains=compact) | Q(applicant_id_number=compact)
    digits = re.sub(r"\D", "", q)
    if len(digits) >= MIN_PHONE_DIGITS and not re.search(r"[^\d\s.+-]", q):
        # 0912 345 678, 0912.345.678 and +84 912345678 are one number: matched on what follows 0 / 84.
        national = digits[2:] if digits.startswith("84") and len(digits) > 10 else digits.lstrip("0")
        match |= Q(applicant_phone__endswith=national)
    if any(ch.isalpha() for ch in q):
        match |= Q.create([("applicant_name_folded__contains", word) for word in words], connector=Q.AND)
        match |= eforms.matching_search(words)  # the declaration's main answers: the child's name (#16)
    dossiers = visible_dossiers(user).filter(match)
    if procedure_id:
        dossiers = dossiers.filter(_of_procedure(procedure_id))
    return dossiers.order_by(*SEARCH_ORDER)


def _of_procedure(procedure_id: int) -> Q:
    """Dossiers of the procedure of the row `procedure_id`, whatever version they were received under."""
    return Q(procedure__code__in=Procedure.objects.filter(pk=procedure_id).values("code"))


def list_rows(ids: list[int]) -> list[Dossier]:
    """The dossiers of one page of a list, in the list's order, with what a row shows (a fixed number of
    queries). The list itself is paged on ids alone, so its sort never joins what only the rows show.

    Each dossier gets `handled_by`: the officer its current step is assigned to, else the officer who
    acted on it last (None when no officer has yet, e.g. an online dossier waiting for the counter)."""
    last_officer = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), actor__role__in=OFFICER_ROLES)
        .order_by("-at", "-pk")
        .values("actor_id")[:1]
    )
    rows = list(
        Dossier.objects.filter(pk__in=ids)
        .select_related(
            "procedure",
            "receiving_unit",
            "reschedule",
            "current_step__unit",
            "current_step__assignee",
            "declaration",
        )
        .prefetch_related(Prefetch("pauses", ClockPause.objects.order_by("started_at", "pk")))
        .annotate(last_officer_id=Subquery(last_officer))
    )
    officers = User.objects.in_bulk({d.last_officer_id for d in rows if d.last_officer_id})
    for d in rows:
        assignee = d.current_step.assignee if d.current_step else None
        # An attribute for the work list's page only (its template and tests read `dossier.handled_by`).
        d.handled_by = assignee or officers.get(d.last_officer_id)  # type: ignore[attr-defined]
    by_pk = {d.pk: d for d in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def list_procedures(user: User, *, scope: WorkScope | None = None) -> QuerySet[Procedure]:
    """The procedures of the user's open dossiers (the work lists' procedure filter)."""
    open_dossiers = (scope or work_scope(user)).open_dossiers
    used = Procedure.objects.filter(pk__in=open_dossiers.values("procedure_id"))
    # One row per procedure (code), its latest version among the open dossiers' (the filter takes them all).
    latest = used.order_by().values("code").annotate(latest=Max("pk")).values("latest")
    return Procedure.objects.filter(pk__in=latest).only("code", "name")


def receivable_procedures(user: User, *, q: str = "", on: date | None = None) -> QuerySet[Procedure]:
    """The published procedures in force on `on` (default today) the user's one-stop section may receive at
    the counter."""
    level = dossier_services.level_received_at(user.org_unit)
    if level is None:
        return Procedure.objects.none()
    procedures = catalog.in_force(on).filter(level=level, time_limit_amount__isnull=False)
    q = q.strip()[:MAX_QUERY_LENGTH]
    if q:
        procedures = procedures.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return procedures.order_by("code")


def receivable_procedure(user: User, code: str, *, on: date | None = None) -> Procedure | None:
    return receivable_procedures(user, on=on).filter(code=code).prefetch_related("components", "fees").first()


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
        by_component.setdefault(f.dossier_component_id, []).append(
            FileLink(f.pk, f.display_name, f.stored_file.size)
        )
    return [(c, by_component.get(c.pk, [])) for c in dossier.components.order_by("pk")]


def component_file(dossier: Dossier, user: User, file_id: int) -> "ComponentFile | None":
    """A file of one of the dossier's components (None when it belongs to another dossier)."""
    return documents.dossier_files(dossier=dossier, acting_user=user).filter(pk=file_id).first()


def assignable_officers(dossier: Dossier, user: User) -> QuerySet[User]:
    """Whom the step `user` acts on may be assigned to (`access.assignable_officers`): in a parallel stage,
    the leader's own unit's step."""
    step = acting_step(dossier, user)
    if step is None:
        return User.objects.none()
    return assignable_to_unit(step.unit).order_by("last_name", "first_name", "username")


# --- consultations (xin ý kiến) ------------------------------------------------------------------------


def asked_of_my_unit(user: User) -> QuerySet[Consultation]:
    """The open consultations asked of the officer's own unit (every unit's for a center administrator),
    due first, so the overdue ones lead (the partial index `consultation_open_by_unit`)."""
    asked = Consultation.objects.filter(answered_at__isnull=True, withdrawn_at__isnull=True)
    if user.role != Role.CENTER_ADMIN:
        asked = asked.filter(consulted_unit_id=user.org_unit_id) if user.org_unit_id else asked.none()
    return asked.order_by("due_at", "pk")


def consultations_of(dossier: Dossier) -> QuerySet[Consultation]:
    return dossier.consultations.select_related(
        "asking_unit", "consulted_unit", "asked_by", "answered_by"
    ).order_by("asked_at", "pk")

"""Who may act on which dossier: the role granted by the state machine's rule, within the actor's scope."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import PermissionDenied
from motcua.core.i18n import interpolate
from motcua.core.models import OrgUnit, User
from motcua.core.roles import OFFICER_ROLES, Role
from motcua.dossiers.models import Dossier, DossierEvent, StepInstance
from motcua.dossiers.states import ACT_LABELS, ADMIN_ROLE, RULES, Act, Scope


def unit_covers(user: User, unit: OrgUnit | None) -> bool:
    """True when `unit` is the user's unit or below it."""
    return bool(unit and user.org_unit and unit.path.startswith(user.org_unit.path))


def _in_scope(user: User, scope: Scope, dossier: Dossier | None, intake_unit: OrgUnit | None) -> bool:
    match scope:
        case Scope.INTAKE:
            return user.role in (Role.CITIZEN, Role.SYSTEM) or unit_covers(user, intake_unit)
        case Scope.RECEIVING_UNIT:
            return dossier is not None and unit_covers(user, dossier.receiving_unit)
        case Scope.CURRENT_STEP:
            step = dossier.current_step if dossier else None
            if step is None or not unit_covers(user, step.unit):
                return False
            # A step assigned to a named specialist is theirs; the unit's leaders may still act on it.
            return step.assignee_id in (None, user.pk) or user.role == Role.UNIT_LEADER
        case Scope.APPLICANT:
            return dossier is not None and dossier.applicant_user_id == user.pk
    return False


def check_can(
    act: Act, user: User, dossier: Dossier | None = None, *, intake_unit: OrgUnit | None = None
) -> None:
    """Raise PermissionDenied unless `user` may do `act` on `dossier` (or create one at `intake_unit`)."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Bạn cần đăng nhập để thực hiện thao tác này."), code="not_authenticated")
    if user.role == ADMIN_ROLE:
        return
    for role, scope in RULES[act].grants:
        if user.role == role and _in_scope(user, scope, dossier, intake_unit):
            return
    raise PermissionDenied(
        interpolate(_("Bạn không có quyền “%(act)s” đối với hồ sơ này."), {"act": ACT_LABELS[act]}),
        act=act.value,
    )


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers the user may see: the applicant's own; an officer's unit's (received or processed)."""
    dossiers = Dossier.objects.select_related("procedure", "receiving_unit", "current_step__unit")
    if not user.is_authenticated:
        return dossiers.none()
    if user.role == ADMIN_ROLE:
        return dossiers
    if user.role in OFFICER_ROLES and user.org_unit is not None:
        path = user.org_unit.path
        processed_here = StepInstance.objects.filter(dossier=OuterRef("pk"), unit__path__startswith=path)
        return dossiers.filter(Q(receiving_unit__path__startswith=path) | Exists(processed_here))
    if user.role == Role.SYSTEM:  # a connected system (the portal) sees what it submitted
        submitted = DossierEvent.objects.filter(dossier=OuterRef("pk"), act=Act.SUBMIT_ONLINE, actor=user)
        return dossiers.filter(Exists(submitted))
    return dossiers.filter(applicant_user=user)

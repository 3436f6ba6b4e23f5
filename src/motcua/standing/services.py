"""Writes of `standing`: a year's figures of one index (typed or imported), and the province's targets.

Each write is one transaction, replaces what the same index and year held (its components with it), locks
the row it replaces, and leaves an audit record (core.audit). Only the center's administrators write.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import ConflictError, PermissionDenied, ValidationFailed
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.standing import xlsx
from motcua.standing.components import component
from motcua.standing.inputs import Source, StandingFigures, problems, source_problem
from motcua.standing.models import ComponentScore, Standing, Target

CONCURRENT = _("Người khác vừa ghi số liệu của cùng chỉ số và năm; tải lại trang rồi thử lại.")


def _require_admin(user: User, what: str) -> None:
    if not (user.is_authenticated and user.is_active and user.role == Role.CENTER_ADMIN):
        audit.denied(user, what)
        raise PermissionDenied(_("Chỉ quản trị Trung tâm được ghi chỉ số xếp hạng của tỉnh."))


def _write(figures: StandingFigures, acting_user: User) -> tuple[Standing, bool]:
    """Inside the caller's transaction: the index's year replaced by `figures`; (row, whether it replaced)."""
    existing = Standing.objects.select_for_update().filter(index=figures.index, year=figures.year).first()
    standing = existing or Standing(index=figures.index, year=figures.year)
    for name, value in (
        ("score", figures.score),
        ("max_score", figures.max_score),
        ("rank", figures.rank),
        ("ranked_out_of", figures.ranked_out_of),
        ("note", figures.note),
        ("source_title", figures.source.title),
        ("source_url", figures.source.url),
        ("sample", figures.source.sample),
        ("recorded_by", acting_user),
    ):
        setattr(standing, name, value)
    standing.save()
    if existing is not None:
        existing.components.all().delete()
    rows = []
    for position, c in enumerate(figures.components, start=1):
        known = component(figures.index, c.code)
        source = c.source if not source_problem(c.source) else figures.source
        rows.append(
            ComponentScore(
                standing=standing,
                position=position,
                code=c.code,
                name=c.name or (str(known.name) if known else c.code),
                score=c.score,
                max_score=c.max_score,
                rank=c.rank,
                source_title=source.title,
                source_url=source.url,
                sample=source.sample,
            )
        )
    ComponentScore.objects.bulk_create(rows)
    return standing, existing is not None


def record_standing(*, acting_user: User, figures: StandingFigures) -> Standing:
    """Record (or replace) one index's figures of one year, as typed on the entry page."""
    _require_admin(acting_user, "standing_record")
    wrong = problems(figures)
    if wrong:
        raise ValidationFailed(
            _("Số liệu chưa đúng, chưa ghi: %(problems)s.") % {"problems": "; ".join(wrong)},
            code="standing_invalid",
        )
    try:
        with transaction.atomic():
            standing, replaced = _write(figures, acting_user)
    except IntegrityError as exc:  # the same index and year created at the same moment by someone else
        raise ConflictError(CONCURRENT) from exc
    audit.record(
        "standing_recorded",
        user=acting_user,
        standing_id=standing.pk,
        index=figures.index,
        year=figures.year,
        replaced=replaced,
    )
    return standing


def import_workbook(*, acting_user: User, data: bytes) -> list[Standing]:
    """Import the published tables: every index and year in the file replaces what was recorded for it,
    all in one transaction; a file with any wrong row changes nothing."""
    _require_admin(acting_user, "standing_import")
    everything = xlsx.read_workbook(data)
    try:
        with transaction.atomic():
            written = [_write(figures, acting_user) for figures in everything]
    except IntegrityError as exc:
        raise ConflictError(CONCURRENT) from exc
    audit.record(
        "standing_imported",
        user=acting_user,
        standings=[standing.pk for standing, _replaced in written],
        replaced=[standing.pk for standing, replaced in written if replaced],
    )
    return [standing for standing, _replaced in written]


def set_target(
    *,
    acting_user: User,
    index: str,
    year: int,
    rank_at_most: int,
    out_of: int,
    source: Source,
    note: str = "",
) -> Target:
    """Set (or replace) the province's target for an index: in the first `rank_at_most` of `out_of` by
    `year`."""
    _require_admin(acting_user, "standing_target")
    wrong = []
    if not 1 <= out_of <= 100 or not 1 <= rank_at_most <= out_of:
        wrong.append(str(_("xếp hạng mục tiêu phải từ 1 đến tổng số tỉnh (tối đa 100)")))
    problem = source_problem(source)
    if problem:
        wrong.append(str(problem))
    figures_check = problems(
        StandingFigures(index=index, year=year, max_score=Decimal(1), source=Source(sample=True))
    )
    wrong += figures_check
    if wrong:
        raise ValidationFailed(
            _("Mục tiêu chưa đúng, chưa ghi: %(problems)s.") % {"problems": "; ".join(wrong)},
            code="standing_target_invalid",
        )
    try:
        with transaction.atomic():
            target = Target.objects.select_for_update().filter(index=index, year=year).first() or Target(
                index=index, year=year
            )
            target.rank_at_most, target.out_of, target.note = rank_at_most, out_of, note
            target.source_title, target.source_url, target.sample = source.title, source.url, source.sample
            target.save()
    except IntegrityError as exc:
        raise ConflictError(CONCURRENT) from exc
    audit.record("standing_target_set", user=acting_user, target_id=target.pk, index=index, year=year)
    return target

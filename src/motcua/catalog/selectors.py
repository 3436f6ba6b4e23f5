"""Reads of the public procedure catalogue (no acting user: the catalogue is public by law).

Also the few wordings the catalogue shows for a time limit, a fee and a step's unit, so that the web
pages (and later the API and the printed forms) say the same thing.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.models import DecisionItem, Fee, Procedure, ProcessStep, PublicationDecision
from motcua.core import formatting
from motcua.core.models import OrgUnit
from motcua.core.text import fold


def in_force(on: date | None = None) -> QuerySet[Procedure]:
    """The published procedures in force on the day `on` (default today, Asia/Ho_Chi_Minh): one version per
    code. Every lookup for a new dossier or for the public goes through it (catalog.publication)."""
    return Procedure.objects.in_force(on or timezone.localdate()).filter(is_published=True)


def published_procedures(*, q: str = "", on: date | None = None) -> QuerySet[Procedure]:
    """Published procedures in force on `on` (default today), province level first, filtered by `q` on code
    or name.

    The match ignores case and diacritics ("khai sinh" finds "Đăng ký khai sinh"), done in Python on
    (code, name): a province publishes a few thousand procedures at most.
    """
    procedures = (
        in_force(on)
        .select_related("responsible_unit")
        .prefetch_related(Prefetch("fees", queryset=Fee.objects.order_by("position")))
        .order_by("-level", "code")  # "province" sorts after "commune": descending puts it first
    )
    needle = fold(q)
    if not needle:
        return procedures
    matching = [
        pk
        for pk, code, name in procedures.values_list("pk", "code", "name")
        if needle in code.casefold() or needle in fold(name)
    ]
    return procedures.filter(pk__in=matching)


def procedure_by_code(code: str, *, on: date | None = None) -> Procedure | None:
    """The version of a published procedure in force on `on` (default today) with everything its detail
    page shows, or None (unknown, not published, not yet or no longer in force)."""
    return (
        in_force(on)
        .filter(code=code)
        .select_related("responsible_unit")
        .prefetch_related(
            "components",
            Prefetch("fees", queryset=Fee.objects.order_by("position")),
            Prefetch("steps", queryset=ProcessStep.objects.select_related("unit").order_by("position")),
        )
        .first()
    )


def publication_decisions() -> QuerySet[PublicationDecision]:
    """The publication decisions, latest signed first, with their items (the procedure versions)."""
    items = DecisionItem.objects.select_related("procedure", "previous").order_by("pk")
    return PublicationDecision.objects.prefetch_related(Prefetch("items", queryset=items)).order_by(
        "-signed_on", "-pk"
    )


def fees_for(procedure: Procedure, channel: str) -> list[Fee]:
    """The fees a dossier of `procedure` submitted by `channel` (online, counter, post) pays, in published
    order: the fees of every channel and those of its own. What every bill and fee list of a dossier uses.

    Reads `procedure.fees.all()`, so a prefetched list is used as is."""
    if channel not in Fee.Channel.values or channel == Fee.Channel.ALL:
        raise ValueError(f"not a submission channel: {channel!r}")
    return [fee for fee in procedure.fees.all() if fee.channel in (Fee.Channel.ALL, channel)]


def receiving_units(procedure: Procedure) -> QuerySet[OrgUnit]:
    """Where the procedure's paper dossiers are submitted: the provincial center or any commune."""
    kind = OrgUnit.Kind.CENTER if procedure.level == Procedure.Level.PROVINCE else OrgUnit.Kind.COMMUNE
    return OrgUnit.objects.filter(kind=kind, is_active=True)


# --- wordings ----------------------------------------------------------------------------------------


def format_amount(amount: Decimal | int) -> str:
    """3 → "3", 0.5 → "0,5" (the active language's decimal separator)."""
    value = Decimal(amount)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return number_format(value)


def format_vnd(amount: int) -> str:
    """150000 → "150.000 đồng" (grouped with the active language's thousand separator)."""
    return formatting.format_vnd(amount)


def _count(amount: Decimal) -> int:
    return int(amount) if amount == amount.to_integral() else 2  # plural form for fractions


def duration_text(amount: Decimal | int, unit: str) -> str:
    """An amount in a time-limit unit: "3 ngày làm việc", "15 ngày", "4 giờ làm việc"."""
    value = Decimal(amount)
    n, shown = _count(value), format_amount(value)
    match unit:
        case "working_days":
            text = ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n)
        case "days":
            text = ngettext("%(n)s ngày", "%(n)s ngày", n)
        case "working_hours":
            text = ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", n)
        case "months":
            text = ngettext("%(n)s tháng", "%(n)s tháng", n)
        case _:
            text = "%(n)s"
    return text % {"n": shown}


def time_limit_text(procedure: Procedure) -> str:
    """The published time limit, marked when the demo chose it; never a made-up value for a null."""
    if not procedure.has_time_limit or procedure.time_limit_amount is None:
        return _("Chưa công bố")
    text = duration_text(procedure.time_limit_amount, procedure.time_limit_unit)
    if procedure.time_limit_is_demo_choice:
        text = _("%(limit)s (dữ liệu mẫu)") % {"limit": text}
    return text


def fee_text(fee: Fee) -> str:
    """A fee's amount; a null stays "not published" (the note says why, e.g. set by the council)."""
    if fee.amount_vnd is None:
        return _("Chưa công bố / theo quy định của HĐND tỉnh")
    if fee.amount_vnd == 0:
        return _("Miễn phí")
    return format_vnd(fee.amount_vnd)


def fees_summary(procedure: Procedure, channel: str | None = None) -> str:
    """The fees of one channel, or of the procedure: by channel when they differ between channels."""
    fees = fees_for(procedure, channel) if channel else list(procedure.fees.all())
    if not fees:
        return _("Không có thông tin")
    by_channel = fees_by_channel(procedure) if channel is None else []
    if by_channel:
        return " · ".join(f"{label}: {text}" for label, text in by_channel)
    return "; ".join(fee_text(fee) for fee in fees)


def fees_by_channel(procedure: Procedure) -> list[tuple[str, str]]:
    """(channel, what a dossier of that channel pays) for each channel the procedure takes dossiers by
    that has a fee; empty when every fee applies to every channel (nothing differs by channel)."""
    if all(fee.channel == Fee.Channel.ALL for fee in procedure.fees.all()):
        return []
    offered = [Fee.Channel.COUNTER, Fee.Channel.POST]
    if procedure.online_level != Procedure.OnlineLevel.NONE:
        offered.insert(0, Fee.Channel.ONLINE)
    rows = [(str(channel.label), fees_for(procedure, channel)) for channel in offered]
    return [(label, " + ".join(fee_text(fee) for fee in fees)) for label, fees in rows if fees]


def online_level_text(procedure: Procedure) -> str:
    text = str(procedure.get_online_level_display())
    if procedure.online_level_is_demo_choice:
        text = _("%(level)s (dữ liệu mẫu)") % {"level": text}
    return text


def step_unit_text(step: ProcessStep) -> str:
    """The unit of a template step: a named unit, or the commune (police) that received the dossier."""
    if step.unit_kind == ProcessStep.UnitKind.FIXED and step.unit is not None:
        return step.unit.name
    return str(step.get_unit_kind_display())


def stages(steps: Iterable[ProcessStep]) -> list[list[ProcessStep]]:
    """The template's steps (in position order) by stage: consecutive steps of one parallel group run at
    once and form one stage (as `dossiers.intake.instantiate_steps` reads them); every other step is a stage
    of its own."""
    out: list[list[ProcessStep]] = []
    group: int | None = None
    for step in steps:
        if out and step.parallel_group is not None and step.parallel_group == group:
            out[-1].append(step)
        else:
            out.append([step])
        group = step.parallel_group
    return out


def process_total(steps: Iterable[ProcessStep]) -> Decimal:
    """The time the process template takes: each stage by its longest step (a parallel group's steps share
    the same span of time), the stages one after the other."""
    return sum((max(step.duration for step in stage) for stage in stages(steps)), Decimal(0))

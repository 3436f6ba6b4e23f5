"""A catalogue diff as lines for people, in the active language (Vietnamese by default)."""

from django.utils.translation import gettext as _

from motcua.catalog.exchange.diff import CatalogueDiff, FieldChange, FieldValue


def _shown(value: FieldValue) -> str:
    text = "; ".join(value) if isinstance(value, tuple) else value
    return text or _("(trống)")


def _change_lines(change: FieldChange) -> list[str]:
    if isinstance(change.old, tuple) or isinstance(change.new, tuple):
        lines = [f"      {change.label}:"]
        lines += [f"        + {item}" for item in change.added]
        lines += [f"        - {item}" for item in change.removed]
        if not change.added and not change.removed:
            lines.append("        " + _("(thay đổi thứ tự)"))
        return lines
    return [f"      {change.label}: {_shown(change.old)} → {_shown(change.new)}"]


def _review_lines(review: tuple[str, ...]) -> list[str]:
    return ["      " + _("Cần xem lại: %(what)s") % {"what": what} for what in review]


def report_lines(diff: CatalogueDiff, *, source: str, count: int) -> list[str]:
    lines = [
        _("Đối chiếu danh mục thủ tục với tệp %(source)s (%(count)s thủ tục).")
        % {"source": source, "count": count}
    ]
    lines.append(_("Thủ tục mới (%(count)s):") % {"count": len(diff.new)})
    for procedure in diff.new:
        lines.append(f"  + {procedure.code} – {procedure.name}")
        lines += _review_lines(procedure.review)
    lines.append(_("Thủ tục thay đổi (%(count)s):") % {"count": len(diff.changed)})
    for changed in diff.changed:
        lines.append(f"  ~ {changed.code} – {changed.name}")
        for change in changed.changes:
            lines += _change_lines(change)
        lines += _review_lines(changed.published.review)
    lines.append(_("Thủ tục không còn trong tệp (%(count)s):") % {"count": len(diff.gone)})
    lines += [f"  - {gone.code} – {gone.name}" for gone in diff.gone]
    lines.append(_("Không thay đổi: %(count)s thủ tục.") % {"count": diff.unchanged})
    return lines

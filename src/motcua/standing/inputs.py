"""A year's figures of one index as typed on the entry form or read from a workbook, and their checks."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.standing.components import Index, component

FIRST_YEAR = 2010
LAST_YEAR = 2100


@dataclass(frozen=True)
class Source:
    title: str = ""
    url: str = ""
    sample: bool = False


@dataclass(frozen=True)
class ComponentFigures:
    code: str
    score: Decimal
    max_score: Decimal
    name: str = ""  # empty: the catalogue's name (components.COMPONENTS)
    rank: int | None = None
    source: Source = field(default_factory=Source)


@dataclass(frozen=True)
class StandingFigures:
    index: str
    year: int
    max_score: Decimal
    score: Decimal | None = None
    rank: int | None = None
    ranked_out_of: int | None = None
    source: Source = field(default_factory=Source)
    note: str = ""
    components: tuple[ComponentFigures, ...] = ()


def source_problem(source: Source) -> str | Promise | None:
    if not source.sample and not (source.title.strip() or source.url.strip()):
        return _("ghi nguồn (ấn phẩm hoặc đường dẫn) hoặc đánh dấu “mẫu” khi chưa tìm thấy nguồn")
    if len(source.title) > 300 or len(source.url) > 500:
        return _("tên nguồn tối đa 300 ký tự, đường dẫn tối đa 500 ký tự")
    if source.url:
        try:
            URLValidator(schemes=["http", "https"])(source.url)
        except ValidationError:
            return _("đường dẫn nguồn phải là địa chỉ http:// hoặc https://")
    return None


def problems(figures: StandingFigures) -> list[str]:
    """What is wrong with the figures, in words for people; empty when they may be recorded."""
    out: list[str] = []
    if figures.index not in Index.values:
        return [str(_("chỉ số không hợp lệ: chọn PAR Index, SIPAS hoặc PAPI"))]
    if not FIRST_YEAR <= figures.year <= LAST_YEAR:
        out.append(str(_("năm phải từ %(first)d đến %(last)d") % {"first": FIRST_YEAR, "last": LAST_YEAR}))
    if figures.max_score <= 0:
        out.append(str(_("điểm tối đa phải lớn hơn 0")))
    if figures.score is not None and not 0 <= figures.score <= figures.max_score:
        out.append(str(_("điểm phải từ 0 đến điểm tối đa")))
    if figures.rank is not None and figures.ranked_out_of is None:
        out.append(str(_("có xếp hạng thì phải ghi xếp hạng trên tổng số bao nhiêu tỉnh")))
    if figures.ranked_out_of is not None and not 1 <= figures.ranked_out_of <= 100:
        out.append(str(_("tổng số tỉnh xếp hạng phải từ 1 đến 100")))
    if (
        figures.rank is not None
        and figures.ranked_out_of is not None
        and not 1 <= figures.rank <= figures.ranked_out_of
    ):
        out.append(str(_("xếp hạng phải từ 1 đến tổng số tỉnh xếp hạng")))
    problem = source_problem(figures.source)
    if problem:
        out.append(str(problem))
    seen: set[str] = set()
    for c in figures.components:
        label = c.code
        if component(figures.index, c.code) is None:
            out.append(str(_("thành phần “%(code)s” không thuộc chỉ số này") % {"code": label}))
            continue
        if c.code in seen:
            out.append(str(_("thành phần “%(code)s” ghi hai lần") % {"code": label}))
        seen.add(c.code)
        if c.max_score <= 0 or not 0 <= c.score <= c.max_score:
            out.append(
                str(_("thành phần “%(code)s”: điểm phải từ 0 đến điểm tối đa (lớn hơn 0)") % {"code": label})
            )
        if (
            c.rank is not None
            and figures.ranked_out_of is not None
            and not 1 <= c.rank <= figures.ranked_out_of
        ):
            out.append(str(_("thành phần “%(code)s”: xếp hạng vượt tổng số tỉnh") % {"code": label}))
        problem = source_problem(c.source) if c.source != Source() else None
        if problem:
            out.append(str(_("thành phần “%(code)s”: %(problem)s") % {"code": label, "problem": problem}))
    return out

"""The province's PAR Index, SIPAS and PAPI history and its 2025 targets (data/standing.json), each figure
with the page it was read on or marked as a sample. Loaded once through `standing.services` by the
center's administrator; a year or target already recorded is left as it is (an administrator's edit stays).
"""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from motcua.core.models import User
from motcua.standing import services
from motcua.standing.inputs import ComponentFigures, Source, StandingFigures
from motcua.standing.models import Standing, Target

DATA_FILE = Path(__file__).parent / "data" / "standing.json"


def _source(item: dict[str, Any], fallback: Source | None = None) -> Source:
    source = Source(item.get("source_title", ""), item.get("source_url", ""), bool(item.get("sample")))
    if fallback is not None and not (source.sample or source.title or source.url):
        return fallback
    return source


def _figures(item: dict[str, Any]) -> StandingFigures:
    source = _source(item)
    return StandingFigures(
        index=item["index"],
        year=item["year"],
        score=None if item.get("score") is None else Decimal(item["score"]),
        max_score=Decimal(item["max_score"]),
        rank=item.get("rank"),
        ranked_out_of=item.get("ranked_out_of"),
        source=source,
        note=item.get("note", ""),
        components=tuple(
            ComponentFigures(
                code=c["code"],
                score=Decimal(c["score"]),
                max_score=Decimal(c["max_score"]),
                source=_source(c, source),
            )
            for c in item.get("components", ())
        ),
    )


def load_demo_standing(admin: User) -> int:
    """Record the years and targets not recorded yet; rows written."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    written = 0
    recorded = set(Standing.objects.values_list("index", "year"))
    for item in data["standings"]:
        if (item["index"], item["year"]) not in recorded:
            services.record_standing(acting_user=admin, figures=_figures(item))
            written += 1
    targets = set(Target.objects.values_list("index", "year"))
    for item in data["targets"]:
        if (item["index"], item["year"]) not in targets:
            services.set_target(
                acting_user=admin,
                index=item["index"],
                year=item["year"],
                rank_at_most=item["rank_at_most"],
                out_of=item["out_of"],
                source=_source(item),
                note=item.get("note", ""),
            )
            written += 1
    return written

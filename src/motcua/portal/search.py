"""Catalogue search without diacritics: "khai sinh" and "dang ky khai sinh" find "Đăng ký khai sinh".

Names are folded (NFD, combining marks stripped, đ → d, lower case) and matched in Python: a province
publishes a few thousand procedures at most, and a stored folded column would belong to the catalogue's
table. A procedure matches when the folded query occurs in its folded code, name, field or agency starting
at a word ("khai sin" while typing), or when every word of the query is one of its words, in any order
("sinh khai"). "khai tu" does not find "thủ tục … khai sinh".
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import published_procedures
from motcua.core.text import fold

__all__ = ["CatalogueFilters", "agency_of", "filter_options", "fold", "procedure_search"]


def agency_of(procedure_unit_name: str | None, agency_description: str) -> str:
    """The agency a procedure is filtered by: its responsible unit, else the published description."""
    return (procedure_unit_name or agency_description or "").strip()


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    field: str = ""
    agency: str = ""
    level: str = ""


def procedure_search(q: str = "", *, filters: CatalogueFilters | None = None) -> QuerySet[Procedure]:
    """Published procedures matching every word of `q` (diacritics ignored) and the exact filters."""
    filters = filters or CatalogueFilters(q=q)
    q = q or filters.q
    procedures = published_procedures()
    if filters.level in Procedure.Level.values:
        procedures = procedures.filter(level=filters.level)
    if filters.field:
        procedures = procedures.filter(field=filters.field)
    phrase = fold(q)
    words = set(phrase.split())
    if not words and not filters.agency:
        return procedures
    rows = procedures.values_list(
        "pk", "code", "name", "field", "agency_description", "responsible_unit__name"
    )
    matching = []
    for pk, code, name, field, description, unit_name in rows:
        agency = agency_of(unit_name, description)
        if filters.agency and agency != filters.agency:
            continue
        haystack = " " + " ".join((fold(code), fold(name), fold(field), fold(agency)))
        if not words or f" {phrase}" in haystack or words <= set(haystack.split()):
            matching.append(pk)
    return procedures.filter(pk__in=matching)


def filter_options() -> dict[str, list[str]]:
    """The fields and agencies of published procedures, for the catalogue's filters (sorted, folded)."""
    rows = published_procedures().values_list("field", "agency_description", "responsible_unit__name")
    fields = {field for field, _d, _u in rows if field}
    agencies = {agency_of(unit, description) for _f, description, unit in rows} - {""}
    return {
        "fields": sorted(fields, key=fold),
        "agencies": sorted(agencies, key=fold),
    }

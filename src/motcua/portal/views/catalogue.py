"""The public catalogue of online public services, searchable without diacritics."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure
from motcua.catalog.search import CatalogueFilters, filter_options, procedure_search

MAX_QUERY_LENGTH = 100
PAGE_SIZE = 30


def catalogue(request: HttpRequest) -> HttpResponse:
    filters = CatalogueFilters(
        q=request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH],
        field=request.GET.get("linh_vuc", "")[:200],
        agency=request.GET.get("co_quan", "")[:500],
        level=request.GET.get("cap", ""),
    )
    found = procedure_search(filters.q, filters=filters)
    page = Paginator(found.procedures, PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [
        {
            "procedure": p,
            "time_limit": catalog.time_limit_text(p),
            "fees": catalog.fees_summary(p),
            "online_level": catalog.online_level_text(p),
            "online": p.online_level in ("full", "partial"),
        }
        for p in page.object_list
    ]
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "filters": filters,
        "options": filter_options(),
        "levels": Procedure.Level.choices,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "suggestions": found.suggestions,
        "filtered": any((filters.q, filters.field, filters.agency, filters.level)),
    }
    return render(request, "portal/catalogue.html", context)

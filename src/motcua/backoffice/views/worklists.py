"""The work lists (`/can-bo/?list=…`): what waits for the officer, with paging; with `q`, the search of
every dossier the officer may see, whatever list it is in and however old (#13 item 10)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from motcua.backoffice import display, selectors
from motcua.backoffice.views.common import nav_context, officer
from motcua.core.decorators import officer_required
from motcua.dossiers.models import Dossier

PAGE_SIZE = 25


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    clock: display.Clock


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware, which adds `htmx`."""

    htmx: HtmxDetails


@officer_required
def work_lists(request: HtmxHttpRequest) -> HttpResponse:
    user = officer(request)
    name = request.GET.get("list", selectors.DEFAULT_LIST)
    if name not in selectors.LISTS_BY_NAME:
        name = selectors.DEFAULT_LIST
    q = request.GET.get("q", "").strip()[: selectors.MAX_QUERY_LENGTH]
    procedure = request.GET.get("procedure", "")
    procedure_id = int(procedure) if procedure.isdigit() else None
    now, scope = timezone.now(), selectors.work_scope(user)
    if q:
        dossiers = selectors.search_dossiers(user, q, procedure_id=procedure_id)
    else:
        dossiers = selectors.work_list(user, name, procedure_id=procedure_id, now=now, scope=scope)
    page = Paginator(dossiers.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [Row(dossier=d, clock=display.clock_of(d, now=now)) for d in selectors.list_rows(list(page))]
    context = {
        "current": selectors.LISTS_BY_NAME[name],
        "q": q,
        "procedure_id": procedure_id,
        "procedures": selectors.list_procedures(user, scope=scope),
        "page": page,
        "rows": rows,
        "highlight_late": name in ("den-han", "qua-han"),
    }
    if request.htmx and request.htmx.target == "results":
        return render(request, "backoffice/_worklist_results.html", context)
    return render(request, "backoffice/worklists.html", context | nav_context(user, scope))

"""The publication decisions (`/can-bo/quyet-dinh-cong-bo/`): what each announced, amended, replaced or
abolished, from which day, and the dates indicators 1.1 and 1.2 read. Recorded in the admin
(catalog.publication); read here by every officer."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.backoffice.views.common import nav_context, officer
from motcua.catalog import selectors as catalog
from motcua.core.decorators import officer_required

PAGE_SIZE = 20


@officer_required
def decisions(request: HttpRequest) -> HttpResponse:
    page = Paginator(catalog.publication_decisions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "backoffice/decisions.html", {"page": page} | nav_context(officer(request)))

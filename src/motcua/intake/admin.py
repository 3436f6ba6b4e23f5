from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.intake.models import InboundDossier

# ModelAdmin is generic only in the stubs (no django_stubs_ext.monkeypatch): subscripted for mypy alone.
if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[InboundDossier]
else:
    _Admin = admin.ModelAdmin


@admin.register(InboundDossier)
class InboundDossierAdmin(_Admin):
    """The dossiers the national portal delivered: received (with the dossier) or rejected (with the reason
    the portal was told). Read-only: written by `intake.inbound`."""

    list_display = [
        "portal_code",
        "state",
        "via",
        "deliveries",
        "dossier",
        "reason",
        "received_on",
        "told_on",
    ]
    list_filter = ["status", "via"]
    search_fields = ["portal_code", "dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in InboundDossier._meta.fields]

    @admin.display(description=_("tình trạng"), ordering="status")
    def state(self, obj: InboundDossier) -> str:
        return obj.get_status_display()

    @admin.display(description=_("nhận lúc"), ordering="first_seen_at")
    def received_on(self, obj: InboundDossier) -> object:
        return obj.first_seen_at

    @admin.display(description=_("đã báo Cổng lúc"), ordering="acknowledged_at")
    def told_on(self, obj: InboundDossier) -> object:
        return obj.acknowledged_at

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

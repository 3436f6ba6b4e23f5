from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import ConfigAuditMixin
from motcua.queueing.models import ServiceCounter, Ticket


@admin.register(ServiceCounter)
class ServiceCounterAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "number", "field", "is_open", "officer"]
    list_filter = ["is_open", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "unit__name", "field"]
    list_select_related = ["unit", "officer"]
    autocomplete_fields = ["unit", "officer"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read only: a ticket changes through the counter page, which records who did what."""

    list_display = ["ticket", "unit", "day", "field", "status", "counter", "called_at", "finished_at"]
    list_filter = ["status", "day", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["unit", "counter"]

    @admin.display(description=_("số thứ tự"))
    def ticket(self, obj: Ticket) -> str:
        return obj.label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return False

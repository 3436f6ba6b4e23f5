from django.contrib import admin

from motcua.core.admin import ConfigAuditMixin
from motcua.queueing.models import ServiceCounter, Ticket


@admin.register(ServiceCounter)
class ServiceCounterAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "number", "field", "is_open", "officer"]
    list_filter = ["is_open", "unit"]
    raw_id_fields = ["officer"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read only: a ticket changes through the counter page, which records who did what."""

    list_display = ["label", "unit", "day", "field", "status", "counter", "called_at", "finished_at"]
    list_filter = ["status", "day", "unit"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

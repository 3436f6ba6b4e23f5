from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.admin import ConfigAuditMixin
from motcua.queueing.models import CounterArea, CounterShift, ServiceArea, ServiceCounter, Ticket


@admin.register(ServiceArea)
class ServiceAreaAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "code", "position", "is_active", "target_wait_minutes"]
    list_filter = ["is_active", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    exclude = ["alerted_at"]


class CounterAreaInline(admin.TabularInline):
    model = CounterArea
    extra = 1


class CounterShiftInline(admin.TabularInline):
    model = CounterShift
    extra = 1


@admin.register(ServiceCounter)
class ServiceCounterAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "number", "is_open", "officer"]
    list_filter = ["is_open", ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit", "officer"]
    autocomplete_fields = ["unit", "officer"]
    inlines = [CounterAreaInline, CounterShiftInline]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read only: a ticket changes through the counter page, which records who did what."""

    list_display = [
        "ticket",
        "unit",
        "day",
        "area",
        "priority",
        "status",
        "counter",
        "called_at",
        "finished_at",
    ]
    list_filter = ["status", "priority", "day", ("unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["unit", "area", "counter"]
    exclude = ["holder_id_number", "holder_birth_date", "photo"]  # personal data stays off the admin

    @admin.display(description=_("số thứ tự"))
    def ticket(self, obj: Ticket) -> str:
        return obj.label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Ticket | None = None) -> bool:
        return False

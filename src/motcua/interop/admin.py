from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.interop.models import (
    Exchange,
    MinistryCase,
    MinistryUpdate,
    Notification,
    SandboxReceipt,
    SyncRecord,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# Any: a column shows the field's own value (a date, a number, text), which the admin formats, while the
# stubs want list_display's callables to return str or bool.
def column(name: str, label: "StrOrPromise") -> Callable[[models.Model], Any]:
    """A list column with a Vietnamese heading, for the technical models whose fields have no verbose name."""

    @admin.display(description=label, ordering=name)
    def show(obj: models.Model) -> Any:
        return getattr(obj, name)

    show.__name__ = name
    return show


NUMBER = column("pk", "#")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        column("dossier_code", _("mã hồ sơ")),
        column("channel", _("kênh")),
        column("recipient", _("người nhận")),
        column("subject", _("tiêu đề")),
        column("sent_at", _("gửi lúc")),
    ]
    search_fields = ["dossier_code", "recipient"]


@admin.register(SyncRecord)
class SyncRecordAdmin(admin.ModelAdmin):
    """The history of what was sent to the National Public Service Portal (read-only: written by the sync)."""

    list_display = [
        NUMBER,
        "dossier",
        "service",
        "status",
        "attempts",
        "sent_at",
        column("created_at", _("tạo lúc")),
    ]
    list_filter = ["service", "status"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in SyncRecord._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SandboxReceipt)
class SandboxReceiptAdmin(admin.ModelAdmin):
    list_display = [
        NUMBER,
        column("service", _("dịch vụ")),
        column("error_code", _("mã lỗi")),
        column("message", _("thông báo")),
        column("received_at", _("nhận lúc")),
    ]
    list_filter = ["service", "error_code"]
    readonly_fields = [f.name for f in SandboxReceipt._meta.fields]


class _ReadOnly(admin.ModelAdmin):
    """Written by the axis and the connectors only: the operators read them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Exchange)
class ExchangeAdmin(_ReadOnly):
    """Every exchange over the data axes (LGSP/NGSP): what went, what came back, how long it took."""

    list_display = [
        NUMBER,
        "at",
        "direction",
        "axis",
        "service",
        "dossier",
        "outcome",
        "http_status",
        "duration_ms",
        "attempt",
        "correlation_id",
    ]
    list_filter = ["direction", "axis", "service", "outcome"]
    search_fields = ["dossier__code", "idempotency_key", "correlation_id"]
    list_select_related = ["dossier"]
    date_hierarchy = "at"


class MinistryUpdateInline(admin.TabularInline):
    model = MinistryUpdate
    readonly_fields = ["received_at", "remote_status", "mapped_status", "result_number", "text", "applied"]
    fields = ("received_at", "remote_status", "mapped_status", "result_number", "text", "applied")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MinistryCase)
class MinistryCaseAdmin(_ReadOnly):
    list_display = [
        NUMBER,
        "dossier",
        "system",
        "state",
        "remote_status",
        "mapped_status",
        "result_number",
        "requested_at",
    ]
    list_filter = ["system", "state"]
    search_fields = ["dossier__code", "remote_reference", "result_number"]
    list_select_related = ["dossier"]
    inlines = [MinistryUpdateInline]

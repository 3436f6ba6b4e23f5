from django.contrib import admin

from motcua.interop.models import Notification, OutboxMessage, SandboxReceipt, SyncRecord


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "topic", "created_at", "dispatched_at", "attempts", "last_error"]
    list_filter = ["topic"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["dossier_code", "channel", "recipient", "subject", "sent_at"]
    search_fields = ["dossier_code", "recipient"]


@admin.register(SyncRecord)
class SyncRecordAdmin(admin.ModelAdmin):
    """The history of what was sent to the National Public Service Portal (read-only: written by the sync)."""

    list_display = ["pk", "dossier", "service", "status", "attempts", "sent_at", "created_at"]
    list_filter = ["service", "status"]
    search_fields = ["dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in SyncRecord._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(SandboxReceipt)
class SandboxReceiptAdmin(admin.ModelAdmin):
    list_display = ["pk", "service", "error_code", "message", "received_at"]
    list_filter = ["service", "error_code"]
    readonly_fields = [f.name for f in SandboxReceipt._meta.fields]

from django.contrib import admin

from motcua.interop.models import Notification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "topic", "created_at", "dispatched_at", "attempts", "last_error"]
    list_filter = ["topic"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["dossier_code", "channel", "recipient", "subject", "sent_at"]
    search_fields = ["dossier_code", "recipient"]

from django.contrib import admin

from motcua.payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Online payments (read-only: written by the gateway's verified callbacks). Filter on "cần hoàn tiền"
    for the money taken that the dossier may not keep."""

    list_display = ["reference", "dossier", "amount_vnd", "status", "needs_refund", "paid_at", "provider"]
    list_filter = ["needs_refund", "status", "provider"]
    search_fields = ["reference", "provider_ref", "dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

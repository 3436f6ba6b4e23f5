from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.core.formatting import format_vnd
from motcua.payments.models import BankLine, Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Online payments (read-only: written by the gateway's verified callbacks). Filter on "cần hoàn tiền"
    for the money taken that the dossier may not keep."""

    list_display = ["reference", "dossier_code", "amount", "status", "needs_refund", "paid_at", "provider"]
    list_filter = ["needs_refund", "status", "provider"]
    search_fields = ["reference", "provider_ref", "dossier__code"]
    list_select_related = ["dossier"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    @admin.display(description=_("hồ sơ"), ordering="dossier__code")
    def dossier_code(self, obj: Payment) -> str:
        return obj.dossier.code

    @admin.display(description=_("số tiền"), ordering="amount_vnd")
    def amount(self, obj: Payment) -> str:
        return format_vnd(obj.amount_vnd)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False


@admin.register(BankLine)
class BankLineAdmin(admin.ModelAdmin):
    """The bank's collection lines as reconciled (read-only: written by the statement import)."""

    list_display = ["bank_ref", "booked_on", "amount", "category", "dossier_code", "statement"]
    list_filter = ["category", "booked_on", "bank"]
    search_fields = ["bank_ref", "remittance", "dossier__code"]
    list_select_related = ["dossier", "statement"]
    readonly_fields = [f.name for f in BankLine._meta.fields]

    @admin.display(description=_("hồ sơ"), ordering="dossier__code")
    def dossier_code(self, obj: BankLine) -> str:
        return obj.dossier.code if obj.dossier else ""

    @admin.display(description=_("số tiền"), ordering="amount_vnd")
    def amount(self, obj: BankLine) -> str:
        return format_vnd(obj.amount_vnd)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: BankLine | None = None) -> bool:
        return False

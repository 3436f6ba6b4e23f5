"""Dossiers are shown read-only: every change goes through `dossiers.services` (and the back office)."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierEvent, StepInstance


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = StepInstance
    fields = ["position", "name", "unit", "assignee", "state", "started_at", "due_at", "finished_at"]


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["at", "act", "from_status", "to_status", "actor", "reason"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["code", "procedure_name", "applicant_name", "status", "received_at", "appointment_at"]
    list_filter = [
        "status",
        "channel",
        "procedure__level",
        ("receiving_unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    list_select_related = ["procedure"]
    inlines = [StepInline, EventInline]

    @admin.display(description=_("thủ tục"), ordering="procedure__name")
    def procedure_name(self, obj: Dossier) -> str:
        return obj.procedure.name

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        return False

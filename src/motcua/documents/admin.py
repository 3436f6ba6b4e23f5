"""Stored files, the data store, reuses and e-results are read-only in the admin: written by the services
only. Document types, their mappings and the reference registers are configuration, edited here."""

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.documents.models import (
    ComponentDocumentType,
    ComponentFile,
    DataStoreItem,
    DataStoreReuse,
    DocumentType,
    ElectronicResult,
    ProcedureResultType,
    ReferenceBusiness,
    ReferencePerson,
    StoredFile,
)


@admin.display(description=_("hồ sơ"), ordering="dossier__code")
def dossier_code(obj: DataStoreReuse | ElectronicResult) -> str:
    return obj.dossier.code


@admin.display(description=_("loại giấy tờ"), ordering="document_type__name")
def document_type_name(obj: DataStoreReuse) -> str:
    return obj.document_type.name if obj.document_type_id else "—"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "content_type", "size", "page_count", "created_at", "created_by"]
    list_filter = ["content_type"]
    search_fields = ["sha256", "original_name"]
    date_hierarchy = "created_at"


@admin.register(ComponentFile)
class ComponentFileAdmin(ReadOnlyAdmin):
    list_display = ["dossier_component", "stored_file", "kind", "digitised_by", "digitised_at"]
    list_filter = ["kind"]
    list_select_related = ["dossier_component", "stored_file", "digitised_by"]


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "validity_days", "from_population_db"]
    search_fields = ["code", "name"]


@admin.register(ComponentDocumentType)
class ComponentDocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["procedure_component", "document_type"]
    list_filter = ["document_type"]
    list_select_related = ["procedure_component__procedure", "document_type"]
    raw_id_fields = ["procedure_component"]
    autocomplete_fields = ["document_type"]


@admin.register(ProcedureResultType)
class ProcedureResultTypeAdmin(admin.ModelAdmin):
    list_display = ["procedure", "document_type"]
    list_select_related = ["procedure", "document_type"]
    autocomplete_fields = ["procedure", "document_type"]


@admin.register(DataStoreItem)
class DataStoreItemAdmin(ReadOnlyAdmin):
    list_display = ["owner_id_number", "document_type", "source", "issuer", "valid_from", "valid_until"]
    list_filter = ["source", "document_type"]
    search_fields = ["owner_id_number"]
    list_select_related = ["document_type"]


@admin.register(DataStoreReuse)
class DataStoreReuseAdmin(ReadOnlyAdmin):
    list_display = [dossier_code, document_type_name, "source", "reused_at"]
    list_filter = ["source", "document_type"]
    list_select_related = ["dossier", "document_type"]


@admin.register(ElectronicResult)
class ElectronicResultAdmin(ReadOnlyAdmin):
    list_display = [dossier_code, "signed_by_unit", "signed_at", "certificate_serial", "issued_by"]
    list_select_related = ["dossier", "signed_by_unit", "issued_by"]
    search_fields = ["dossier__code", "certificate_serial"]


@admin.register(ReferencePerson)
class ReferencePersonAdmin(admin.ModelAdmin):
    list_display = ["citizen_id", "full_name", "birth_date", "permanent_address"]
    search_fields = ["citizen_id", "full_name"]


@admin.register(ReferenceBusiness)
class ReferenceBusinessAdmin(admin.ModelAdmin):
    list_display = ["tax_code", "name", "head_office_address"]
    search_fields = ["tax_code", "name"]

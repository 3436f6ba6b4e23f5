"""Stored files are read-only in the admin: they are written by `documents.services` only."""

from django.contrib import admin

from motcua.documents.models import ComponentFile, StoredFile


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
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

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.core.models import CalendarException, OrgUnit, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class MotcuaUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "org_unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    autocomplete_fields = ["org_unit"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Vai trò và đơn vị"), {"fields": ("role", "org_unit", "job_title", "citizen_id", "phone")}),
    )


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "day"

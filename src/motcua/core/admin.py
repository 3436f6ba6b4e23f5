from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from motcua.core.models import CalendarException, ConfigChange, OrgUnit, User

# --- configuration audit -------------------------------------------------------------------------------

SECRET_FIELDS = {"password"}
HIDDEN = "***"

Values = dict[str, Any]


class ConfigAuditMixin:
    """For the ModelAdmins of configuration that decides deadlines and power: every add, change and delete
    made in the admin, of the record and of the rows of its inlines, is kept as a `ConfigChange` with the
    values before and after, the actor and the time, in the admin's transaction."""

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm[Any], change: bool) -> None:
        # The form has already written the new values on `obj`: the old ones are read back from the database.
        _before(request)[id(obj)] = _snapshot(type(obj), obj.pk) if change else {}
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance  # many-to-many values are saved by now
        before = _before(request).pop(id(obj), {})
        action = ConfigChange.Action.CHANGE if change else ConfigChange.Action.ADD
        _record(request, obj, action, before, _snapshot(type(obj), obj.pk))

    def save_formset(
        self,
        request: HttpRequest,
        form: ModelForm[Any],
        formset: BaseModelFormSet[Any, ModelForm[Any]],
        change: bool,
    ) -> None:
        rows = [f.instance for f in formset.initial_forms if f.instance.pk is not None]
        model = formset.model
        assert model is not None  # a model formset's
        stored = {row.pk: _values(row) for row in model._base_manager.filter(pk__in=[r.pk for r in rows])}
        pks = {id(row): row.pk for row in rows}  # a deleted row loses its pk
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        parent = form.instance
        for obj in formset.new_objects:
            _record(request, obj, ConfigChange.Action.ADD, {}, _snapshot(type(obj), obj.pk), parent=parent)
        for obj, _fields in formset.changed_objects:
            before = stored.get(obj.pk, {})
            _record(
                request, obj, ConfigChange.Action.CHANGE, before, _snapshot(type(obj), obj.pk), parent=parent
            )
        for obj in formset.deleted_objects:
            pk = pks.get(id(obj))
            _record(request, obj, ConfigChange.Action.DELETE, stored.get(pk, {}), {}, parent=parent, pk=pk)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        pk, before = obj.pk, _snapshot(type(obj), obj.pk)
        super().delete_model(request, obj)  # type: ignore[misc]
        _record(request, obj, ConfigChange.Action.DELETE, before, {}, pk=pk)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic(using=queryset.db):
            rows = [(obj, obj.pk, _values(obj)) for obj in queryset]
            super().delete_queryset(request, queryset)  # type: ignore[misc]
            for obj, pk, before in rows:
                _record(request, obj, ConfigChange.Action.DELETE, before, {}, pk=pk)


def _before(request: HttpRequest) -> dict[int, Values]:
    """Values read before a save, until the record is written (per request: admins are shared)."""
    if not hasattr(request, "_config_audit_before"):
        request._config_audit_before = {}  # type: ignore[attr-defined]
    before: dict[int, Values] = request._config_audit_before  # type: ignore[attr-defined]
    return before


def _snapshot(model: type[models.Model], pk: Any) -> Values:
    obj = model._base_manager.filter(pk=pk).first() if pk is not None else None
    return _values(obj) if obj is not None else {}


def _values(obj: models.Model) -> Values:
    """The record's stored values, JSON-safe (ids for relations, "***" for a password)."""
    values: Values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.value_from_object(obj)
        values[field.name] = HIDDEN if field.name in SECRET_FIELDS and value else _plain(value)
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):  # the admin's widgets keep whole seconds: not a change worth a line
        value = value.replace(microsecond=0)
    try:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    except TypeError:
        return str(value)


EMPTY: tuple[Any, ...] = (None, "", [])


def _record(
    request: HttpRequest,
    obj: models.Model,
    action: str,
    before: Values,
    after: Values,
    *,
    parent: models.Model | None = None,
    pk: Any = None,
) -> None:
    names = [*before, *(name for name in after if name not in before)]
    changes = {
        name: [before.get(name), after.get(name)]
        for name in names
        if before.get(name) != after.get(name)
        and not (before.get(name) in EMPTY and after.get(name) in EMPTY)
    }
    if action == ConfigChange.Action.CHANGE and not changes:
        return
    user = request.user
    ConfigChange.objects.create(
        model=obj._meta.label_lower,
        object_id=str(pk if pk is not None else obj.pk),
        object_repr=str(obj)[:255],
        parent_model=parent._meta.label_lower if parent is not None else "",
        parent_id=str(parent.pk) if parent is not None else "",
        action=action,
        changes=changes,
        actor=user if user.is_authenticated else None,
        actor_name=user.get_username(),
    )


@admin.register(ConfigChange)
class ConfigChangeAdmin(admin.ModelAdmin):
    """Read only: the record of configuration changes is written by the admin itself, never edited."""

    list_display = ["at", "actor_name", "action", "kind", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "object_id", "actor_name"]
    date_hierarchy = "at"
    fields = ("at", "actor_name", "action", "kind", "object_id", "object_repr", "parent", "changes_table")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ConfigChange | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ConfigChange | None = None) -> bool:
        return False

    @admin.display(description=_("loại cấu hình"), ordering="model")
    def kind(self, obj: ConfigChange) -> str:
        model = _model(obj.model)
        return str(model._meta.verbose_name) if model else obj.model

    @admin.display(description=_("thuộc bản ghi"))
    def parent(self, obj: ConfigChange) -> str:
        if not obj.parent_model:
            return "—"
        model = _model(obj.parent_model)
        found = model._base_manager.filter(pk=obj.parent_id).first() if model else None
        return f"{found or obj.parent_model} (#{obj.parent_id})"

    @admin.display(description=_("thay đổi (cũ → mới)"))
    def changes_table(self, obj: ConfigChange) -> str:
        model = _model(obj.model)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (_label(model, name), _shown(model, name, old), _shown(model, name, new))
                for name, (old, new) in obj.changes.items()
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Trường"),
            _("Giá trị cũ"),
            _("Giá trị mới"),
            rows,
        )


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    try:
        return model._meta.get_field(name) if model else None
    except LookupError:
        return None


def _label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    return str(getattr(field, "verbose_name", name))


def _shown(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A stored value as people read it: a choice's label, a related record's name (with its id)."""
    if value in EMPTY:
        return "—"
    field = _field(model, name)
    if field is not None and field.choices and not field.is_relation:
        return f"{dict(field.flatchoices).get(value, value)}"
    if field is not None and field.is_relation and field.related_model is not None:
        ids = value if isinstance(value, list) else [value]
        names = {o.pk: str(o) for o in field.related_model._base_manager.filter(pk__in=ids)}
        return ", ".join(f"{names.get(pk, '?')} (#{pk})" for pk in ids)
    return str(value)


# --- configuration of this app -------------------------------------------------------------------------


# Whoever may configure a record that names a unit may look the units up (the autocomplete of 281 units);
# the list of the province's units is public.
UNIT_LOOKUP_PERMISSIONS = (
    "catalog.change_procedure",
    "catalog.change_processstep",
    "queueing.change_servicecounter",
)


@admin.register(OrgUnit)
class OrgUnitAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent_unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    @admin.display(description=_("đơn vị cấp trên"), ordering="parent__name")
    def parent_unit(self, obj: OrgUnit) -> str:
        return obj.parent.name if obj.parent is not None else "—"

    def has_view_permission(self, request: HttpRequest, obj: OrgUnit | None = None) -> bool:
        return super().has_view_permission(request, obj) or any(
            request.user.has_perm(perm) for perm in UNIT_LOOKUP_PERMISSIONS
        )


@admin.register(User)
class MotcuaUserAdmin(ConfigAuditMixin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "org_unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "citizen_id"]
    autocomplete_fields = ["org_unit"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Vai trò và đơn vị"), {"fields": ("role", "org_unit", "job_title", "citizen_id", "phone")}),
    )


@admin.register(CalendarException)
class CalendarExceptionAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["day", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "day"

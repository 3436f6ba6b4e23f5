"""Query filters of the list endpoints."""

import django_filters
from django.db.models import Q, QuerySet

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Status


class ProcedureFilter(django_filters.FilterSet):  # type: ignore[misc]
    level = django_filters.ChoiceFilter(choices=Procedure.Level.choices)
    field = django_filters.CharFilter(field_name="field", lookup_expr="iexact", help_text="Field (lĩnh vực).")
    q = django_filters.CharFilter(method="search", help_text="Search in the code and the name.")

    class Meta:
        model = Procedure
        fields = ["level", "field", "q"]

    def search(self, queryset: QuerySet[Procedure], name: str, value: str) -> QuerySet[Procedure]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        )


class DossierFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.TypedMultipleChoiceFilter(
        choices=Status.choices, coerce=int, help_text="Status code; repeat for several (status=5&status=6)."
    )
    procedure = django_filters.CharFilter(field_name="procedure__code", help_text="Procedure code.")
    q = django_filters.CharFilter(field_name="code", lookup_expr="icontains", help_text="Part of the code.")

    class Meta:
        model = Dossier
        fields = ["status", "procedure", "q"]

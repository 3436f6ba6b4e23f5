"""API views: parse the input, call one service, render the result. No rules here."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Manager, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure, ProcessStep
from motcua.core.errors import NotFound
from motcua.dossiers import services
from motcua.dossiers.access import visible_dossiers
from motcua.dossiers.models import Dossier
from motcua.intake import services as intake_services

from . import idempotency, selectors
from .acts import ENDPOINTS, ActEndpoint
from .auth import ExpiringTokenAuthentication, caller
from .filters import DossierFilter, ProcedureFilter
from .pagination import NewestFirstPagination
from .parsers import JSONParser  # depth-limited, refuses NUL
from .serializers import (
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    ErrorSerializer,
    ProcedureDetailSerializer,
    ProcedureSerializer,
)

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

# Token first, so that an anonymous call gets 401 with `WWW-Authenticate: Token` (DRF asks the first class).
AUTHENTICATION: list[type[BaseAuthentication]] = [ExpiringTokenAuthentication, SessionAuthentication]


def _errors(*statuses: int) -> dict[int, OpenApiResponse]:
    return {status: OpenApiResponse(ErrorSerializer) for status in statuses}


def render_dossier(dossier: Dossier, request: Request) -> dict[str, Any]:
    """The detail of a dossier the caller just created or acted on."""
    fresh = selectors.with_details(Dossier.objects.all()).get(pk=dossier.pk)
    return DossierDetailSerializer(fresh, context={"request": request, "now": timezone.now()}).data


# --- catalogue -------------------------------------------------------------------------------------

PUBLISHED_PROCEDURES = Procedure.objects.filter(is_published=True)  # the schema's model


class CatalogueMixin:
    authentication_classes: Sequence[type[BaseAuthentication]] = AUTHENTICATION
    permission_classes: "Sequence[_PermissionClass]" = [AllowAny]
    queryset: QuerySet[Procedure] | Manager[Procedure] | None = PUBLISHED_PROCEDURES

    def get_queryset(self) -> QuerySet[Procedure]:
        """The versions in force today (one per code), read at each request."""
        return catalog.in_force()


@extend_schema_view(
    get=extend_schema(
        operation_id="list_procedures",
        tags=["catalogue"],
        responses={200: ProcedureSerializer(many=True), **_errors(400)},
    )
)
class ProcedureListView(CatalogueMixin, generics.ListAPIView[Procedure]):
    serializer_class = ProcedureSerializer
    filterset_class = ProcedureFilter


@extend_schema_view(
    get=extend_schema(
        operation_id="get_procedure",
        tags=["catalogue"],
        responses={200: ProcedureDetailSerializer, **_errors(404)},
    )
)
class ProcedureDetailView(CatalogueMixin, generics.RetrieveAPIView[Procedure]):
    serializer_class = ProcedureDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Procedure]:
        return (
            super()
            .get_queryset()
            .select_related("responsible_unit")
            .prefetch_related(
                "components", "fees", Prefetch("steps", ProcessStep.objects.select_related("unit"))
            )
        )


# --- dossiers --------------------------------------------------------------------------------------


class DossierMixin:
    authentication_classes: Sequence[type[BaseAuthentication]] = AUTHENTICATION
    permission_classes: "Sequence[_PermissionClass]" = [IsAuthenticated]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]
    # The schema's model; requests use the caller's scope.
    queryset: QuerySet[Dossier] | Manager[Dossier] | None = Dossier.objects.none()


class DossierListCreateView(DossierMixin, generics.ListAPIView[Dossier]):
    serializer_class = DossierSerializer
    pagination_class = NewestFirstPagination
    filterset_class = DossierFilter
    # The intake service names fields after the model; the API after its input.
    service_field_names = {
        "applicant_kind": "applicant.kind",
        "applicant_name": "applicant.name",
        "applicant_id_number": "applicant.id_number",
        "applicant_email": "applicant.email",
        "applicant_phone": "applicant.phone",
    }

    def get_queryset(self) -> QuerySet[Dossier]:
        return visible_dossiers(caller(self.request))

    @extend_schema(
        operation_id="list_dossiers",
        tags=["dossiers"],
        responses={200: DossierSerializer(many=True), **_errors(400, 401)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="create_dossier",
        tags=["dossiers"],
        summary="Submit online (status 1) or receive at the counter / by post (status 2)",
        parameters=[
            OpenApiParameter(
                idempotency.HEADER,
                str,
                OpenApiParameter.HEADER,
                required=True,
                pattern=r"^\s*\S(.{0,98}\S)?\s*$",  # 1-100 characters once trimmed, as idempotency.key_of
                description="1–100 characters, unique per request; a retry with the same key and body "
                "replays the first response.",
            )
        ],
        request=DossierCreateSerializer,
        responses={201: DossierDetailSerializer, **_errors(400, 401, 403, 422)},
    )
    def post(self, request: Request) -> Response:
        key = idempotency.key_of(request)
        return idempotency.run_once(request=request, key=key, produce=lambda: (201, self._create(request)))

    def _create(self, request: Request) -> dict[str, Any]:
        payload = DossierCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        intake = services.Intake(
            procedure=data["procedure"],
            applicant=services.Applicant(**data["applicant"]),
            receiving_unit=data["receiving_unit"],
            components=[services.ProvidedComponent(component_id) for component_id in data["components"]],
            summary=data["summary"],
        )
        dossier = intake_services.receive_from_api(
            intake=intake, channel=data["channel"], acting_user=caller(request)
        )
        return render_dossier(dossier, request)


@extend_schema_view(
    get=extend_schema(
        operation_id="get_dossier",
        tags=["dossiers"],
        responses={200: DossierDetailSerializer, **_errors(401, 404)},
    )
)
class DossierDetailView(DossierMixin, generics.RetrieveAPIView[Dossier]):
    serializer_class = DossierDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Dossier]:
        return selectors.with_details(visible_dossiers(caller(self.request)))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": timezone.now()}


class ActView(DossierMixin, APIView):
    """One legal act on a dossier; subclasses name the act, its input and its service."""

    endpoint: ActEndpoint

    def post(self, request: Request, code: str) -> Response:
        dossier = visible_dossiers(caller(request)).filter(code=code).first()
        if dossier is None:
            raise NotFound(_("Không tìm thấy hồ sơ."))
        payload = self.endpoint.input(data=request.data)
        payload.is_valid(raise_exception=True)
        arguments = dict(payload.validated_data)
        dossier.version = arguments.pop("version")  # the service compares it with the locked row
        result = self.endpoint.service(dossier=dossier, acting_user=caller(request), **arguments)
        return Response(render_dossier(result, request))


def act_view(endpoint: ActEndpoint) -> type[ActView]:
    name = "".join(part.title() for part in endpoint.act.value.split("_")) + "View"
    view = type(name, (ActView,), {"endpoint": endpoint, "__doc__": endpoint.summary})
    schema = extend_schema(
        operation_id=endpoint.act.value,
        tags=["acts"],
        summary=endpoint.summary,
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH, description="Dossier code.")],
        request=endpoint.input,
        responses={200: DossierDetailSerializer, **_errors(400, 401, 403, 404, 409)},
    )
    return extend_schema_view(post=schema)(view)


ACT_VIEWS: dict[str, type[ActView]] = {endpoint.slug: act_view(endpoint) for endpoint in ENDPOINTS}

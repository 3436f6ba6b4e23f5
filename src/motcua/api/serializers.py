"""Input and output shapes of the API. Inputs only parse and look up; every rule lives in the services."""

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.catalog.models import Fee, Procedure, ProcedureComponent, ProcessStep
from motcua.core.models import OrgUnit, User
from motcua.documents import selectors as document_selectors
from motcua.dossiers.clock import TIMELINESS_LABELS, Timeliness
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    Consultation,
    Dossier,
    DossierComponent,
    DossierEvent,
    Reschedule,
    StepInstance,
)
from motcua.dossiers.states import ACT_LABELS, PAUSED
from motcua.eforms import selectors as eforms_selectors

from . import selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy gettext string

# --- errors ----------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField(help_text="In the request language (Accept-Language).")
    message_vi = serializers.CharField()
    message_en = serializers.CharField()
    # Named as in the body; the serializer's metaclass takes declared fields off the class, so this one
    # does not hide Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(), required=False, help_text="Input path → message for people."
    )
    field_codes = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Input path → stable code for programs (required, too_short, …); present with `fields`.",
    )
    details = serializers.DictField(required=False)


# --- catalogue -------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["code", "name"]


class TimeLimitSerializer(serializers.ModelSerializer[Procedure]):
    amount = serializers.DecimalField(
        source="time_limit_amount", max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    unit = serializers.CharField(source="time_limit_unit")
    note = serializers.CharField(source="time_limit_note")
    is_demo_choice = serializers.BooleanField(source="time_limit_is_demo_choice")

    class Meta:
        model = Procedure
        fields = ["amount", "unit", "note", "is_demo_choice"]


class ComponentSerializer(serializers.ModelSerializer[ProcedureComponent]):
    class Meta:
        model = ProcedureComponent
        fields = ["id", "position", "name", "form", "count", "is_mandatory", "note"]


class FeeSerializer(serializers.ModelSerializer[Fee]):
    class Meta:
        model = Fee
        fields = ["position", "name", "amount_vnd", "note"]


class ProcessStepSerializer(serializers.ModelSerializer[ProcessStep]):
    unit = UnitSerializer(allow_null=True)
    duration = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)

    class Meta:
        model = ProcessStep
        fields = [
            "position",
            "name",
            "unit_kind",
            "unit",
            "role",
            "is_approval",
            "parallel_group",
            "duration",
        ]


class ProcedureSerializer(serializers.ModelSerializer[Procedure]):
    time_limit = TimeLimitSerializer(source="*")

    class Meta:
        model = Procedure
        fields = ["code", "name", "name_en", "field", "level", "online_level", "time_limit"]


class ProcedureDetailSerializer(ProcedureSerializer):
    responsible_unit = UnitSerializer(allow_null=True)
    components = ComponentSerializer(many=True)
    fees = FeeSerializer(many=True)
    steps = ProcessStepSerializer(many=True)

    class Meta(ProcedureSerializer.Meta):
        fields = [
            *ProcedureSerializer.Meta.fields,
            "online_level_is_demo_choice",
            "partial_online_reason",
            "agency_description",
            "responsible_unit",
            "legal_basis",
            "result_name",
            "source_url",
            "components",
            "fees",
            "steps",
        ]


# --- creating a dossier ----------------------------------------------------------------------------


class ApplicantInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices)
    name = serializers.CharField(max_length=255)
    id_number = serializers.CharField(max_length=14, help_text="Citizen ID (12 digits) or tax code.")
    phone = serializers.CharField(max_length=15, required=False, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _by_code[M: Model](queryset: QuerySet[M], unknown: "StrOrPromise") -> serializers.SlugRelatedField[M]:
    return serializers.SlugRelatedField(
        slug_field="code", queryset=queryset, error_messages={"does_not_exist": unknown}
    )


class ProcedureInForceField(serializers.SlugRelatedField[Procedure]):
    """A procedure code → the version in force today (catalog.publication); read at each request."""

    def get_queryset(self) -> QuerySet[Procedure]:
        return Procedure.objects.in_force(timezone.localdate())


class DossierCreateSerializer(serializers.Serializer[Any]):
    procedure = ProcedureInForceField(
        slug_field="code",
        queryset=Procedure.objects.all(),
        error_messages={"does_not_exist": _("Không có thủ tục mã “{value}”.")},
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    receiving_unit = _by_code(OrgUnit.objects.filter(is_active=True), _("Không có đơn vị mã “{value}”."))
    applicant = ApplicantInputSerializer()
    components = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Ids of the procedure's components provided.",
    )
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- reading a dossier -----------------------------------------------------------------------------


class ApplicantSerializer(serializers.ModelSerializer[Dossier]):
    kind = serializers.CharField(source="applicant_kind")
    name = serializers.CharField(source="applicant_name")
    id_number = serializers.CharField(source="applicant_id_number")
    phone = serializers.CharField(source="applicant_phone")
    email = serializers.CharField(source="applicant_email")
    address = serializers.CharField(source="applicant_address")

    class Meta:
        model = Dossier
        fields = ["kind", "name", "id_number", "phone", "email", "address"]


class ProcedureRefSerializer(serializers.ModelSerializer[Procedure]):
    class Meta:
        model = Procedure
        fields = ["code", "name"]


class StepSerializer(serializers.ModelSerializer[StepInstance]):
    unit = UnitSerializer()
    assignee: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    duration = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False)
    finished_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = StepInstance
        fields = [
            "position",
            "stage",
            "kind",
            "name",
            "unit",
            "role",
            "is_approval",
            "duration",
            "state",
            "assignee",
            "started_at",
            "due_at",
            "finished_at",
            "finished_by",
            "opinion",
        ]
        extra_kwargs = {
            "stage": {"help_text": "Steps of one stage run at once (a parallel group); stages run in order."},
            "kind": {
                "help_text": "process, or transfer: the receiving one-stop section handing the dossier over."
            },
        }


class CurrentStepSerializer(StepSerializer):
    remaining_working_hours = serializers.SerializerMethodField(
        help_text=(
            "Working hours left before the step's due time; negative once overdue; null while the "
            "dossier's clock is stopped (status 5, 6)."
        )
    )

    class Meta(StepSerializer.Meta):
        fields = [*StepSerializer.Meta.fields, "remaining_working_hours"]

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_remaining_working_hours(self, step: StepInstance) -> float | None:
        paused = step.dossier.status in PAUSED
        return selectors.remaining_working_hours(
            step, self.context.get("now") or timezone.now(), paused=paused
        )


class EventSerializer(serializers.ModelSerializer[DossierEvent]):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = DossierEvent
        fields = ["act", "from_status", "to_status", "actor", "at", "reason", "data"]


class DossierComponentSerializer(serializers.ModelSerializer[DossierComponent]):
    class Meta:
        model = DossierComponent
        fields = ["name", "form", "count", "provided", "note"]


class DossierFileSerializer(serializers.Serializer[Any]):
    """A file attached to one of the dossier's components, under the name its own uploader gave it."""

    component = serializers.CharField(source="dossier_component.name")
    name = serializers.CharField(source="display_name")
    kind = serializers.CharField()
    content_type = serializers.CharField(source="stored_file.content_type")
    size = serializers.IntegerField(source="stored_file.size")
    digitised_at = serializers.DateTimeField()


class RescheduleSerializer(serializers.ModelSerializer[Reschedule]):
    responsible_unit = UnitSerializer()

    class Meta:
        model = Reschedule
        fields = [
            "previous_appointment_at",
            "new_appointment_at",
            "reason",
            "issued_at",
            "responsible_unit",
            "lawful",
        ]


class ConsultationSerializer(serializers.ModelSerializer[Consultation]):
    """A request for another agency's opinion (xin ý kiến) and its answer."""

    asking_unit = UnitSerializer()
    consulted_unit = UnitSerializer()
    asked_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    answered_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    answer_state = serializers.SerializerMethodField(
        help_text="waiting, answered, answered_late, overdue (past its deadline, no answer), withdrawn."
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "asking_unit",
            "consulted_unit",
            "content",
            "asked_by",
            "asked_at",
            "working_days",
            "due_at",
            "answer",
            "answered_by",
            "answered_at",
            "withdrawn_at",
            "late_alerted_at",
            "answer_state",
        ]

    @extend_schema_field(
        serializers.ChoiceField(choices=["waiting", "answered", "answered_late", "overdue", "withdrawn"])
    )
    def get_answer_state(self, consultation: Consultation) -> str:
        if consultation.answered_at is not None:
            return "answered_late" if consultation.answered_at > consultation.due_at else "answered"
        if consultation.withdrawn_at is not None:
            return "withdrawn"
        now = self.context.get("now") or timezone.now()
        return "overdue" if now > consultation.due_at else "waiting"


class AllowedActSerializer(serializers.Serializer[Any]):
    act = serializers.CharField(help_text="The endpoint: POST /api/v1/dossiers/{code}/{act}")
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class DeclarationSerializer(serializers.Serializer[Any]):
    """The declaration answered online (issue #16): the answers as data, and the form version they answer."""

    form_version = serializers.IntegerField(help_text="The version of the procedure's declaration form.")
    legal_form = serializers.CharField(help_text="The legal form it follows, with its circular.")
    answers = serializers.DictField(
        child=serializers.DictField(),
        help_text=(
            "Section key → field key → answer: dates ISO 8601, money integer VND, a choice its value, an "
            "address {detail, commune, commune_name}, a repeating group a list of such objects."
        ),
    )


class DossierSerializer(serializers.ModelSerializer[Dossier]):
    """A dossier in a list."""

    procedure = ProcedureRefSerializer()
    receiving_unit = UnitSerializer()
    status_label = serializers.CharField()
    applicant_name = serializers.CharField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "channel",
            "receiving_unit",
            "status",
            "status_label",
            "version",
            "applicant_name",
            "submitted_at",
            "received_at",
            "appointment_at",
            "ended_at",
        ]


class DossierDetailSerializer(DossierSerializer):
    """A dossier with its clock, steps, history and the acts the caller may perform now.

    Context: `request` (the caller) and optionally `now` (the moment of the timeliness test).
    """

    status = serializers.IntegerField(help_text="DVCQG TrangThaiHoSo code (1–10).")
    applicant = ApplicantSerializer(source="*")
    timeliness = serializers.SerializerMethodField(
        help_text=(
            "early / on_time / late once ended; in_time / overdue while open; paused while the clock is "
            "stopped waiting for the applicant (status 5, 6): never overdue then."
        )
    )
    timeliness_label = serializers.SerializerMethodField()
    paused_since = serializers.SerializerMethodField(
        help_text="When the clock stopped (status 5: supplement requested, 6: financial obligation)."
    )
    reschedule = serializers.SerializerMethodField()
    current_step = CurrentStepSerializer(allow_null=True)
    steps = StepSerializer(many=True)
    components = DossierComponentSerializer(many=True)
    events = EventSerializer(many=True)
    files = serializers.SerializerMethodField()
    consultations = serializers.SerializerMethodField()
    allowed_acts = serializers.SerializerMethodField()
    declaration = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "applicant",
            "summary",
            "original_appointment_at",
            "returned_at",
            "closed_at",
            "supplement_requests",
            "reschedule",
            "timeliness",
            "timeliness_label",
            "paused_since",
            "current_step",
            "steps",
            "components",
            "events",
            "files",
            "consultations",
            "allowed_acts",
            "declaration",
        ]

    @extend_schema_field(ConsultationSerializer(many=True))
    def get_consultations(self, dossier: Dossier) -> list[dict[str, Any]]:
        asked = dossier.consultations.select_related(
            "asking_unit", "consulted_unit", "asked_by", "answered_by"
        )
        return list(ConsultationSerializer(asked, many=True, context=self.context).data)

    def _timeliness(self, dossier: Dossier) -> Timeliness | None:
        return selectors.timeliness(dossier, self.context.get("now") or timezone.now())

    @extend_schema_field(serializers.ChoiceField(choices=[t.value for t in Timeliness], allow_null=True))
    def get_timeliness(self, dossier: Dossier) -> str | None:
        value = self._timeliness(dossier)
        return value.value if value else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_timeliness_label(self, dossier: Dossier) -> str | None:
        value = self._timeliness(dossier)
        return str(TIMELINESS_LABELS[value]) if value else None

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_paused_since(self, dossier: Dossier) -> str | None:
        since = selectors.paused_since(dossier)
        return serializers.DateTimeField().to_representation(since) if since else None

    @extend_schema_field(RescheduleSerializer(allow_null=True))
    def get_reschedule(self, dossier: Dossier) -> dict[str, Any] | None:
        reschedule = selectors.reschedule_of(dossier)
        return RescheduleSerializer(reschedule).data if reschedule else None

    @extend_schema_field(DossierFileSerializer(many=True))
    def get_files(self, dossier: Dossier) -> list[dict[str, Any]]:
        request = self.context.get("request")
        if request is None:
            return []
        files = document_selectors.dossier_files(dossier=dossier, acting_user=request.user)
        # many=True makes a ListSerializer, whose data is a list (the stubs do not follow `many`).
        return cast(list[dict[str, Any]], DossierFileSerializer(files, many=True).data)

    @extend_schema_field(AllowedActSerializer(many=True))
    def get_allowed_acts(self, dossier: Dossier) -> list[dict[str, str]]:
        request = self.context.get("request")
        if request is None:
            return []
        acts = selectors.acts_for(request.user, dossier)
        return [{"act": selectors.act_slug(act), "label": str(ACT_LABELS[act])} for act in acts]

    @extend_schema_field(DeclarationSerializer(allow_null=True))
    def get_declaration(self, dossier: Dossier) -> dict[str, Any] | None:
        declaration = eforms_selectors.declaration_of(dossier)
        return DeclarationSerializer(declaration.as_dict()).data if declaration else None

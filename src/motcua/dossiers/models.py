from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureComponent
from motcua.core.models import OrgUnit
from motcua.core.text import fold
from motcua.dossiers.states import Status

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Qua bưu chính")

    @property
    def is_paper(self) -> bool:
        return self in (Channel.COUNTER, Channel.POST)


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


# Field is generic only in the stubs (no django_stubs_ext.monkeypatch), so it is subscripted for mypy alone.
if TYPE_CHECKING:
    _CharField = models.CharField[str, str]
else:
    _CharField = models.CharField


class FoldedCopyField(_CharField):
    """A copy of another field of the row, folded (`core.text.fold`), for searching it without diacritics in
    the database. Written whenever the row is: created, saved, bulk-created (like `auto_now`)."""

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs | {"source": self.source}

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = fold(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


class Dossier(models.Model):
    """One application for one procedure by one applicant (hồ sơ). Its status is written only by services."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    receiving_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices, db_index=True)
    version = models.PositiveIntegerField(default=1)

    applicant_kind = models.CharField(_("loại chủ hồ sơ"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("chủ hồ sơ"), max_length=255)
    # The officers' search (#13 item 10): "nguyen van an" finds "Nguyễn Văn An".
    applicant_name_folded = FoldedCopyField(max_length=255, source="applicant_name")
    applicant_id_number = models.CharField(_("số định danh / mã số thuế"), max_length=14, db_index=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="dossiers"
    )
    summary = models.CharField(_("trích yếu"), max_length=500, blank=True)

    submitted_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True, db_index=True)
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    original_appointment_at = models.DateTimeField(_("ngày hẹn ban đầu"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc xử lý"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng hồ sơ lúc"), null=True, blank=True)

    current_step = models.ForeignKey(
        "StepInstance", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["receiving_unit", "status"]),
            models.Index(fields=["-submitted_at", "-id"], name="dossier_newest_first"),  # the API's list
            # The work lists read open dossiers only (a few per cent of the history) ...
            models.Index(
                fields=["status", "appointment_at"],
                condition=Q(closed_at__isnull=True),
                name="dossier_open_by_status",
            ),
            models.Index(
                fields=["appointment_at"],
                condition=Q(closed_at__isnull=True),
                name="dossier_open_by_appointment",
            ),
            # ... and the results returned in the last 30 days: the province's, and a unit's.
            models.Index(
                fields=["returned_at", "receiving_unit"],
                condition=Q(status=Status.RETURNED),
                name="dossier_returned",
            ),
            models.Index(
                fields=["receiving_unit", "returned_at"],
                condition=Q(status=Status.RETURNED),
                name="dossier_returned_by_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> "StrPromise":
        return Status(self.status).label


class DossierUnit(models.Model):
    """A unit a dossier belongs to: its receiving unit and every unit with a step on it (written by
    `dossiers.scope`). An officer sees the dossiers of their unit's subtree through these rows, which an index
    answers at any size of the history; `open` (not closed yet) narrows the work lists to live dossiers."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", db_index=False)
    open = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "dossier"], name="dossier_unit_once")]
        indexes = [
            models.Index(fields=["unit", "dossier"], condition=Q(open=True), name="dossier_unit_open"),
        ]


class DossierComponent(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    procedure_component = models.ForeignKey(ProcedureComponent, null=True, on_delete=models.SET_NULL)
    name = models.TextField(_("tên giấy tờ"))
    form = models.CharField(_("hình thức"), max_length=20, choices=ProcedureComponent.Form.choices)
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    provided = models.BooleanField(_("đã nộp"), default=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ đã nộp")
        verbose_name_plural = _("thành phần hồ sơ đã nộp")


class StepInstance(models.Model):
    """A step of the process template, instantiated for one dossier, with its own deadline.

    Steps of one `stage` run at once (a parallel group of the template: `dossiers.processing`); stages run
    in order. The transfer from the receiving one-stop section to the deciding agency is a step of its own
    (`Kind.TRANSFER`, stage 0) with the transfer deadline, so a missed transfer is a late step of the
    transferring unit."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chưa đến lượt")
        ACTIVE = "active", _("Đang xử lý")
        DONE = "done", _("Đã xong")

    class Kind(models.TextChoices):
        PROCESS = "process", _("Bước xử lý")
        TRANSFER = "transfer", _("Chuyển hồ sơ đến cơ quan giải quyết")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.PROCESS, db_default=Kind.PROCESS
    )
    name = models.CharField(max_length=255)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="dossier_steps")
    role = models.CharField(max_length=20)
    is_approval = models.BooleanField(default=False)
    duration = models.DecimalField(max_digits=6, decimal_places=2)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opinion = models.TextField(_("ý kiến xử lý"), blank=True)

    class Meta:
        ordering = ["dossier", "position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "position"], name="step_instance_position")]
        indexes = [
            # A unit's work list: the dossiers with an active step of that unit (several units at once when
            # the dossier is in a parallel stage).
            models.Index(
                fields=["unit", "dossier"], condition=Q(state="active"), name="step_instance_active_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.unit})"


class DossierEvent(models.Model):
    """An immutable entry of the dossier's history: who did what, when, from which status to which."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    act = models.CharField(max_length=40)
    from_status = models.PositiveSmallIntegerField(null=True)
    to_status = models.PositiveSmallIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_unit = models.ForeignKey(OrgUnit, null=True, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(StepInstance, null=True, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(db_index=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.act} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Dossier events are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Dossier events are immutable")


class ClockPause(models.Model):
    """A dated pause of the dossier's clock: a supplement request (restart from zero) or a financial one."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
        FINANCIAL = "financial", _("Nghĩa vụ tài chính")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField()
    missing_items = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(StepInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The appointment the dossier was judged against when the pause began (`clock.judged_appointment_at`):
    # what "overdue" meant before the pause, kept so that any past moment can be judged as it was.
    judged_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]


class Reschedule(models.Model):
    """The apology letter's new appointment (form 04); at most one per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="reschedule")
    previous_appointment_at = models.DateTimeField()
    new_appointment_at = models.DateTimeField()
    reason = models.TextField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    responsible_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    step = models.ForeignKey(StepInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Issued at least one working day before the due date (Art. 19(9)); only then does the new date count.
    lawful = models.BooleanField()


class Consultation(models.Model):
    """A request for another agency's opinion on a dossier (xin ý kiến), asked from a processing step, with
    its content, its deadline on the working calendar and the answer. Asked and answered through the acts
    of `dossiers.consultations` (CONSULT, ANSWER_CONSULTATION): part of the dossier's history."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="consultations")
    step = models.ForeignKey(StepInstance, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    asking_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    consulted_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="consultations")
    content = models.TextField(_("nội dung xin ý kiến"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("thời điểm xin ý kiến"))
    working_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.TextField(_("ý kiến trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    # The dossier ended (result, refusal, withdrawal) before an answer came: nobody waits for it any more.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When the late alert went to the asking unit and the one-stop head (once).
    late_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xin ý kiến")
        verbose_name_plural = _("xin ý kiến")
        ordering = ["dossier", "asked_at", "pk"]
        indexes = [
            models.Index(
                fields=["consulted_unit", "due_at"],
                condition=Q(answered_at__isnull=True, withdrawn_at__isnull=True),
                name="consultation_open_by_unit",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(
                    answered_at__isnull=True, withdrawn_at__isnull=True, late_alerted_at__isnull=True
                ),
                name="consultation_to_alert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.consulted_unit_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.withdrawn_at is None

    def late_at(self, moment: datetime) -> bool:
        """Answered after its deadline, or still unanswered at `moment` past it."""
        if self.answered_at is not None:
            return self.answered_at > self.due_at
        return self.withdrawn_at is None and moment > self.due_at


class DossierCodeSequence(models.Model):
    """Running number of dossier codes per receiving agency and reception day."""

    agency_code = models.CharField(max_length=20)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency_code", "day"], name="dossier_code_sequence")]


class CounterGuidance(models.Model):
    """A paper dossier the counter could not receive because it was incomplete, and the guidance given
    (form 02 at the counter): recorded so that every visit is on the system and counts for the quality
    index "times the applicant had to come back"."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    receiving_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    applicant_kind = models.CharField(max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(max_length=255)
    applicant_id_number = models.CharField(max_length=14, blank=True, db_index=True)
    applicant_phone = models.CharField(max_length=15, blank=True)
    missing_items = models.JSONField(default=list)  # [{"name": ..., "form": ...}]
    reason = models.TextField(blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]

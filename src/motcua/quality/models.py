"""Read models of `quality`: one fact row per dossier and counters per (day or month, unit, procedure).

They are derived data: `services.rebuild` recomputes them from the dossiers, `services.refresh_dossiers`
keeps them up to date after an act, and `verify_stats` checks them against the raw events.

The counters are flows: reception, settlement, withdrawal on the day they happen. The stock of dossiers in
progress at the end of a day is the running sum of `received - settled - withdrawn`; the overdue part of it
is the running sum of `overdue_in - overdue_out`, the paused part `paused_in - paused_out` (from the
dossier's `ClockSpan` rows: a dossier can be overdue, then paused, then overdue again). So the figures of
any period come from sums of rows.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.models import OrgUnit
from motcua.dossiers.models import Dossier, StepInstance

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class DossierFact(models.Model):
    """What the statistics need to know about one dossier, in local days (Asia/Ho_Chi_Minh)."""

    dossier = models.OneToOneField(Dossier, primary_key=True, on_delete=models.CASCADE, related_name="+")
    receiving_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField()
    submitted_day = models.DateField()
    not_accepted = models.BooleanField(default=False)
    received_day = models.DateField(null=True)  # accepted (status 2) on this day
    end_at = models.DateTimeField(null=True)  # first of finished / stopped
    end_day = models.DateField(null=True, db_index=True)
    withdrawn_day = models.DateField(null=True)
    appointment_at = models.DateTimeField(null=True)  # the judged appointment (lawful rescheduling only)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)  # when ended
    refused = models.BooleanField(default=False)  # ended by a refusal after appraisal (status 8)
    withdrawn_late = models.BooleanField(default=False)  # withdrawn while overdue
    # Working hours from reception to the result, net of the pauses with the applicant (results only).
    processing_hours = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["receiving_unit", "end_day"]),
            models.Index(fields=["deciding_unit", "end_day"]),
            models.Index(fields=["received_day"]),
        ]


class ClockSpan(models.Model):
    """A stretch of a dossier's life while it was overdue or paused (`dossiers.clock.spans`), in moments
    and in local days; it counts at the end of the days in [start_day, end_day)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12)  # clock.SpanKind
    start_at = models.DateTimeField()
    end_at = models.DateTimeField(null=True)
    start_day = models.DateField()
    end_day = models.DateField(null=True)
    # The dossier's keys, so that a stock at a moment is read from this table alone.
    receiving_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["kind", "end_at"]), models.Index(fields=["kind", "end_day"])]


class Counts(models.Model):
    receiving_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="+")
    received_online = models.IntegerField(default=0)
    received_counter = models.IntegerField(default=0)
    received_post = models.IntegerField(default=0)
    not_accepted = models.IntegerField(default=0)
    early = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)  # part of early + on_time + late
    withdrawn = models.IntegerField(default=0)
    withdrawn_late = models.IntegerField(default=0)  # part of withdrawn
    overdue_in = models.IntegerField(default=0)
    overdue_out = models.IntegerField(default=0)
    paused_in = models.IntegerField(default=0)
    paused_out = models.IntegerField(default=0)
    paused_late_in = models.IntegerField(default=0)
    paused_late_out = models.IntegerField(default=0)
    processing_hours = models.FloatField(default=0)  # net, summed over the results (settled, not refused)

    class Meta:
        abstract = True


COUNT_FIELDS = (
    "received_online",
    "received_counter",
    "received_post",
    "not_accepted",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "withdrawn_late",
    "overdue_in",
    "overdue_out",
    "paused_in",
    "paused_out",
    "paused_late_in",
    "paused_late_out",
    "processing_hours",
)
# Stocks kept as running sums of `<name>_in - <name>_out` (the `ClockSpan` kinds).
STOCKS = ("overdue", "paused", "paused_late")
FLOW_FIELDS = tuple(n for n in COUNT_FIELDS if not n.endswith(("_in", "_out")))


class DailyStat(Counts):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "receiving_unit", "procedure"], name="daily_stat_key")
        ]
        indexes = [models.Index(fields=["day"]), models.Index(fields=["deciding_unit", "day"])]


class MonthlyStat(Counts):
    month = models.DateField()  # the first day of the month

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "receiving_unit", "procedure"], name="monthly_stat_key")
        ]
        indexes = [models.Index(fields=["month"])]


class IndicatorThreshold(models.Model):
    """The threshold T of one Decision 766 indicator for one year (phase targets change by year).

    The computation of a period reads its year's row, else the latest earlier year's, else the default of
    `indicators.INDICATORS`. `indicator_id` is the stable id of that table (e.g. "5.2")."""

    year = models.PositiveSmallIntegerField(_("năm"))
    indicator_id = models.CharField(_("chỉ số"), max_length=8)
    threshold = models.DecimalField(
        _("ngưỡng T"), max_digits=4, decimal_places=3, help_text=_("Tỷ lệ: 0,8 là 80 %; 0 < T ≤ 1.")
    )

    class Meta:
        verbose_name = _("ngưỡng chỉ số 766")
        verbose_name_plural = _("ngưỡng chỉ số 766 theo năm")
        ordering = ["-year", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator_id"], name="indicator_threshold_key"),
            models.CheckConstraint(
                condition=models.Q(threshold__gt=0, threshold__lte=1),
                name="indicator_threshold_range",
                violation_error_message=_("Ngưỡng T phải lớn hơn 0 và không quá 1 (100 %)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.indicator_id} · {self.threshold}"


def score_field(label: "StrOrPromise") -> "models.PositiveSmallIntegerField[int | None, int | None]":
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)], null=True, blank=True
    )


class Rating(models.Model):
    """The applicant's satisfaction with one dossier's settlement (Decision 766 indicator 6); once only.

    Given on the portal (`portal.services.rate`), read by the indicators (`sources.not_satisfied`)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    satisfied = models.BooleanField(_("hài lòng"))
    attitude = score_field(_("thái độ của cán bộ"))
    timeliness = score_field(_("thời gian giải quyết"))
    guidance = score_field(_("hướng dẫn, thông tin"))
    comment = models.TextField(_("góp ý"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Dossier's unit path at rating time, so the quality indicators filter by unit with one prefix query.
    unit_path = models.CharField(max_length=255, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "portal_rating"  # written by the portal, where the model was first
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {'+' if self.satisfied else '-'}"


class StepFact(models.Model):
    """One finished step of a dossier, as "who is late, and why" reads it (`quality.stepfacts`): its unit
    (the receiving unit for the transfer step), the official who finished it, its working time and its
    overrun past its own due moment (a step of a parallel stage is judged on its own)."""

    step = models.OneToOneField(StepInstance, primary_key=True, on_delete=models.CASCADE, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(max_length=20)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    official = models.IntegerField(default=0)  # the user who finished the step (else its assignee); 0: none
    kind = models.CharField(max_length=10)  # StepInstance.Kind
    stage = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField()
    finished_day = models.DateField()  # local day (Asia/Ho_Chi_Minh)
    spent_hours = models.FloatField()  # working hours from started_at to finished_at
    bucket = models.IntegerField()  # spent_hours quantised (`lateness.quantise`)
    overrun_hours = models.FloatField(default=0)  # working hours from due_at to finished_at, when late
    late = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["finished_day"]),
            models.Index(fields=["unit", "finished_day"]),  # a unit's subtree: the edges of its periods
            models.Index(fields=["procedure_code", "position", "finished_day"]),
            models.Index(fields=["dossier"]),
        ]


class StepGrain(models.TextChoices):
    UNIT = "unit"
    PROCEDURE = "procedure"
    STEP = "step"
    OFFICIAL = "official"


class StepStat(models.Model):
    """Finished steps summed per month (and per year: `span`), per `grain` (the keys that grain does not use
    are "" / 0) and per quantised working time (`bucket`), so that medians and 90th percentiles of any set
    of months are read from a few rows: per unit, per (unit, procedure), per (unit, procedure, step), per
    (unit, official)."""

    grain = models.CharField(max_length=10, choices=StepGrain.choices)
    span = models.CharField(max_length=5, default="month")  # "month", or "year": a whole year's sums
    month = models.DateField()  # the first day of the month (of the year)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(max_length=20, default="")
    position = models.IntegerField(default=-1)
    official = models.IntegerField(default=0)
    bucket = models.IntegerField()
    name = models.CharField(max_length=255, default="")  # the step's name (step grain)
    steps = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    overrun_hours = models.FloatField(default=0)
    spent_hours = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "span", "month", "unit", "procedure_code", "position", "official", "bucket"],
                name="step_stat_span_key",
            )
        ]
        indexes = [
            models.Index(fields=["grain", "span", "procedure_code", "month"]),
            models.Index(fields=["grain", "span", "unit", "month"]),  # a unit's subtree
        ]


class ProcessingStat(models.Model):
    """Dossiers settled with a result per month, deciding unit, procedure code and quantised net processing
    time (`DossierFact.processing_hours`): the medians of the procedures that could be shortened."""

    month = models.DateField()
    deciding_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    procedure_code = models.CharField(max_length=20)
    bucket = models.IntegerField()
    results = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "deciding_unit", "procedure_code", "bucket"], name="processing_stat_key"
            )
        ]

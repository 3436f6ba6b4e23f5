"""Administrative-reform directives (chỉ thị): their numbered tasks, the units each task is assigned to, the
reporting periods computed when the directive is issued, and the units' progress reports.

A report's history is its dated `ReportEvent` rows (submitted, returned with the reason, accepted), never
flags; `Report` holds the state the coordinator acts on, with a `version` checked by every act.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import OrgUnit


class Recurrence(models.TextChoices):
    ONCE = "once", _("Một lần (theo hạn)")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


class Target(models.TextChoices):
    UNITS = "units", _("Các đơn vị được chọn")
    ALL_DEPARTMENTS = "all_departments", _("Tất cả sở, ban, ngành")
    ALL_COMMUNES = "all_communes", _("Tất cả xã, phường")


class Progress(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    COMPLETED = "completed", _("Đã hoàn thành")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Trả lại để hoàn thiện")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class Directive(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=50, unique=True)
    signed_on = models.DateField(_("ngày ký"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    title = models.CharField(_("trích yếu"), max_length=500)
    signed_document = models.ForeignKey(
        "documents.StoredFile",
        verbose_name=_("văn bản đã ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_document_name = models.CharField(_("tên tệp văn bản"), max_length=255, blank=True)
    coordinating_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị đầu mối theo dõi"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("thời điểm nhập hệ thống"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("chỉ thị")
        verbose_name_plural = _("chỉ thị")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"


class Task(models.Model):
    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    target = models.CharField(_("giao cho"), max_length=20, choices=Target.choices, default=Target.UNITS)
    recurrence = models.CharField(_("kỳ báo cáo"), max_length=20, choices=Recurrence.choices)
    deadline = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    starts_on = models.DateField(_("báo cáo từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("báo cáo đến ngày"), null=True, blank=True)
    report_days = models.PositiveSmallIntegerField(_("số ngày gửi báo cáo sau ngày chốt số liệu"), default=0)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["directive", "position"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "position"], name="directives_task_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class TaskPeriod(models.Model):
    """One reporting period of a task, its window and due date fixed when the directive was issued
    (`rules.periods`); a task with a deadline has one period, ending on the deadline."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="periods")
    index = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()  # month, quarter or half of `year`; 0 for yearly and once
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn gửi báo cáo"))

    class Meta:
        ordering = ["task", "index"]
        constraints = [models.UniqueConstraint(fields=["task", "index"], name="directives_period_index")]


class Assignment(models.Model):
    """A task given to a unit; "all departments" and "all communes" are fanned out to the units active
    when the directive is issued."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(OrgUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["task", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["task", "unit"], name="directives_assignment_unit")]


class Report(models.Model):
    """A unit's report for one period of one task."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(TaskPeriod, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=20, choices=ReportStatus.choices)
    progress = models.CharField(_("tiến độ"), max_length=20, choices=Progress.choices)
    content = models.TextField(_("nội dung báo cáo"))
    figures = models.JSONField(_("số liệu"), default=list)  # [[label, number], ...]
    first_submitted_at = models.DateTimeField(_("gửi lần đầu"))
    submitted_at = models.DateTimeField(_("gửi lần gần nhất"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người gửi")
    )
    reviewed_at = models.DateTimeField(_("thời điểm xem xét"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period"], name="directives_report_once"),
        ]


class ReportEvent(models.Model):
    class Act(models.TextChoices):
        SUBMIT = "submit", _("Gửi báo cáo")
        RESUBMIT = "resubmit", _("Gửi lại báo cáo")
        RETURN = "return", _("Trả lại để hoàn thiện")
        ACCEPT = "accept", _("Chấp nhận báo cáo")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    act = models.CharField(max_length=20, choices=Act.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    # What was submitted (progress, content, figures), so that a returned version stays readable.
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "pk"]


class ReportFile(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "pk"]


class Reminder(models.Model):
    """A reminder sent to an assignee for a period: at most one of each kind (`services.send_reminders`)."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Nhắc trước hạn")
        LATE = "late", _("Nhắc quá hạn")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(TaskPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period", "kind"], name="directives_reminder_once"),
        ]

"""What the units are told about their reports, through the channels the dossiers use: emails queued in the
outbox for interop's staff-alert sender (`interop.staff_alerts`, topic ALERT_STAFF) and SMS through
interop's SMS adapter (`interop.sms`, one outbox message per phone so that each is retried on its own).

Told: the reporting officers (leaders and specialists) of the assignee unit, when a report is returned for
revision, when a period falls due within a few working days with nothing sent, and when it is late
(`reminders`). The words are fixed in Vietnamese when the notice is queued.
"""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from motcua.core.formatting import format_date
from motcua.core.models import OrgUnit, User
from motcua.directives import rules
from motcua.directives.models import Report, Task, TaskPeriod
from motcua.interop import sms
from motcua.interop.staff_alerts import ALERT_STAFF
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import enqueue, handles

REMIND_SMS = "directives.sms"


def reporters(unit: OrgUnit | int) -> list[User]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return list(
        User.objects.filter(org_unit_id=unit_id, role__in=rules.REPORTING_ROLES, is_active=True).order_by(
            "pk"
        )
    )


def _queue(unit_id: int, subject: str, body: str, short: str) -> None:
    people = reporters(unit_id)
    emails = sorted({p.email for p in people if p.email})
    if emails:
        enqueue(ALERT_STAFF, {"emails": emails, "subject": subject, "body": body})
    for phone in sorted({p.phone for p in people if p.phone}):
        enqueue(REMIND_SMS, {"phone": phone, "text": sms.unaccented(short)})


def _facts(task: Task, period: TaskPeriod) -> dict[str, Any]:
    directive = task.directive
    return {
        "directive": directive.number,
        "position": task.position,
        "task": task.title,
        "period": rules.period_label(task.recurrence, period.year, period.number),
        "due": format_date(period.due_on),
    }


def report_returned(report: Report) -> None:
    task = report.assignment.task
    with translation.override("vi"):
        facts = _facts(task, report.period)
        subject = _("Chỉ thị %(directive)s: báo cáo nhiệm vụ %(position)s (%(period)s) bị trả lại") % facts
        body = "\n\n".join(
            [
                subject,
                _("Nhiệm vụ: %(task)s") % facts,
                _("Lý do trả lại:") + "\n" + report.return_reason,
                _("Hãy hoàn thiện và gửi lại báo cáo."),
            ]
        )
        short = _("Báo cáo CT %(directive)s NV%(position)s %(period)s bị trả lại, đề nghị gửi lại.") % facts
    _queue(report.assignment.unit_id, subject, body, short)


def reminder(*, task: Task, period: TaskPeriod, unit_id: int, late: bool) -> None:
    with translation.override("vi"):
        facts = _facts(task, period)
        if late:
            subject = (
                _("Chỉ thị %(directive)s: báo cáo nhiệm vụ %(position)s (%(period)s) đã quá hạn") % facts
            )
            lead = _("Hạn gửi báo cáo là %(due)s; đơn vị chưa gửi báo cáo.") % facts
            short = _("CT %(directive)s NV%(position)s %(period)s: quá hạn báo cáo (%(due)s).") % facts
        else:
            subject = _("Chỉ thị %(directive)s: hạn báo cáo nhiệm vụ %(position)s (%(period)s)") % facts
            lead = _("Hạn gửi báo cáo là %(due)s.") % facts
            short = _("CT %(directive)s NV%(position)s %(period)s: hạn báo cáo %(due)s.") % facts
        body = "\n\n".join([lead, _("Nhiệm vụ: %(task)s") % facts])
    _queue(unit_id, subject, body, short)


@handles(REMIND_SMS)
def send_sms(message: OutboxMessage) -> None:
    sms.send(str(message.payload["phone"]), str(message.payload["text"]))

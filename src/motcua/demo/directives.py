"""The demo's reform directive (#20) and a year of the units' quarterly reports.

The directive is a SAMPLE ("mẫu"): no directive of Nghệ An for 2024 with these words was found with the
project's search tools, so its number and words are made up, modelled on the province's 2024 State
Administrative Reform Plan as reported by Báo Nghệ An ("Nghệ An ban hành Kế hoạch cải cách hành chính năm
2024": on-time settlement of 95% or more, apologies for every late dossier, online full-process services,
digitisation and online payment; https://baonghean.vn/en/nghe-an-ban-hanh-ke-hoach-cai-cach-hanh-chinh-nam-
2024-post282697.html) and on the issue's "overcome the shortcomings of 2023's administrative reform".
Its title says it is a sample.

Issued through `directives.services.issue_directive` (its tasks fanned out to the demo's departments and
communes, its periods on the working calendar) by the Department of Home Affairs' specialist; the year of
reports is history, written in bulk (as the synthetic dossiers are), drawn from a seeded generator: most on
time, some late, some missing, some returned and sent again, a few still returned or waiting for review.
Phường Thành Vinh (the demo's commune) has a returned report and a missing one in the fourth quarter, so
its specialist has something to send. Loading twice changes nothing (keyed on the directive's number).
"""

import io
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role
from motcua.demo.org import DEMO_PASSWORD, DemoOrg, upsert
from motcua.directives import services
from motcua.directives.models import (
    Assignment,
    Directive,
    Progress,
    Recurrence,
    Report,
    ReportEvent,
    ReportStatus,
    Target,
    TaskPeriod,
)

NUMBER = "05/CT-UBND (mẫu)"
TITLE = (
    "Về tăng cường kỷ luật, kỷ cương hành chính và khắc phục hạn chế trong công tác cải cách hành chính "
    "năm 2023 (văn bản mẫu của dữ liệu trình diễn)"
)
FONTS = Path(__file__).resolve().parent.parent / "documents" / "fonts"
YEAR = 2024
RETURN_REASON = "Đề nghị bổ sung số liệu hồ sơ trực tuyến, số hóa của kỳ báo cáo."

# (username, role, family and middle names, given name, job title): the coordinator's officers.
COORDINATORS = [
    ("chuyenvien.noivu", Role.SPECIALIST, "Trần Thị", "Thủy", "Chuyên viên Phòng Cải cách hành chính"),
    ("lanhdao.noivu", Role.UNIT_LEADER, "Nguyễn Văn", "Hùng", "Phó Giám đốc Sở Nội vụ"),
]


def _quarterly(title: str, target: str) -> services.TaskSpec:
    return services.TaskSpec(
        title=title,
        recurrence=Recurrence.QUARTERLY,
        target=target,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
        report_days=5,
    )


def _signed_pdf() -> "SimpleUploadedFile":
    """A one-page PDF standing for the signed directive (a sample, not a scan of a real one)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("DejaVuSans", 12)
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN",
        f"Số: {NUMBER}",
        "CHỈ THỊ (VĂN BẢN MẪU — DỮ LIỆU TRÌNH DIỄN)",
        "Về tăng cường kỷ luật, kỷ cương hành chính và khắc phục hạn chế",
        f"trong công tác cải cách hành chính năm {YEAR - 1}",
    ]
    for i, line in enumerate(lines):
        pdf.drawString(72, 760 - 24 * i, line)
    pdf.save()
    return SimpleUploadedFile("chi-thi-05-mau.pdf", out.getvalue(), content_type="application/pdf")


def _coordinators(org: DemoOrg) -> list[User]:
    home_affairs = org.units["noi_vu"]
    users = []
    for username, role, last, first, job in COORDINATORS:
        values = {
            "role": role.value,
            "org_unit": home_affairs,
            "last_name": last,
            "first_name": first,
            "job_title": job,
            "is_active": True,
            "email": f"{username}@example.vn",
        }
        user, _wrote = upsert(User, {"username": username}, values, on_create={"password": "!"})
        users.append(user)
    User.objects.filter(pk__in=[u.pk for u in users]).update(password=make_password(DEMO_PASSWORD))
    return users


def _moment(day: date, rng: random.Random) -> datetime:
    at = datetime.combine(day, time(8, 0)) + timedelta(minutes=rng.randrange(0, 8 * 60))
    return timezone.make_aware(at)


def load_demo_directives(org: DemoOrg) -> int:
    """The sample directive and its year of reports, once; rows written."""
    if Directive.objects.filter(number=NUMBER).exists():
        return 0
    specialist, leader = _coordinators(org)
    home_affairs = org.units["noi_vu"]
    directive = services.issue_directive(
        acting_user=specialist,
        number=NUMBER,
        signed_on=date(YEAR, 1, 22),
        issuer="Ủy ban nhân dân tỉnh Nghệ An",
        title=TITLE,
        coordinating_unit=home_affairs,
        document=_signed_pdf(),
        now=timezone.make_aware(datetime(YEAR, 1, 23, 9, 0)),
        tasks=[
            _quarterly(
                "Rà soát, cắt giảm, đơn giản hóa thủ tục hành chính; công khai đầy đủ, đúng hạn thủ tục và "
                "kết quả giải quyết hồ sơ",
                Target.ALL_DEPARTMENTS,
            ),
            _quarterly(
                "Nâng tỷ lệ dịch vụ công trực tuyến toàn trình, thanh toán trực tuyến và số hóa hồ sơ, "
                "kết quả giải quyết thủ tục hành chính",
                Target.ALL_COMMUNES,
            ),
            _quarterly(
                "Giải quyết hồ sơ đúng hạn từ 95% trở lên; xin lỗi 100% hồ sơ trễ hạn theo quy định",
                Target.ALL_COMMUNES,
            ),
            services.TaskSpec(
                title="Tổng hợp, đánh giá Chỉ số cải cách hành chính của các sở, ngành, địa phương năm "
                f"{YEAR}; đề xuất khen thưởng, xử lý trách nhiệm người đứng đầu",
                recurrence=Recurrence.ONCE,
                units=[home_affairs],
                deadline=date(YEAR, 12, 31),
            ),
        ],
    )
    return 1 + _history(directive, org.first_commune, specialist, leader)


def _history(directive: Directive, first_commune: OrgUnit, specialist: User, leader: User) -> int:
    rng = random.Random(YEAR)
    reporters = dict(
        User.objects.filter(role__in=[Role.SPECIALIST, Role.UNIT_LEADER], org_unit__isnull=False)
        .order_by("-role", "pk")
        .values_list("org_unit_id", "pk")
    )
    reports: list[Report] = []
    plans: list[tuple[Report, list[tuple[str, datetime, int, str]]]] = []
    periods = TaskPeriod.objects.filter(task__directive=directive, task__recurrence=Recurrence.QUARTERLY)
    by_task: dict[int, list[TaskPeriod]] = {}
    for period in periods.order_by("index"):
        by_task.setdefault(period.task_id, []).append(period)
    for assignment in Assignment.objects.filter(task__directive=directive).select_related("task"):
        for period in by_task.get(assignment.task_id, []):
            mine = assignment.unit_id == first_commune.pk and period.number == 4
            draw = rng.random()
            if (mine and assignment.task.position == 3) or (not mine and draw < 0.08):
                continue  # missing
            late = draw > 0.88
            sent_on = period.due_on + (
                timedelta(days=rng.randint(1, 10)) if late else -timedelta(days=rng.randint(0, 6))
            )
            first_at = _moment(sent_on, rng)
            reviewer = rng.choice([specialist, leader])
            # A unit without accounts in the demo sent a paper report, entered by the coordinator.
            author_id = reporters.get(assignment.unit_id, specialist.pk)
            returned = (mine and assignment.task.position == 2) or rng.random() < 0.10
            waiting = not returned and period.number == 4 and rng.random() < 0.2
            final_progress = (
                Progress.COMPLETED if period.number == 4 and rng.random() < 0.7 else Progress.IN_PROGRESS
            )
            steps: list[tuple[str, datetime, int, str]] = [(ReportEvent.Act.SUBMIT, first_at, author_id, "")]
            reason = ""
            status = ReportStatus.SUBMITTED
            at = first_at
            if returned:
                at = at + timedelta(days=2)
                reason = RETURN_REASON
                steps.append((ReportEvent.Act.RETURN, at, reviewer.pk, reason))
                status = ReportStatus.RETURNED
                if not mine and rng.random() < 0.5:
                    at = at + timedelta(days=3)
                    steps.append((ReportEvent.Act.RESUBMIT, at, author_id, ""))
                    status = ReportStatus.SUBMITTED
            if status == ReportStatus.SUBMITTED and not waiting:
                at = at + timedelta(days=2)
                steps.append((ReportEvent.Act.ACCEPT, at, reviewer.pk, ""))
                status = ReportStatus.ACCEPTED
            last_sent = max(s[1] for s in steps if s[0] in (ReportEvent.Act.SUBMIT, ReportEvent.Act.RESUBMIT))
            reviews = [s for s in steps if s[0] in (ReportEvent.Act.RETURN, ReportEvent.Act.ACCEPT)]
            online = round(40 + 10 * period.number + rng.uniform(-8, 12), 1)
            report = Report(
                assignment=assignment,
                period=period,
                status=status,
                progress=final_progress,
                content=(
                    f"Đơn vị đã triển khai nhiệm vụ {assignment.task.position} trong quý {period.number}/"
                    f"{period.year}: ban hành kế hoạch, phân công đầu mối, kiểm tra tiến độ hằng tháng."
                ),
                figures=[["Tỷ lệ hồ sơ trực tuyến (%)", str(min(online, 99.0))]],
                first_submitted_at=first_at,
                submitted_at=last_sent,
                submitted_by_id=author_id,
                reviewed_at=reviews[-1][1] if reviews else None,
                reviewed_by_id=reviews[-1][2] if reviews else None,
                return_reason=reason if status != ReportStatus.ACCEPTED else "",
                version=len(steps),
            )
            reports.append(report)
            plans.append((report, steps))
    Report.objects.bulk_create(reports, batch_size=500)
    events = [
        ReportEvent(report=report, act=act, at=at, actor_id=actor, reason=reason)
        for report, steps in plans
        for act, at, actor, reason in steps
    ]
    ReportEvent.objects.bulk_create(events, batch_size=1000)
    return len(reports) + len(events)

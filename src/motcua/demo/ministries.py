"""The demo's dossiers handed to the ministries' systems over the data axis (#19).

With the axes' sandbox on (MOTCUA_AXIS_SANDBOX, default DEBUG) and no MOTCUA_LGSP_URL / MOTCUA_NGSP_URL, the
axes go to the sandbox the project serves itself (settings.MOTCUA_AXES), so the demo's connected procedures
reach a "ministry" that answers: the judicial record (3.000333, the dossier the demo leaves at the
provincial police's appraisal step: `chuyenvien.congantinh` sends it from /can-bo/lien-thong/), business
registration (2.001610) and driving-licence renewal (3.000347), one dossier each here at the appraisal step
of the department of finance and of the traffic police, with their officers (password: the demo's). The
record or the result number comes back a few seconds later (MOTCUA_AXIS_SANDBOX_CALLBACK_DELAY).
"""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.models import User
from motcua.core.roles import Role
from motcua.demo.org import DEMO_PASSWORD, DemoOrg, upsert
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.intake import services as intake_services

# (username, role, unit key, family and middle names, given name, job title)
OFFICERS = [
    ("chuyenvien.taichinh", Role.SPECIALIST, "tai_chinh", "Đặng Thị", "Lan", "Chuyên viên Sở Tài chính"),
    ("lanhdao.taichinh", Role.UNIT_LEADER, "tai_chinh", "Ngô Văn", "Hải", "Phó Giám đốc Sở Tài chính"),
    ("chuyenvien.csgt", Role.SPECIALIST, "csgt", "Trịnh Văn", "Nam", "Cán bộ Phòng Cảnh sát giao thông"),
    ("lanhdao.csgt", Role.UNIT_LEADER, "csgt", "Võ Văn", "Dũng", "Trưởng phòng Cảnh sát giao thông"),
]
DOSSIERS = ("2.001610", "3.000347")


def load_demo_ministries(org: DemoOrg) -> int:
    """The officers of the two appraisal steps, and one dossier of each procedure at that step (once: not
    when the procedure has a dossier already); rows written."""
    written = 0
    password = make_password(DEMO_PASSWORD)
    for username, role, unit, last_name, first_name, job_title in OFFICERS:
        values: dict[str, object] = {
            "role": role.value,
            "org_unit": org.units[unit],
            "first_name": first_name,
            "last_name": last_name,
            "job_title": job_title,
            "is_active": True,
        }
        user, wrote = upsert(User, {"username": username}, values, on_create={"password": password})
        org.users[username] = user
        written += wrote
    applicant = services.Applicant(
        kind="citizen",
        name="Nguyễn Văn An",
        id_number="040090001234",
        phone="0912345678",
        email="congdan@example.vn",
        address="Phường Thành Vinh, tỉnh Nghệ An",
        user=org.users.get("congdan"),
    )
    now = timezone.now() - timedelta(hours=2)
    for position, code in enumerate(DOSSIERS):
        if Dossier.objects.filter(procedure__code=code).exists():
            continue
        procedure = org_procedure(code)
        if procedure is None:
            continue
        given = [c for c in procedure.components.all() if c.is_mandatory] or list(procedure.components.all())[
            :1
        ]
        intake = services.Intake(
            procedure=procedure,
            applicant=applicant,
            receiving_unit=org.center,
            components=[services.ProvidedComponent(c.pk) for c in given],
        )
        at = now + timedelta(minutes=10 * position)
        dossier = intake_services.receive_at_counter(
            intake=intake, channel=Channel.COUNTER, acting_user=org.users["tiepnhan.tinh"], now=at
        )
        services.start_processing(dossier=dossier, acting_user=org.users["tiepnhan.tinh"], now=at)
        written += 1
    return written


def org_procedure(code: str) -> Procedure | None:
    """The procedure's latest version (the demo's are version 1)."""
    return Procedure.objects.filter(code=code).prefetch_related("components").order_by("-version").first()

"""The demo province's organisation: Nghệ An, its center, departments, communes and demo accounts.

Loaded by `motcua demo` (through `motcua.demo.catalogue.load_demo`). Every row is keyed on a natural key
(unit code, username), so loading twice changes nothing.

Unit codes are DEMO codes in the national format `V1V2V3.Z1Z2.Y1Y2.MX1X2` (Circular 10/2016/TT-BTTTT),
not the real registry of Nghệ An:
- `000.00.00.H40` the province, `000.00.01.H40` the Public Administration Service Center;
- `000.00.NN.H40` the provincial departments, NN = 02, 03, ... in the order of `DEPARTMENTS`;
- `000.KK.NN.H40` sub-unit number KK (01, 02, ...) of department NN (Z1Z2 = the level-2 unit);
- `III.00.50.H40` commune/ward number III (001..130, in the order of the `vietnam-provinces` package)
  and `III.01.50.H40` its commune police; Y1Y2 = 50 is the demo block of communes.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import models

from motcua.core.models import OrgUnit, User
from motcua.core.roles import Role

DEMO_PASSWORD = "motcua-demo"
PROVINCE_CODE = "000.00.00.H40"
CENTER_CODE = "000.00.01.H40"
PROVINCE_NAME = "Nghệ An"

# (key, name, sub-units); the key names the unit in this module and in `demo.catalogue`.
DEPARTMENTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("vp_ubnd", "Văn phòng UBND tỉnh", []),
    ("noi_vu", "Sở Nội vụ", []),
    ("tu_phap", "Sở Tư pháp", []),
    ("tai_chinh", "Sở Tài chính", []),
    ("cong_thuong", "Sở Công Thương", []),
    (
        "nn_mt",
        "Sở Nông nghiệp và Môi trường",
        [("vpdkdd", "Văn phòng Đăng ký đất đai tỉnh")],
    ),
    ("xay_dung", "Sở Xây dựng", []),
    ("khcn", "Sở Khoa học và Công nghệ", []),
    ("gd_dt", "Sở Giáo dục và Đào tạo", []),
    ("y_te", "Sở Y tế", []),
    ("vh_tt_dl", "Sở Văn hóa, Thể thao và Du lịch", []),
    ("dan_toc_ton_giao", "Sở Dân tộc và Tôn giáo", []),
    ("thanh_tra", "Thanh tra tỉnh", []),
    (
        "cong_an",
        "Công an tỉnh",
        [
            ("csgt", "Phòng Cảnh sát giao thông"),
            ("qlxnc", "Phòng Quản lý xuất nhập cảnh"),
            ("qlhc", "Phòng Cảnh sát QLHC về TTXH"),
        ],
    ),
    ("bql_kkt", "Ban Quản lý Khu kinh tế Đông Nam Nghệ An", []),
    # Not a department of the province (the tax administration is central), but an agency of its inter-agency
    # land procedures (the financial obligations): last, so the departments' codes above do not move.
    ("thue", "Thuế tỉnh Nghệ An", []),
]

FIRST_WARD = "Phường Thành Vinh"


@dataclass
class DemoOrg:
    """The units the rest of the demo refers to, by key (see `DEPARTMENTS`)."""

    province: OrgUnit
    center: OrgUnit
    units: dict[str, OrgUnit]
    communes: list[OrgUnit]
    commune_police: list[OrgUnit]
    changed: int = 0  # rows created or updated by this load
    users: dict[str, User] = field(default_factory=dict)

    @property
    def first_commune(self) -> OrgUnit:
        return self.communes[0]


def upsert[M: models.Model](
    model: type[M],
    lookup: dict[str, object],
    values: dict[str, object],
    *,
    on_create: dict[str, object] | None = None,
) -> tuple[M, bool]:
    """Create the row for `lookup` or bring its fields to `values`; True when something was written.

    Unlike `update_or_create`, an unchanged row is not written again, so a second load is read-only.
    `on_create` holds values set only when the row is created.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        return obj, True
    stale = [name for name, value in values.items() if getattr(obj, name) != value]
    if not stale:
        return obj, False
    for name in stale:
        setattr(obj, name, values[name])
    obj.save()
    return obj, True


def nghe_an_wards() -> list[tuple[int, str]]:
    """(ward code, name) of the current communes and wards of Nghệ An, in the package's order."""
    import vietnam_provinces as vp

    province = next(p for p in vp.Province.iter_all() if PROVINCE_NAME in p.name)
    return [(int(w.code), w.name) for w in vp.Ward.iter_by_province(province.code)]


def police_name(commune_name: str) -> str:
    """The commune police's name: "Phường Thành Vinh" → "Công an phường Thành Vinh"."""
    return "Công an " + commune_name[:1].lower() + commune_name[1:]


def load_org() -> DemoOrg:
    changed = 0

    def unit(code: str, name: str, kind: str, parent: OrgUnit | None, **extra: object) -> OrgUnit:
        nonlocal changed
        values = {"name": name, "kind": kind, "parent": parent, "is_active": True, **extra}
        obj, wrote = upsert(OrgUnit, {"code": code}, values)
        changed += wrote
        return obj

    province = unit(PROVINCE_CODE, f"Tỉnh {PROVINCE_NAME}", OrgUnit.Kind.PROVINCE, None)
    center = unit(
        CENTER_CODE,
        f"Trung tâm Phục vụ hành chính công tỉnh {PROVINCE_NAME}",
        OrgUnit.Kind.CENTER,
        province,
    )
    units: dict[str, OrgUnit] = {"center": center}
    for number, (key, name, sub_units) in enumerate(DEPARTMENTS, start=2):
        department = unit(f"000.00.{number:02d}.H40", name, OrgUnit.Kind.DEPARTMENT, province)
        units[key] = department
        for sub_number, (sub_key, sub_name) in enumerate(sub_units, start=1):
            units[sub_key] = unit(
                f"000.{sub_number:02d}.{number:02d}.H40", sub_name, OrgUnit.Kind.SUB_UNIT, department
            )
    communes, police = [], []
    for number, (ward_code, name) in enumerate(nghe_an_wards(), start=1):
        commune = unit(f"{number:03d}.00.50.H40", name, OrgUnit.Kind.COMMUNE, province, ward_code=ward_code)
        communes.append(commune)
        police.append(
            unit(f"{number:03d}.01.50.H40", police_name(name), OrgUnit.Kind.COMMUNE_POLICE, commune)
        )
    org = DemoOrg(province=province, center=center, units=units, communes=communes, commune_police=police)
    org.changed = changed
    load_users(org)
    return org


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    unit: str | None  # a key of DemoOrg.units, "commune", "commune_police" or None
    last_name: str  # family and middle names
    first_name: str  # given name
    job_title: str
    label: str  # what the command prints: "Đăng nhập <label>: <username> / <password>"
    extra: dict[str, object] = field(default_factory=dict)


# Vietnamese names: last_name holds the family and middle names, first_name the given name.
DEMO_USERS: list[DemoUser] = [
    DemoUser(
        "admin",
        Role.CENTER_ADMIN,
        "center",
        "Hồ Đức",
        "Thắng",
        "Quản trị hệ thống",
        "quản trị hệ thống (superuser)",
        {"is_staff": True, "is_superuser": True, "email": "admin@example.vn"},
    ),
    DemoUser(
        "quantri",
        Role.CENTER_ADMIN,
        "center",
        "Lê Thị",
        "Hạnh",
        "Phó Giám đốc Trung tâm Phục vụ hành chính công",
        "quản trị Trung tâm (cấu hình thủ tục)",
        {"is_staff": True, "email": "quantri@example.vn"},
    ),
    DemoUser(
        "congdan",
        Role.CITIZEN,
        None,
        "Nguyễn Văn",
        "An",
        "",
        "công dân",
        {"citizen_id": "040090001234", "email": "congdan@example.vn", "phone": "0912345678"},
    ),
    DemoUser(
        "doanhnghiep",
        Role.CITIZEN,
        None,
        "Trần Thị",
        "Bình",
        "Giám đốc Công ty TNHH Thương mại Sen Vàng Nghệ An",
        "doanh nghiệp",
        {"email": "doanhnghiep@example.vn", "phone": "0987654321"},
    ),
    DemoUser(
        "tiepnhan.tinh",
        Role.COUNTER_OFFICER,
        "center",
        "Phan Thị",
        "Lan",
        "Chuyên viên tiếp nhận, Trung tâm Phục vụ hành chính công",
        "tiếp nhận – Trung tâm PVHCC tỉnh",
    ),
    DemoUser(
        "tiepnhan.thanhvinh",
        Role.COUNTER_OFFICER,
        "commune",
        "Võ Thị",
        "Thu",
        "Công chức Bộ phận Một cửa phường",
        f"tiếp nhận – {FIRST_WARD}",
    ),
    DemoUser(
        "chuyenvien.thanhvinh",
        Role.SPECIALIST,
        "commune",
        "Hoàng Văn",
        "Nam",
        "Công chức Tư pháp – Hộ tịch",
        f"chuyên viên – {FIRST_WARD}",
    ),
    DemoUser(
        "lanhdao.thanhvinh",
        Role.UNIT_LEADER,
        "commune",
        "Nguyễn Thị",
        "Mai",
        "Chủ tịch UBND phường",
        f"lãnh đạo – {FIRST_WARD}",
    ),
    DemoUser(
        "congan.thanhvinh",
        Role.SPECIALIST,
        "commune_police",
        "Đặng Văn",
        "Quân",
        "Cán bộ đăng ký cư trú",
        f"công an – {FIRST_WARD}",
    ),
    DemoUser(
        "lanhdao.congan.thanhvinh",
        Role.UNIT_LEADER,
        "commune_police",
        "Trần Văn",
        "Dũng",
        "Trưởng Công an phường",
        f"lãnh đạo công an – {FIRST_WARD}",
    ),
    DemoUser(
        "chuyenvien.tuphap",
        Role.SPECIALIST,
        "tu_phap",
        "Bùi Thị",
        "Hương",
        "Chuyên viên Phòng Hành chính tư pháp",
        "chuyên viên – Sở Tư pháp",
    ),
    DemoUser(
        "lanhdao.tuphap",
        Role.UNIT_LEADER,
        "tu_phap",
        "Nguyễn Đình",
        "Hải",
        "Phó Giám đốc Sở Tư pháp",
        "lãnh đạo – Sở Tư pháp",
    ),
    DemoUser(
        "chuyenvien.vpdkdd",
        Role.SPECIALIST,
        "vpdkdd",
        "Thái Văn",
        "Sơn",
        "Viên chức Văn phòng Đăng ký đất đai",
        "chuyên viên – Văn phòng ĐKĐĐ",
    ),
    DemoUser(
        "lanhdao.vpdkdd",
        Role.UNIT_LEADER,
        "vpdkdd",
        "Cao Thị",
        "Ngọc",
        "Giám đốc Văn phòng Đăng ký đất đai tỉnh",
        "lãnh đạo – Văn phòng ĐKĐĐ",
    ),
    DemoUser(
        "chuyenvien.congantinh",
        Role.SPECIALIST,
        "cong_an",
        "Lê Văn",
        "Tuấn",
        "Cán bộ Công an tỉnh",
        "chuyên viên – Công an tỉnh",
    ),
    DemoUser(
        "lanhdao.congantinh",
        Role.UNIT_LEADER,
        "cong_an",
        "Phạm Văn",
        "Cường",
        "Phó Giám đốc Công an tỉnh",
        "lãnh đạo – Công an tỉnh",
    ),
    DemoUser(
        "chuyenvien.thue",
        Role.SPECIALIST,
        "thue",
        "Hồ Thị",
        "Thảo",
        "Công chức Thuế tỉnh Nghệ An",
        "chuyên viên – Thuế tỉnh",
    ),
]

# What `quantri` (staff, not superuser) may do in the admin: configure the catalogue and the calendar.
ADMIN_PERMISSIONS: list[tuple[str, Iterable[str]]] = [
    ("catalog", ("procedure", "procedurecomponent", "fee", "processstep")),
    ("core", ("calendarexception",)),
]


def load_users(org: DemoOrg) -> None:
    """Create or update the demo accounts; their passwords are reset to DEMO_PASSWORD on every load."""
    by_key: dict[str, OrgUnit] = {
        **org.units,
        "commune": org.first_commune,
        "commune_police": org.commune_police[0],
    }
    for spec in DEMO_USERS:
        values = {
            "role": spec.role.value,
            "org_unit": None if spec.unit is None else by_key[spec.unit],
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "job_title": spec.job_title,
            "is_active": True,
            "is_staff": False,
            "is_superuser": False,
            "citizen_id": "",
            "email": "",
            "phone": "",
            **spec.extra,
        }
        user, wrote = upsert(User, {"username": spec.username}, values, on_create={"password": "!"})
        org.changed += wrote
        org.users[spec.username] = user
    # One hash for every account (the demo password is public anyway): one slow hash per load, not 16.
    password = make_password(DEMO_PASSWORD)
    User.objects.filter(username__in=org.users).update(password=password)
    for user in org.users.values():
        user.password = password
    wanted = Permission.objects.filter(
        models.Q(
            *[
                models.Q(content_type__app_label=app, content_type__model__in=list(names))
                for app, names in ADMIN_PERMISSIONS
            ],
            _connector=models.Q.OR,
        )
    )
    org.users["quantri"].user_permissions.add(*wanted)

"""The demo province, loaded by `motcua demo`: Nghệ An's units, demo accounts, 25 real procedures.

The procedures come from `data/procedures.json` (a copy of shared/data/procedures.json, see its README):
25 procedures as published in the national procedure database. What the source does not state is chosen
here, flagged in the database (`*_is_demo_choice`) and explained in the notes; a null is never presented
as a real value (a null fee stays null). Every row is keyed on a natural key, so loading twice changes
nothing (the demo accounts' passwords are reset to the demo password on every load).
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

from django.utils import timezone

from motcua.catalog import publication
from motcua.catalog.models import (
    DecisionItem,
    Fee,
    Procedure,
    ProcedureComponent,
    ProcessStep,
    PublicationDecision,
)
from motcua.catalog.selectors import process_total
from motcua.core.models import OrgUnit
from motcua.core.roles import Role
from motcua.demo.bank import load_demo_bank_statement
from motcua.demo.bookings import load_demo_bookings
from motcua.demo.counters import load_demo_counters
from motcua.demo.declarations import load_demo_declarations
from motcua.demo.directives import load_demo_directives
from motcua.demo.documents import issue_demo_results, seed_documents_demo
from motcua.demo.fees import fee_rows
from motcua.demo.inbound import load_demo_inbound
from motcua.demo.ministries import load_demo_ministries
from motcua.demo.org import DemoOrg, load_org, upsert
from motcua.demo.standing import load_demo_standing
from motcua.demo.tickets import load_demo_tickets
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Consultation, Dossier
from motcua.intake import services as intake_services

DATA_FILE = Path(__file__).resolve().parent / "data" / "procedures.json"

Online = Procedure.OnlineLevel
Kind = ProcessStep.UnitKind
SPECIALIST, LEADER = Role.SPECIALIST.value, Role.UNIT_LEADER.value

# --- demo choices ------------------------------------------------------------------------------------

# Time limits the source does not publish: (amount, unit, why). Flagged time_limit_is_demo_choice.
CHOSEN_TIME_LIMITS: dict[str, tuple[str, str, str]] = {
    "2.000815": (
        "4",
        "working_hours",
        "Dữ liệu mẫu chọn 4 giờ làm việc: trong thực tế chứng thực được giải quyết trong ngày "
        "(trong ngày tiếp nhận, hoặc ngày làm việc tiếp theo nếu tiếp nhận sau 15 giờ – "
        "Nghị định 23/2015/NĐ-CP, cần đối chiếu).",
    ),
    "2.000884": (
        "4",
        "working_hours",
        "Dữ liệu mẫu chọn 4 giờ làm việc: trong thực tế chứng thực chữ ký được giải quyết trong ngày "
        "(Nghị định 23/2015/NĐ-CP, cần đối chiếu).",
    ),
    "1.005136": (
        "5",
        "working_days",
        "Dữ liệu mẫu chọn 5 ngày làm việc: thời hạn Sở Tư pháp kiểm tra, tra cứu theo trình tự đã công bố, "
        "cho trường hợp không phải xác minh. Nếu phải xác minh, trình tự nêu thêm 10 ngày làm việc trả lời "
        "xác minh và 03 ngày làm việc cấp giấy (tổng 18) – chưa mô hình hóa trong dữ liệu mẫu.",
    ),
    "1.014199": (
        "10",
        "working_days",
        "Dữ liệu mẫu chọn 10 ngày làm việc: nguồn chưa xác minh, một bảng phân tích bên thứ ba ghi "
        "'Thời gian: 3–10' không rõ đơn vị; chọn cận trên (giả định ngày làm việc) để không tính trễ hạn "
        "theo một thời hạn ngắn hơn chưa kiểm chứng. Cần thay bằng thời hạn trong quyết định công bố.",
    ),
}

# The source does not state full/partial online for any procedure: every level here is a demo choice
# (docs/domain.md "Online services"), with the reason why a procedure is not full-process online.
FULL: tuple[str, str] = (Online.FULL, "")
_BIOMETRICS = "Thu nhận ảnh khuôn mặt, vân tay, mống mắt trực tiếp; trực tuyến chỉ để đặt lịch (theo nguồn)."
_PERMIT = "Bản vẽ thiết kế nộp 02 bộ; giấy phép trả kèm hồ sơ thiết kế có đóng dấu của cơ quan cấp phép."
ONLINE_LEVELS: dict[str, tuple[str, str]] = {
    "1.001193": FULL,
    "1.000894": (Online.PARTIAL, "Hai bên nam, nữ phải có mặt khi ký Giấy chứng nhận kết hôn."),
    "1.000656": FULL,
    "1.004873": FULL,
    "1.001022": (Online.PARTIAL, "Các bên phải có mặt khi đăng ký nhận cha, mẹ, con."),
    "2.000815": (Online.NONE, "Nguồn chỉ liệt kê nộp trực tiếp: phải xuất trình bản chính để đối chiếu."),
    "2.000884": (Online.NONE, "Nguồn chỉ liệt kê nộp trực tiếp: phải ký, điểm chỉ trước người chứng thực."),
    "1.004222": FULL,
    "1.004194": FULL,
    "1.010038": FULL,
    "1.001612": FULL,
    "1.013225": (Online.PARTIAL, _PERMIT),
    "1.013978": (
        Online.PARTIAL,
        "Nộp bản gốc giấy tờ về quyền sử dụng đất khi nhận kết quả; Giấy chứng nhận là bản giấy.",
    ),
    "1.014061": (Online.PARTIAL, _BIOMETRICS),
    "3.000333": FULL,
    "2.001610": FULL,
    "2.001583": FULL,
    "1.013236": (Online.PARTIAL, _PERMIT),
    "3.000347": (Online.PARTIAL, "Nộp lại giấy phép lái xe cũ; chụp ảnh trực tiếp khi chưa có trong CSDL."),
    "3.000348": (Online.PARTIAL, "Chụp ảnh trực tiếp khi chưa có trong CSDL; giấy khám sức khỏe bản giấy."),
    "1.003460": (Online.PARTIAL, "Nộp hộ chiếu bản chính; nhận thẻ tạm trú trực tiếp."),
    "2.001827": (Online.PARTIAL, "Cơ quan cấp phải kiểm tra thực tế điều kiện an toàn thực phẩm tại cơ sở."),
    "2.000200": (Online.PARTIAL, _BIOMETRICS),
    "1.005136": FULL,
    "1.014199": FULL,
}

# Province-level procedures: the deciding unit (a key of DemoOrg.units) and a note when it is a choice.
RESPONSIBLE_UNITS: dict[str, tuple[str, str]] = {
    "3.000333": ("cong_an", ""),
    "2.001610": ("tai_chinh", ""),
    "2.001583": ("tai_chinh", ""),
    "1.013236": ("xay_dung", ""),
    "3.000347": ("csgt", ""),
    "3.000348": ("csgt", "Dữ liệu mẫu giao Phòng Cảnh sát giao thông (nguồn ghi 'Công an cấp tỉnh')."),
    "1.003460": ("qlxnc", ""),
    # The source names the agriculture-and-environment sector, so not the Department of Health.
    "2.001827": (
        "nn_mt",
        "Dữ liệu mẫu giao Sở Nông nghiệp và Môi trường (nguồn: cơ quan do UBND tỉnh chỉ định).",
    ),
    "2.000200": ("qlhc", ""),
    "1.005136": ("tu_phap", ""),
    "1.014199": ("noi_vu", "Dữ liệu mẫu giao Sở Nội vụ (nguồn chưa xác minh cơ quan thực hiện)."),
}

# A step: (name, unit kind, unit key for fixed units, role, duration in the procedure's unit, approval).
Step = tuple[str, str, str | None, str, str, bool]


def commune_steps(work: str, approve: str) -> list[Step]:
    return [
        ("Công chức UBND xã thẩm định hồ sơ", Kind.RECEIVING_COMMUNE, None, SPECIALIST, work, False),
        ("Lãnh đạo UBND xã phê duyệt, ký kết quả", Kind.RECEIVING_COMMUNE, None, LEADER, approve, True),
    ]


def police_steps(work: str, approve: str) -> list[Step]:
    return [
        ("Cán bộ Công an xã kiểm tra, thẩm định hồ sơ", Kind.COMMUNE_POLICE, None, SPECIALIST, work, False),
        ("Trưởng Công an xã phê duyệt", Kind.COMMUNE_POLICE, None, LEADER, approve, True),
    ]


def unit_steps(key: str, work: str, approve: str) -> list[Step]:
    return [
        ("Chuyên viên thẩm định hồ sơ", Kind.FIXED, key, SPECIALIST, work, False),
        ("Lãnh đạo đơn vị phê duyệt, ký kết quả", Kind.FIXED, key, LEADER, approve, True),
    ]


# Process templates; durations sum exactly to the time limit, in the procedure's own unit.
RC, CP, FX = Kind.RECEIVING_COMMUNE, Kind.COMMUNE_POLICE, Kind.FIXED
PROCESS: dict[str, list[Step]] = {
    # Inter-agency in practice: the commune police registers the child's residence.
    "1.001193": [
        ("Công chức tư pháp – hộ tịch thẩm định, ghi sổ", RC, None, SPECIALIST, "0.5", False),
        ("Công an xã đăng ký thường trú cho trẻ (liên thông)", CP, None, SPECIALIST, "0.25", False),
        ("Lãnh đạo UBND xã ký Giấy khai sinh", RC, None, LEADER, "0.25", True),
    ],
    "1.000894": commune_steps("0.75", "0.25"),
    "1.000656": commune_steps("0.75", "0.25"),
    "1.004873": commune_steps("2", "1"),
    "1.001022": commune_steps("2", "1"),
    "2.000815": commune_steps("3", "1"),
    "2.000884": commune_steps("3", "1"),
    "1.004222": police_steps("5", "2"),
    "1.004194": police_steps("2", "1"),
    "1.010038": police_steps("4", "1"),
    "1.001612": commune_steps("2", "1"),
    "1.013225": commune_steps("12", "3"),
    # Inter-agency commune ↔ province, in parallel (PARALLEL_GROUPS): the commune confirms the land's use, the
    # land registration office appraises and the tax office sets the financial obligations at once; then the
    # office (the lead agency) consolidates, its leader approves and the commune chair signs.
    "1.013978": [
        ("UBND xã kiểm tra hồ sơ, xác nhận hiện trạng sử dụng đất", RC, None, SPECIALIST, "5", False),
        ("Văn phòng ĐKĐĐ thẩm định, trích đo, cập nhật CSDL đất đai", FX, "vpdkdd", SPECIALIST, "12", False),
        ("Cơ quan thuế xác định nghĩa vụ tài chính", FX, "thue", SPECIALIST, "5", False),
        ("Văn phòng ĐKĐĐ tổng hợp kết quả, trình ký", FX, "vpdkdd", SPECIALIST, "3", False),
        ("Lãnh đạo Văn phòng ĐKĐĐ duyệt kết quả", FX, "vpdkdd", LEADER, "2", True),
        ("Chủ tịch UBND xã ký Giấy chứng nhận", RC, None, LEADER, "3", True),
    ],
    "1.014061": police_steps("5", "2"),
    "3.000333": unit_steps("cong_an", "8", "2"),
    "2.001610": unit_steps("tai_chinh", "2", "1"),
    "2.001583": unit_steps("tai_chinh", "2", "1"),
    # Consultation of the agriculture-and-environment department (land use, environment).
    "1.013236": [
        (
            "Chuyên viên Sở Xây dựng thẩm định hồ sơ, kiểm tra thực địa",
            FX,
            "xay_dung",
            SPECIALIST,
            "10",
            False,
        ),
        ("Lấy ý kiến Sở Nông nghiệp và Môi trường", FX, "nn_mt", SPECIALIST, "6", False),
        ("Lãnh đạo Sở Xây dựng ký giấy phép", FX, "xay_dung", LEADER, "4", True),
    ],
    "3.000347": unit_steps("csgt", "4", "1"),
    "3.000348": unit_steps("csgt", "4", "1"),
    "1.003460": unit_steps("qlxnc", "4", "1"),
    "2.001827": unit_steps("nn_mt", "12", "3"),
    "2.000200": unit_steps("qlhc", "5", "2"),
    "1.005136": unit_steps("tu_phap", "4", "1"),
    "1.014199": unit_steps("noi_vu", "8", "2"),
}

# The parallel groups of the templates: code -> {step position: group}. Durations add up per stage (a group
# counts by its longest step: 12 + 3 + 2 + 3 = the 20 working days of 1.013978).
PARALLEL_GROUPS: dict[str, dict[int, int]] = {"1.013978": {1: 1, 2: 1, 3: 1}}

# --- components --------------------------------------------------------------------------------------

FORMS = {
    "original": ProcedureComponent.Form.ORIGINAL,
    "certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
    "copy": ProcedureComponent.Form.COPY,
    "present": ProcedureComponent.Form.PRESENT,
    # "bản chính hoặc bản sao có chứng thực": the certified copy is the least the applicant must bring.
    "original_or_certified_copy": ProcedureComponent.Form.CERTIFIED_COPY,
}
# Items needed only in some cases (or only shown) are not mandatory at reception.
CONDITIONAL_MARKERS = (
    "trường hợp",
    "nếu",
    "khi nộp trực tuyến",
    "khi nộp trực tiếp",
    "xuất trình",
    "ủy quyền",
    # found in the 25 procedures as well:
    "khi thuộc diện",
    "khi chưa có",
    "(trừ ",
    "(người nước ngoài",
    "giấy tờ khác theo",
    "đăng ký theo danh sách",
)
# Required items the markers misread ("…; nếu không có thì …" lists alternatives, "(nếu có)" qualifies
# only a part of the item, the e-form alternative is named inside the paper form's item).
MANDATORY_OVERRIDES: dict[tuple[str, int], bool] = {
    ("1.001193", 3): True,  # birth certificate, or a witness statement / commitment instead
    ("1.013225", 2): True,  # one of the legal land papers
    ("1.013978", 2): True,  # one of the land papers; "(nếu có)" is for the house diagram
    ("2.000815", 1): True,  # the original to certify from: the very object of the procedure
    ("2.000884", 2): True,  # the paper whose signature is certified
    ("2.001583", 3): True,  # legal papers of the owner / representative
    ("3.000333", 1): True,  # the request form (paper, or the interactive e-form online)
    ("3.000333", 2): True,  # copy of the ID document (the original is shown for comparison)
}


def component_form(item: dict[str, Any]) -> str:
    form = FORMS.get(item.get("form") or "", ProcedureComponent.Form.ORIGINAL)
    shown = "xuất trình" in item["name_vi"].lower()
    if shown and form in (ProcedureComponent.Form.ORIGINAL, ProcedureComponent.Form.CERTIFIED_COPY):
        return ProcedureComponent.Form.PRESENT
    return form


def component_is_mandatory(code: str, position: int, name: str) -> bool:
    if (code, position) in MANDATORY_OVERRIDES:
        return MANDATORY_OVERRIDES[(code, position)]
    lowered = name.lower()
    return not any(marker in lowered for marker in CONDITIONAL_MARKERS)


# --- loading -----------------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    org: DemoOrg
    procedures: int
    changed: int
    dossiers_created: int


class DecisionFacts(TypedDict):
    """`publication.record_decision`'s arguments for a decision as signed."""

    number: str
    signed_on: date
    signer: str
    effective_on: date
    legal_basis_effective_on: date
    national_db_published_on: date
    notes: str


# The province's decision announcing the demo's procedures. The shared data gives each procedure's national
# decision (a ministry's), not the province's: this one is the demo's, and so are its number and dates, chosen
# to sit before the synthetic history (`motcua generate --since 2025-01-01`) and to be on time for
# indicators 1.1 (signed 12 working days before the legal basis takes effect) and 1.2 (made public on the
# national database 3 working days after signing). "Who applies" is not in the shared data: left blank,
# so indicator 1.3 counts it missing.
DEMO_DECISION: DecisionFacts = {
    "number": "01/QĐ-UBND (dữ liệu mẫu)",
    "signed_on": date(2024, 12, 16),
    "signer": "Chủ tịch UBND tỉnh (dữ liệu mẫu)",
    "effective_on": date(2025, 1, 1),
    "legal_basis_effective_on": date(2025, 1, 1),
    "national_db_published_on": date(2024, 12, 19),
    "notes": (
        "Quyết định mẫu của bản demo: số, ngày ký, ngày hiệu lực, ngày có hiệu lực của văn bản quy định và "
        "ngày công khai trên CSDL quốc gia do dữ liệu mẫu chọn, không phải quyết định thật của tỉnh."
    ),
}


def load_demo_decision(codes: list[str]) -> int:
    """The demo's decision announcing its procedures (version 1 of each), once; rows written."""
    decision = PublicationDecision.objects.filter(number=DEMO_DECISION["number"]).first()
    written = 0
    if decision is None:
        decision = publication.record_decision(**DEMO_DECISION, acting_user=None)
        written += 1
    announced = set(decision.items.values_list("procedure__code", flat=True))
    for procedure in Procedure.objects.filter(code__in=codes, version=1).exclude(code__in=announced):
        # The rows were loaded from the shared data above (keyed on their code, so a reload is read-only);
        # the decision records that they were announced, in force from its effective date.
        DecisionItem.objects.create(decision=decision, kind=DecisionItem.Kind.ANNOUNCE, procedure=procedure)
        written += 1
    return written


def read_procedures() -> list[dict[str, Any]]:
    procedures: list[dict[str, Any]] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return procedures


def load_demo(*, with_dossiers: bool = True) -> DemoSummary:
    """Load (or bring up to date) the whole demo province. Call inside one transaction."""
    org = load_org()
    items = read_procedures()
    changed = org.changed + load_demo_catalogue(org, items)
    changed += load_demo_counters(org)  # the queue's counters, so the kiosks give numbers
    changed += load_demo_tickets([org.center, org.first_commune])  # weeks of queue history (#18)
    changed += load_demo_bookings(org.center, org.users["congdan"])  # appointments (#18)
    changed += load_demo_standing(org.users["quantri"])  # PAR Index, SIPAS, PAPI as published (#20)
    changed += load_demo_directives(org)  # a sample reform directive and its year of reports (#20)
    created = 0
    if with_dossiers:
        created = load_demo_dossiers(org)
        issue_demo_results()  # signed e-results of the demo dossiers that have a result
        created += load_demo_inbound(org)  # dossiers from the national portal's sandbox (#19)
        created += load_demo_ministries(org)  # dossiers to send to the ministries over the axis (#19)
        load_demo_bank_statement(org.users["quantri"])  # the bank's collections reconciled (#19)
    return DemoSummary(org=org, procedures=len(items), changed=changed, dossiers_created=created)


def load_demo_catalogue(org: DemoOrg, items: list[dict[str, Any]] | None = None) -> int:
    """The demo's catalogue alone: its procedures, the decision announcing them, their e-forms and the
    document types; rows written. What the catalogue's own tests need of the demo (`load_demo` adds the
    queue, the standing, the dossiers...)."""
    items = read_procedures() if items is None else items
    changed = sum(load_procedure(item, org) for item in items)
    changed += load_demo_decision([item["code"] for item in items])
    changed += load_demo_declarations()  # the e-forms of the five busiest procedures (#16)
    seed_documents_demo()  # document types, component mappings, national-database reference rows
    return changed


def split_source(source: str) -> tuple[str, str]:
    """("https://…", rest) when the source starts with a URL, else ("", source)."""
    first, _, rest = source.strip().partition(" ")
    if first.startswith(("http://", "https://")):
        return first.rstrip(";,"), rest.strip(" ;")
    return "", source.strip()


def procedure_values(item: dict[str, Any], org: DemoOrg) -> dict[str, Any]:
    code = item["code"]
    limit = item.get("time_limit") or {}
    source_note = limit.get("note") or ""
    if limit.get("amount") is not None:
        amount, unit, note, chosen = Decimal(str(limit["amount"])), limit["unit"], source_note, False
    else:
        raw_amount, unit, why = CHOSEN_TIME_LIMITS[code]
        amount, chosen = Decimal(raw_amount), True
        note = f"{why} Nguồn: {source_note}" if source_note else why
    online_level, online_reason = ONLINE_LEVELS[code]
    unit_key, unit_note = RESPONSIBLE_UNITS.get(code, (None, ""))
    source_url, source_rest = split_source(item.get("source") or "")
    notes = [
        item.get("notes") or "",
        f"Nguồn: {source_rest}" if source_rest else "",
        f"Hình thức nộp theo nguồn: {item['online_level']}" if item.get("online_level") else "",
        "Mức độ trực tuyến là lựa chọn của dữ liệu mẫu (nguồn không ghi toàn trình/một phần).",
        unit_note,
        "Nguồn không liệt kê thành phần hồ sơ; chưa cấu hình thành phần." if not item["components"] else "",
    ]
    return {
        "name": item["name_vi"],
        "name_en": item.get("name_en") or "",
        "field": item["field_vi"],
        "level": item["level"],
        "agency_description": item["agency_type_vi"],
        "responsible_unit": org.units[unit_key] if unit_key else None,
        "time_limit_amount": amount,
        "time_limit_unit": unit,
        "time_limit_note": note,
        "time_limit_is_demo_choice": chosen,
        "online_level": online_level,
        "online_level_is_demo_choice": True,
        "partial_online_reason": online_reason,
        "legal_basis": list(item.get("legal_basis") or []),
        "result_name": item.get("result_vi") or "",
        "source_url": source_url,
        "notes": "\n".join(line for line in notes if line),
        "is_published": True,
        "effective_from": DEMO_DECISION["effective_on"],
    }


def load_procedure(item: dict[str, Any], org: DemoOrg) -> int:
    """Create or update one procedure with its components, fees and process template; rows written."""
    code = item["code"]
    procedure, wrote = upsert(Procedure, {"code": code, "version": 1}, procedure_values(item, org))
    changed = int(wrote)
    components: list[dict[str, object]] = [
        {
            "name": c["name_vi"],
            "form": component_form(c),
            "count": c.get("count") or 1,
            "is_mandatory": component_is_mandatory(code, position, c["name_vi"]),
            "note": c.get("note") or "",
        }
        for position, c in enumerate(item["components"], start=1)
    ]
    fees = fee_rows(code, item["fees"])  # with the channel each fee is for
    durations = [Decimal(duration) for _name, _kind, _key, _role, duration, _approval in PROCESS[code]]
    groups = PARALLEL_GROUPS.get(code, {})
    steps: list[dict[str, object]] = [
        {
            "name": name,
            "unit_kind": kind,
            "unit": org.units[key] if key else None,
            "role": role,
            "duration": duration,
            "is_approval": approval,
            "parallel_group": groups.get(position),
        }
        for position, ((name, kind, key, role, _text, approval), duration) in enumerate(
            zip(PROCESS[code], durations, strict=True), start=1
        )
    ]
    total = process_total(
        ProcessStep(position=position, parallel_group=groups.get(position), duration=duration)
        for position, duration in enumerate(durations, start=1)
    )
    if total != procedure.time_limit_amount or any(duration <= 0 for duration in durations):
        raise ValueError(f"{code}: step durations {total} do not add up to {procedure.time_limit_amount}")
    for model, rows in ((ProcedureComponent, components), (Fee, fees), (ProcessStep, steps)):
        for position, values in enumerate(rows, start=1):
            changed += upsert(model, {"procedure": procedure, "position": position}, values)[1]
        deleted, _ = model.objects.filter(procedure=procedure, position__gt=len(rows)).delete()
        changed += deleted
    return changed


# --- a few dossiers, through the dossier services ----------------------------------------------------


def load_demo_dossiers(org: DemoOrg) -> int:
    """Some dossiers in different states, made through `dossiers.services`; only into an empty system."""
    if Dossier.objects.exists():
        return 0
    u = org.users
    commune, center = org.first_commune, org.center
    procedures = {p.code: p for p in Procedure.objects.prefetch_related("components")}
    clock = iter(timezone.now() - timedelta(days=1) + timedelta(minutes=10 * i) for i in range(1000))
    citizen = services.Applicant(
        kind="citizen",
        name="Nguyễn Văn An",
        id_number="040090001234",
        phone="0912345678",
        email="congdan@example.vn",
        address=f"{commune.name}, tỉnh Nghệ An",
        user=u["congdan"],
    )

    def intake(code: str, unit: OrgUnit, applicant: services.Applicant = citizen) -> services.Intake:
        procedure = procedures[code]
        components = list(procedure.components.all())
        # A procedure whose components are all conditional is still received with its first one (never empty).
        given = [c for c in components if c.is_mandatory] or components[:1]
        provided = [services.ProvidedComponent(c.pk) for c in given]
        return services.Intake(
            procedure=procedure, applicant=applicant, receiving_unit=unit, components=provided
        )

    def processing(code: str, unit: OrgUnit, counter: str) -> Dossier:
        d = intake_services.receive_at_counter(
            intake=intake(code, unit), channel=Channel.COUNTER, acting_user=u[counter], now=next(clock)
        )
        return services.start_processing(dossier=d, acting_user=u[counter], now=next(clock))

    # 1. Birth registration, inter-agency: now with the commune police.
    d = processing("1.001193", commune, "tiepnhan.thanhvinh")
    services.complete_step(
        dossier=d, acting_user=u["chuyenvien.thanhvinh"], opinion="Hồ sơ hợp lệ.", now=next(clock)
    )
    # 2. Marital status certificate: settled and returned.
    d = processing("1.004873", commune, "tiepnhan.thanhvinh")
    d = services.complete_step(dossier=d, acting_user=u["chuyenvien.thanhvinh"], now=next(clock))
    d = services.approve(dossier=d, acting_user=u["lanhdao.thanhvinh"], now=next(clock))
    d = services.issue_result(dossier=d, acting_user=u["lanhdao.thanhvinh"], now=next(clock))
    services.return_result(dossier=d, acting_user=u["tiepnhan.thanhvinh"], now=next(clock))
    # 3. Temporary residence: the commune police asks, once and fully, for a missing document.
    d = processing("1.004194", commune, "tiepnhan.thanhvinh")
    services.request_supplement(
        dossier=d,
        acting_user=u["congan.thanhvinh"],
        missing=["Hợp đồng thuê nhà được công chứng hoặc chứng thực"],
        reason="Chỗ ở hợp pháp chưa khai thác được từ Cơ sở dữ liệu.",
        now=next(clock),
    )
    # 4. Land registration, commune → province: the commune, the land registration office and the tax office
    # work in parallel; the commune has done its part. The office asks the Department of Justice's opinion,
    # which answers in time.
    d = processing("1.013978", commune, "tiepnhan.thanhvinh")
    d = services.complete_step(dossier=d, acting_user=u["chuyenvien.thanhvinh"], now=next(clock))
    d = services.consult(
        dossier=d,
        acting_user=u["chuyenvien.vpdkdd"],
        consulted_units=[org.units["tu_phap"]],
        content="Đề nghị Sở Tư pháp cho ý kiến về tính hợp lệ của văn bản thỏa thuận phân chia di sản "
        "thừa kế quyền sử dụng đất kèm theo hồ sơ.",
        working_days=3,
        now=next(clock),
    )
    services.answer_consultation(
        dossier=d,
        acting_user=u["chuyenvien.tuphap"],
        consultation_id=Consultation.objects.get(dossier=d).pk,
        answer="Văn bản thỏa thuận phân chia di sản đã được công chứng hợp lệ; đủ điều kiện làm căn cứ "
        "đăng ký.",
        now=next(clock),
    )
    # 5. Judicial record certificate at the provincial center: with the provincial police.
    processing("3.000333", center, "tiepnhan.tinh")
    # 7. Another judicial record certificate, received ten days ago: the provincial police asked the
    # Department of Justice for the records two working days ago at most; no answer yet, the answer is late.
    early = iter(timezone.now() - timedelta(days=10) + timedelta(minutes=10 * i) for i in range(100))
    d = intake_services.receive_at_counter(
        intake=intake("3.000333", center),
        channel=Channel.COUNTER,
        acting_user=u["tiepnhan.tinh"],
        now=next(early),
    )
    d = services.start_processing(dossier=d, acting_user=u["tiepnhan.tinh"], now=next(early))
    services.consult(
        dossier=d,
        acting_user=u["chuyenvien.congantinh"],
        consulted_units=[org.units["tu_phap"]],
        content="Đề nghị Sở Tư pháp cung cấp thông tin lý lịch tư pháp về án tích của người yêu cầu.",
        working_days=2,
        now=next(early),
    )
    # 6. A business registers a company online: waiting for the center to check it.
    business = services.Applicant(
        kind="business",
        name="Công ty TNHH Thương mại Sen Vàng Nghệ An",
        id_number="2901234567",
        phone="0987654321",
        email="doanhnghiep@example.vn",
        address="Phường Thành Vinh, tỉnh Nghệ An",
        user=u["doanhnghiep"],
    )
    intake_services.submit_online(
        intake=intake("2.001583", center, business), acting_user=u["doanhnghiep"], now=next(clock)
    )
    return Dossier.objects.count()

"""The demo province's reception halls: the service areas of the center and the first ward, their counters
(each serving its own areas first and helping with others), and the roster; the kiosks and boards work at
once."""

from datetime import time

from motcua.demo.org import DemoOrg
from motcua.queueing.models import CounterArea, CounterShift, ServiceArea, ServiceCounter

# (code, name, target wait in minutes), in the kiosk's order.
DEMO_AREAS = [
    ("tu-phap-ho-tich", "Tư pháp – Hộ tịch", 15),
    ("dat-dai", "Đất đai", 20),
    ("dang-ky-kinh-doanh", "Đăng ký kinh doanh", 15),
    ("khac", "Khác", 15),
]
# (unit key, number, name, demo officer's user name or "", {area code: priority}, weekdays staffed or None:
# every working day in office hours)
DEMO_COUNTERS = [
    (
        "center",
        1,
        "Quầy 1 – Tư pháp, hộ tịch",
        "tiepnhan.tinh",
        {"tu-phap-ho-tich": 1, "khac": 2},
        None,
    ),
    ("center", 2, "Quầy 2 – Đất đai", "", {"dat-dai": 1, "khac": 2}, None),
    ("center", 3, "Quầy 3 – Đăng ký kinh doanh", "", {"dang-ky-kinh-doanh": 1, "khac": 2}, None),
    # A half-time counter: mornings only, Monday, Wednesday and Friday.
    ("center", 4, "Quầy 4 – Hỗ trợ", "", {"khac": 1, "dat-dai": 2, "tu-phap-ho-tich": 2}, [0, 2, 4]),
    ("commune", 1, "Quầy 1 – Hộ tịch", "tiepnhan.thanhvinh", {"tu-phap-ho-tich": 1, "khac": 2}, None),
    (
        "commune",
        2,
        "Quầy 2 – Các lĩnh vực khác",
        "",
        {"dat-dai": 1, "dang-ky-kinh-doanh": 1, "khac": 1},
        None,
    ),
]
MORNING = (time(7, 30), time(11, 30))


def load_demo_counters(org: DemoOrg) -> int:
    """Create the demo areas and counters that are missing (an administrator's later changes are kept);
    rows created."""
    units = {"center": org.center, "commune": org.first_commune}
    created = 0
    areas: dict[tuple[str, str], ServiceArea] = {}
    for key, unit in units.items():
        for position, (code, name, target) in enumerate(DEMO_AREAS, start=1):
            area, new = ServiceArea.objects.get_or_create(
                unit=unit,
                code=code,
                defaults={"name": name, "position": position, "target_wait_minutes": target},
            )
            areas[key, code] = area
            created += new
    for key, number, name, username, serves, weekdays in DEMO_COUNTERS:
        counter, new = ServiceCounter.objects.get_or_create(
            unit=units[key], number=number, defaults={"name": name, "officer": org.users.get(username)}
        )
        created += new
        if not new:
            continue
        for code, priority in serves.items():
            CounterArea.objects.create(counter=counter, area=areas[key, code], priority=priority)
        for weekday in weekdays or ():
            CounterShift.objects.create(counter=counter, weekday=weekday, starts=MORNING[0], ends=MORNING[1])
    return created

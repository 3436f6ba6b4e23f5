"""The demo province's counters: the kiosks and boards of the center and the first ward work at once."""

from motcua.demo.org import DemoOrg
from motcua.queueing.models import ServiceCounter

# (unit key, number, name, service area, demo officer's user name or "")
DEMO_COUNTERS = [
    ("center", 1, "Quầy 1 – Tư pháp, hộ tịch", "Tư pháp, hộ tịch", "tiepnhan.tinh"),
    ("center", 2, "Quầy 2 – Đầu tư, kinh doanh", "Đầu tư, kinh doanh", ""),
    ("commune", 1, "Quầy 1 – Hộ tịch", "Hộ tịch", "tiepnhan.thanhvinh"),
    ("commune", 2, "Quầy 2 – Các lĩnh vực khác", "", ""),
]


def load_demo_counters(org: DemoOrg) -> int:
    """Create the demo counters that are missing (an administrator's later changes are kept); rows created."""
    units = {"center": org.center, "commune": org.first_commune}
    created = 0
    for key, number, name, field, username in DEMO_COUNTERS:
        _, new = ServiceCounter.objects.get_or_create(
            unit=units[key],
            number=number,
            defaults={"name": name, "field": field, "officer": org.users.get(username)},
        )
        created += new
    return created

"""What the national portal can check and judge from one DongBoHoSoMC item alone (the sandbox's part).

The portal sees no calendar and no rules of ours: only dates. From them it can judge a dossier early, on
time or late as the province does (Circular 01/2018 Art. 13; docs/domain.md "Time"): the end (NgayKetThucXuLy)
against the appointment judged (NgayHenTra); early when the end's day is before the appointment without
apology (NgayHenTraBanDau); more than one supplement request (LoaiBoSung "1") is late; a dossier waiting on
the applicant (status 5, 6) is never overdue. It can also check that the history adds up: replaying the
appointment changes (each completed pause's NgayHenTraMoi, a lawful apology's NgayHenTraMoi) from
NgayHenTraBanDau must end on NgayHenTra, and an apology letter sent as a rescheduling must be dated before
the day of the date it moves (Art. 19(9), "chậm nhất 01 ngày trước ngày hết hạn"). Field meanings: `history`.
"""

from datetime import datetime
from typing import Any

from motcua.interop.dvcqg.payloads import DATE_FORMAT, TZ

EARLY, ON_TIME, LATE = "early", "on_time", "late"  # the values of `dossiers.clock.Timeliness`
IN_TIME, OVERDUE, PAUSED = "in_time", "overdue", "paused"
NOT_JUDGED = frozenset({"1", "3", "7"})  # new online, not accepted, withdrawn
PAUSED_STATUSES = frozenset({"5", "6"})
SUPPLEMENT, FINANCIAL = "1", "2"
APOLOGY = ("NgayXinLoi", "NgayHenTraCu", "NgayHenTraMoi", "LyDoXinLoi")
ENTRY_DATES = ("NgayTiepNhanBoSung", "NgayHenTraTruoc", "NgayHenTraMoi")


def parse(value: Any) -> datetime | None:
    """A `yyyyMMddHHmmss` local date as a naive local datetime; None when empty or malformed."""
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        return None
    try:
        return datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        return None


def verdict(item: dict[str, Any], *, as_of: datetime) -> str | None:
    """Early / on time / late for an ended dossier; in time / overdue / paused for an open one at `as_of`
    (aware); None when the dossier is not judged (not accepted, withdrawn) or has no appointment."""
    appointment = parse(item.get("NgayHenTra"))
    status = str(item.get("TrangThaiHoSo", ""))
    if appointment is None or status in NOT_JUDGED:
        return None
    requests = sum(1 for entry in _entries(item) if entry.get("LoaiBoSung") == SUPPLEMENT)
    end = parse(item.get("NgayKetThucXuLy"))
    if end is None:
        if status in PAUSED_STATUSES:
            return PAUSED
        now = as_of.astimezone(TZ).replace(tzinfo=None)
        return OVERDUE if requests > 1 or now > appointment else IN_TIME
    if requests > 1 or end > appointment:
        return LATE
    original = parse(item.get("NgayHenTraBanDau")) or appointment
    return EARLY if end.date() < original.date() else ON_TIME


def history_errors(item: dict[str, Any]) -> list[str]:
    """What the portal refuses in the appointment history of a DongBoHoSoMC item."""
    errors = _apology_errors(item)
    entries = item.get("DanhSachHoSoBoSung")
    if isinstance(entries, list):
        for i, entry in enumerate(entries):
            errors += [f"DanhSachHoSoBoSung[{i}]: {e}" for e in _entry_errors(entry)]
    if not errors:
        expected = _replayed_appointment(item)
        if expected is not None and expected != item.get("NgayHenTra"):
            errors.append(f"NgayHenTra không khớp lịch sử hẹn trả (theo lịch sử: {expected})")
    return errors


def _entries(item: dict[str, Any]) -> list[dict[str, Any]]:
    entries = item.get("DanhSachHoSoBoSung")
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def _apology_errors(item: dict[str, Any]) -> list[str]:
    given = [name for name in APOLOGY if str(item.get(name) or "").strip()]
    if not given:
        return []
    if len(given) < len(APOLOGY):
        return ["thông tin xin lỗi, hẹn lại phải có đủ " + ", ".join(APOLOGY)]
    issued, old, new = (parse(item.get(name)) for name in APOLOGY[:3])
    if issued is None or old is None or new is None:
        return ["NgayXinLoi, NgayHenTraCu, NgayHenTraMoi phải có dạng yyyyMMddHHmmss"]
    errors = []
    if new <= old:
        errors.append("NgayHenTraMoi phải sau NgayHenTraCu")
    if issued.date() >= old.date():
        errors.append("phiếu xin lỗi phải ban hành chậm nhất 01 ngày trước ngày hẹn trả (NgayHenTraCu)")
    return errors


def _entry_errors(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return ["không phải đối tượng JSON"]
    errors = []
    if entry.get("LoaiBoSung") not in (SUPPLEMENT, FINANCIAL):
        errors.append(f"LoaiBoSung không hợp lệ: {entry.get('LoaiBoSung')!r}")
    if entry.get("TrangThaiBoSung") not in ("0", "1"):
        errors.append(f"TrangThaiBoSung không hợp lệ: {entry.get('TrangThaiBoSung')!r}")
    requested = parse(entry.get("NgayBoSung"))
    if requested is None:
        errors.append("NgayBoSung phải có dạng yyyyMMddHHmmss")
    for name in ENTRY_DATES:
        if entry.get(name, "") != "" and parse(entry.get(name)) is None:
            errors.append(f"{name} phải có dạng yyyyMMddHHmmss hoặc rỗng")
    items = entry.get("DanhSachGiayToBoSung")
    if not isinstance(items, list) or (entry.get("LoaiBoSung") == SUPPLEMENT and not items):
        errors.append("DanhSachGiayToBoSung phải liệt kê các giấy tờ cần bổ sung")
    received = parse(entry.get("NgayTiepNhanBoSung"))
    if entry.get("TrangThaiBoSung") == "1" and (received is None or (requested and received < requested)):
        errors.append("hồ sơ đã bổ sung phải có NgayTiepNhanBoSung sau NgayBoSung")
    if entry.get("TrangThaiBoSung") == "0" and entry.get("NgayTiepNhanBoSung", "") != "":
        errors.append("hồ sơ chưa bổ sung không có NgayTiepNhanBoSung")
    return errors


def _replayed_appointment(item: dict[str, Any]) -> str | None:
    """NgayHenTraBanDau moved by each completed pause and a lawful apology, in order; None when the
    history does not say (no NgayHenTraBanDau, or a completed pause without its new appointment)."""
    changes: list[tuple[str, str]] = []  # (from when, the new appointment)
    for entry in _entries(item):
        if entry.get("TrangThaiBoSung") == "1":
            if not entry.get("NgayHenTraMoi"):
                return None
            changes.append((entry["NgayTiepNhanBoSung"], entry["NgayHenTraMoi"]))
    if item.get("NgayXinLoi"):
        changes.append((item["NgayXinLoi"], item["NgayHenTraMoi"]))
    if not changes:
        return item.get("NgayHenTraBanDau") or None
    return max(changes)[1]  # dates as yyyyMMddHHmmss sort as text

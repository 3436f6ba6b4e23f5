"""The demo's appointments: the demo citizen (congdan) holds one for the center's first service area on the
next working day, and people without accounts have taken some places around it, so that "Lịch hẹn của tôi"
shows a booking with its QR code and "Đặt lịch hẹn" shows slots filling up."""

from motcua.core.models import OrgUnit, User
from motcua.queueing import bookings
from motcua.queueing.models import Booking

# (ID number, name) of people who booked at the counter's phone line, without an account.
OTHERS = [
    ("040185000101", "Lê Thị Hoa"),
    ("040078000202", "Phạm Văn Minh"),
    ("040192000303", "Hồ Thị Lan"),
]


def load_demo_bookings(unit: OrgUnit, citizen: User) -> int:
    """Bookings written (none when the citizen already holds a live one at `unit`)."""
    citizen.refresh_from_db()  # verified by the demo's documents after the organisation was loaded
    if Booking.objects.filter(unit=unit, user=citizen, status__in=bookings.LIVE).exists():
        return 0
    area = bookings.bookable_areas(unit).first()
    if area is None:
        return 0
    day = bookings.bookable_days()[1]  # the next working day: all its slots are ahead
    free = bookings.free_slots(area, day)
    if len(free) < 4:
        return 0
    bookings.book(area=area, slot_start=free[3].start, user=citizen)
    written = 1
    for (id_number, name), index in zip(OTHERS, (4, 5, 5), strict=True):
        start = free[index].start
        if not any(s.start == start and s.free for s in bookings.slots(area, day)):
            continue
        Booking.objects.create(
            unit=unit,
            area=area,
            day=day,
            slot_start=start,
            code=bookings.new_code(),
            holder_id_number=id_number,
            holder_name=name,
        )
        written += 1
    return written

"""Service areas from the free-text fields of counters and tickets: an area per distinct field of a unit,
plus "Lĩnh vực khác" for the tickets taken without one. Every counter served every ticket before: each now
serves its own area first (priority 1) and every other area of its unit after (priority 2); a counter
without a field serves all of them first."""

from django.db import migrations
from django.utils.text import slugify

GENERAL_CODE = "chung"
GENERAL_NAME = "Lĩnh vực khác"


def forwards(apps, schema_editor):
    ServiceCounter = apps.get_model("queueing", "ServiceCounter")
    Ticket = apps.get_model("queueing", "Ticket")
    ServiceArea = apps.get_model("queueing", "ServiceArea")
    CounterArea = apps.get_model("queueing", "CounterArea")
    unit_ids = set(ServiceCounter.objects.values_list("unit_id", flat=True)) | set(
        Ticket.objects.values_list("unit_id", flat=True)
    )
    for unit_id in unit_ids:
        fields = set(
            ServiceCounter.objects.filter(unit_id=unit_id).exclude(field="").values_list("field", flat=True)
        )
        fields |= set(
            Ticket.objects.filter(unit_id=unit_id).exclude(field="").values_list("field", flat=True)
        )
        areas = {}
        for position, name in enumerate(sorted(fields), start=1):
            code = (slugify(name) or f"khu-vuc-{position}")[:30]
            areas[name] = ServiceArea.objects.create(unit_id=unit_id, code=code, name=name, position=position)
        areas[""] = ServiceArea.objects.create(
            unit_id=unit_id, code=GENERAL_CODE, name=GENERAL_NAME, position=len(fields) + 1
        )
        for counter in ServiceCounter.objects.filter(unit_id=unit_id):
            for name, area in areas.items():
                first = not counter.field or name == counter.field
                CounterArea.objects.create(counter=counter, area=area, priority=1 if first else 2)
        for name, area in areas.items():
            Ticket.objects.filter(unit_id=unit_id, field=name).update(area=area)


class Migration(migrations.Migration):
    dependencies = [("queueing", "0002_areas_people_bookings")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

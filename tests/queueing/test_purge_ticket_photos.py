"""The kiosk's photos are deleted at the end of the day: `motcua purge_ticket_photos` (cron, each night)
deletes the files and clears the references of the days before today; today's stay."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from motcua.queueing import services
from motcua.queueing.models import Ticket
from tests.factories import local
from tests.queueing.helpers import make_counter, take

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def test_yesterdays_photos_go_todays_stay(province, settings, tmp_path):
    settings.MOTCUA_QUEUE_PHOTOS = True
    settings.MEDIA_ROOT = tmp_path
    make_counter(province.commune, 1)

    def with_photo(now):
        photo = SimpleUploadedFile("p.jpg", JPEG, content_type="image/jpeg")
        return take(province.commune, now=now, photo=photo)

    old = with_photo(local(2026, 3, 1, 16, 0))
    late = with_photo(local(2026, 3, 2, 23, 59))
    today = with_photo(local(2026, 3, 3, 0, 5))
    storage = old.photo.storage
    files = [t.photo.name for t in (old, late, today)]
    assert all(storage.exists(name) for name in files)
    # Run at 06:00 local on 3 March: the 1st's and the 2nd's photos go.
    assert services.purge_ticket_photos(now=local(2026, 3, 3, 6, 0)) == 2
    assert [storage.exists(name) for name in files] == [False, False, True]
    assert list(Ticket.objects.order_by("issued_at").values_list("photo", flat=True)) == ["", "", files[2]]
    out = StringIO()
    call_command("purge_ticket_photos", stdout=out)  # today (December): the 3 March photo goes too
    assert out.getvalue().strip() == "1 photo(s) deleted"
    assert not storage.exists(files[2]) and not Ticket.objects.exclude(photo="").exists()

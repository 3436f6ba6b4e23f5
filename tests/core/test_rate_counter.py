"""The rate limits' counter without Redis: one row per key, a fixed window that later hits do not move."""

from datetime import timedelta

from django.utils import timezone

from motcua.core.models import RateCounter
from motcua.core.ratelimit import count_hit


def test_hits_count_up_within_the_window_and_start_again_after_it(db):
    t0 = timezone.now()
    assert [
        count_hit("tracking:10.0.0.1", window_seconds=600, now=t0 + timedelta(seconds=s)) for s in (0, 1, 2)
    ] == [1, 2, 3]
    # A hit near the end of the window does not extend it: the window began with the first hit.
    assert count_hit("tracking:10.0.0.1", window_seconds=600, now=t0 + timedelta(seconds=599)) == 4
    assert count_hit("tracking:10.0.0.1", window_seconds=600, now=t0 + timedelta(seconds=600)) == 1
    assert count_hit("tracking:10.0.0.1", window_seconds=600, now=t0 + timedelta(seconds=601)) == 2
    assert count_hit("tracking:10.0.0.2", window_seconds=600, now=t0 + timedelta(seconds=601)) == 1
    row = RateCounter.objects.get(key="tracking:10.0.0.1")
    assert (row.hits, row.window_ends_at) == (2, t0 + timedelta(seconds=1200))

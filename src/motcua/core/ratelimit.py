"""A fixed-window counter in the cache, for rate limits (public tracking, verification, logins)."""

from django.core.cache import cache


def count_hit(key: str, *, window_seconds: int) -> int:
    """Count one more hit on `key` in its window (started by the first hit); returns the count so far."""
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1

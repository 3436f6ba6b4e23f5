"""How many counters an area needs for a target wait: the Erlang C model (M/M/c queue).

Arrivals come at `arrivals_per_hour` (Poisson), each served in `service_minutes` on average (exponential), by
`counters` identical counters; a person waits when every counter is busy. The model's answers:

- `waiting_probability`: the share of people who wait at all (the Erlang C formula);
- `mean_wait_minutes`: their expected wait, everyone counted;
- `share_served_within`: the share that waits no longer than a target (the service level);
- `counters_needed`: the fewest counters whose service level reaches the target share.

An area whose load (arrivals × service time) reaches its counters never empties: no finite answer, the
functions say so (`math.inf`, probability 1).
"""

import math

# A center's service target when it sets none: 80 % of people called within 15 minutes.
DEFAULT_TARGET_MINUTES = 15.0
DEFAULT_TARGET_SHARE = 0.8
MAX_COUNTERS = 200


def _load(arrivals_per_hour: float, service_minutes: float) -> float:
    if arrivals_per_hour < 0 or service_minutes <= 0:
        raise ValueError("arrivals must be ≥ 0 and the service time > 0")
    return arrivals_per_hour * service_minutes / 60.0  # offered load, in Erlangs


def waiting_probability(arrivals_per_hour: float, service_minutes: float, counters: int) -> float:
    """Erlang C: the probability that an arriving person has to wait."""
    if counters < 1:
        raise ValueError("at least one counter")
    load = _load(arrivals_per_hour, service_minutes)
    if load == 0:
        return 0.0
    if load >= counters:
        return 1.0
    # Summed term by term (A^k / k!) so that large loads do not overflow.
    term, below = 1.0, 1.0  # k = 0
    for k in range(1, counters):
        term *= load / k
        below += term
    top = term * load / counters * counters / (counters - load)
    return top / (below + top)


def mean_wait_minutes(arrivals_per_hour: float, service_minutes: float, counters: int) -> float:
    load = _load(arrivals_per_hour, service_minutes)
    if load >= counters:
        return math.inf
    if load == 0:
        return 0.0
    drain_per_minute = (counters - load) / service_minutes  # cμ − λ, per minute
    return waiting_probability(arrivals_per_hour, service_minutes, counters) / drain_per_minute


def share_served_within(
    arrivals_per_hour: float, service_minutes: float, counters: int, target_minutes: float
) -> float:
    """P(wait ≤ target) = 1 − C · e^(−(cμ − λ) t)."""
    load = _load(arrivals_per_hour, service_minutes)
    if load >= counters:
        return 0.0
    drain_per_minute = (counters - load) / service_minutes
    waiting = waiting_probability(arrivals_per_hour, service_minutes, counters)
    return 1.0 - waiting * math.exp(-drain_per_minute * target_minutes)


def counters_needed(
    arrivals_per_hour: float,
    service_minutes: float,
    *,
    target_minutes: float = DEFAULT_TARGET_MINUTES,
    target_share: float = DEFAULT_TARGET_SHARE,
) -> int:
    """The fewest counters with `target_share` of people waiting at most `target_minutes` (0 when nobody
    comes)."""
    if not 0 < target_share < 1:
        raise ValueError("the target share is between 0 and 1")
    if _load(arrivals_per_hour, service_minutes) == 0:
        return 0
    for counters in range(1, MAX_COUNTERS + 1):
        if share_served_within(arrivals_per_hour, service_minutes, counters, target_minutes) >= target_share:
            return counters
    raise ValueError(f"more than {MAX_COUNTERS} counters needed")

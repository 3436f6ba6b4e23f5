"""Erlang C, against values worked out by hand: 10 people an hour, 12 minutes each (a load of 2 Erlangs)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.queueing.staffing import (
    counters_needed,
    mean_wait_minutes,
    share_served_within,
    waiting_probability,
)


def test_three_counters():
    # C(3, 2) = (8/6 · 3/1) / (1 + 2 + 2 + 8/6 · 3) = 4/9
    assert waiting_probability(10, 12, 3) == pytest.approx(4 / 9)
    # W = C / (cμ − λ) = (4/9) / (15 − 10) per hour = 5.333 minutes
    assert mean_wait_minutes(10, 12, 3) == pytest.approx(16 / 3)
    # P(W ≤ 5 min) = 1 − 4/9 · e^(−5/12)
    assert share_served_within(10, 12, 3, 5) == pytest.approx(1 - 4 / 9 * math.exp(-5 / 12))


def test_four_counters():
    # C(4, 2) = (16/24 · 2) / (1 + 2 + 2 + 8/6 + 16/24 · 2) = (4/3) / (23/3) = 4/23
    assert waiting_probability(10, 12, 4) == pytest.approx(4 / 23)
    assert mean_wait_minutes(10, 12, 4) == pytest.approx(4 / 23 / 10 * 60)


def test_counters_needed_for_80_percent_within_5_minutes():
    assert share_served_within(10, 12, 3, 5) < 0.8 < share_served_within(10, 12, 4, 5)
    assert counters_needed(10, 12, target_minutes=5, target_share=0.8) == 4
    assert counters_needed(0, 12) == 0


def test_an_overloaded_area_never_empties():
    assert waiting_probability(10, 12, 2) == 1.0  # a load of 2 Erlangs on 2 counters
    assert mean_wait_minutes(10, 12, 2) == math.inf
    assert share_served_within(10, 12, 2, 60) == 0.0


@pytest.mark.parametrize("bad", [(-1, 12, 3), (10, 0, 3), (10, 12, 0)])
def test_bad_input(bad):
    with pytest.raises(ValueError):
        waiting_probability(*bad)


@given(st.floats(min_value=0.5, max_value=400), st.floats(min_value=1, max_value=60), st.integers(1, 60))
def test_one_more_counter_never_makes_the_wait_longer(arrivals, service, counters):
    if arrivals * service / 60 >= counters:
        return
    assert (
        0
        <= waiting_probability(arrivals, service, counters + 1)
        <= waiting_probability(arrivals, service, counters)
        <= 1
    )
    assert mean_wait_minutes(arrivals, service, counters + 1) <= mean_wait_minutes(
        arrivals, service, counters
    )

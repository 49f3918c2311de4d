"""The Kaplan–Meier share of answered initiatives, against values worked out by hand."""

from marketplace.accountability.survival import Wait, answered_share_by, days_until_share


def test_without_waiting_ones_it_is_the_plain_share():
    waits = [Wait(days, answered=True) for days in (1, 2, 3, 4)]
    assert answered_share_by(waits) == [(1, 0.25), (2, 0.5), (3, 0.75), (4, 1.0)]
    assert days_until_share(waits, 0.5) == 2
    assert days_until_share(waits, 0.9) == 4


def test_waiting_ones_count_for_as_long_as_they_wait():
    # 6 initiatives: answered after 2, 4, 4 and 9 days; waiting for 3 and 12 days so far.
    waits = [Wait(2, True), Wait(3, False), Wait(4, True), Wait(4, True), Wait(9, True),
             Wait(12, False)]
    curve = dict(answered_share_by(waits))
    assert round(curve[2], 4) == round(1 / 6, 4)  # 1 of 6
    assert round(curve[4], 4) == round(1 - (5 / 6) * (2 / 4), 4)  # 2 of the 4 left after day 3
    assert round(curve[9], 4) == round(1 - (5 / 6) * (2 / 4) * (1 / 2), 4)  # 1 of 2
    assert days_until_share(waits, 0.5) == 4
    assert days_until_share(waits, 0.9) is None  # the one waiting 12 days may take longer


def test_nothing_answered_yet():
    assert answered_share_by([Wait(5, False)]) == []
    assert days_until_share([], 0.5) is None

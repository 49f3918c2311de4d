"""How long answers take, counting the initiatives still waiting.

An initiative still waiting for its first answer tells us only that the answer takes longer than
its wait so far (a censored observation). Leaving it out makes the gemeente look faster than it
is, since the slowest answers are exactly the ones missing; counting its wait as if answered today
does the same. The Kaplan–Meier estimator uses each wait for as long as it is known. It is a few
lines; a survival-analysis library would bring pandas and scipy to a web server for them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Wait:
    days: int  # working days until the answer, or until today while still waiting
    answered: bool


def answered_share_by(waits: Iterable[Wait]) -> list[tuple[int, float]]:
    """The estimated share answered within each day on which an answer came: (day, share)."""
    waits = list(waits)
    answers = Counter(wait.days for wait in waits if wait.answered)
    leaving = Counter(wait.days for wait in waits)
    at_risk, still_waiting, curve = len(waits), 1.0, []
    for day in sorted(leaving):
        if answers[day]:
            still_waiting *= 1 - answers[day] / at_risk
            curve.append((day, 1 - still_waiting))
        at_risk -= leaving[day]  # a wait that ends on this day still counted on it
    return curve


def days_until_share(waits: Iterable[Wait], share: float) -> int | None:
    """The fewest working days within which ``share`` of the initiatives are answered (0.5: the
    median); None when too many are still waiting to know (only a lower bound is known)."""
    for day, answered in answered_share_by(waits):
        if answered >= share - 1e-9:
            return day
    return None

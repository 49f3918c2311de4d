"""Bar charts drawn on the server as SVG: the geometry is worked out here, the template only
places it. Each chart has a title and a description for screen readers, and the page shows the
same numbers as a table; nothing to download or run on a phone."""

from __future__ import annotations

import math
from dataclasses import dataclass

# The drawing's own units; the SVG scales to the width it gets (390 px on a phone).
WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, BOTTOM, TOP = 30, 18, 20, 8  # room for the scale, the last date, the dates
MAX_LABELS = 6  # dates written under the bars: the first, the last and a few between


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class AxisLabel:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    labels: list[AxisLabel]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: float = HEIGHT - BOTTOM


def nice_top(largest: int) -> int:
    """A round top for the scale at or above ``largest``: 1, 2, 5, 10, 20, 50, …"""
    if largest <= 0:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= largest)


def bar_chart(chart_id: str, title: str, description: str, labels: list[str],
              values: list[int]) -> BarChart:
    """One bar per value, with a scale of three ticks and a few of the labels underneath."""
    top = nice_top(max(values, default=0))
    plot_height = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    gap = min(slot * 0.2, 4)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        bars.append(Bar(round(LEFT + index * slot + gap / 2, 2),
                        round(HEIGHT - BOTTOM - height, 2), round(slot - gap, 2),
                        round(height, 2), value, label))
    ticks = [Tick(round(HEIGHT - BOTTOM - plot_height * share, 2), round(top * share))
             for share in (0, 0.5, 1) if share == 0 or round(top * share) == top * share]
    every = max(1, math.ceil(len(bars) / MAX_LABELS))
    shown = [bar for index, bar in enumerate(bars) if index % every == 0]
    return BarChart(chart_id, title, description, bars, ticks,
                    [AxisLabel(round(bar.x + bar.width / 2, 2), bar.label) for bar in shown])

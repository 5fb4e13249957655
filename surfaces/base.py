"""The Surface record: a loss over two parameters, as data.

One generic plotting and simulation path serves every surface, so a surface is
only its formula, its analytic gradient and a few facts about where to look.

Value and gradient take a math namespace ``xp``: ``numpy`` (the default) for a
grid or a trajectory, ``math`` for the simulation's scalar loop, where a NumPy
call per step on a single float would be ten times slower. Formulas use only
arithmetic operators and functions both namespaces share (sqrt, exp, log, sin,
cos, tanh) so one written formula serves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import numpy as np

Value = Callable[..., Any]  # (x, y, xp=np) -> f
Gradient = Callable[..., tuple[Any, Any]]  # (x, y, xp=np) -> (df/dx, df/dy)


class Box(NamedTuple):
    """A view box: the x and y ranges of a plot."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float

    @property
    def x_range(self) -> tuple[float, float]:
        return (self.x_min, self.x_max)

    @property
    def y_range(self) -> tuple[float, float]:
        return (self.y_min, self.y_max)

    @property
    def span(self) -> float:
        return max(self.x_max - self.x_min, self.y_max - self.y_min)

    def contains(self, x: float, y: float) -> bool:
        return self.x_min <= x <= self.x_max and self.y_min <= y <= self.y_max


@dataclass(frozen=True)
class Surface:
    """A loss surface f(x, y) with its analytic gradient and where to look at it.

    ``minima`` lists the global minimum first. ``log_levels`` says the values
    span decades, so contours should be log-spaced. ``data`` is set on
    data-defined losses (see ``surfaces.data``), whose per-example gradients
    give real mini-batches.
    """

    name: str
    label: str
    formula: str
    value: Value
    grad: Gradient
    view: Box
    minima: tuple[tuple[float, float], ...]
    start: tuple[float, float]
    log_levels: bool = False
    description: str = ""
    data: Any = field(default=None, compare=False)

    def grid(self, box: Box | None = None, resolution: int = 200):
        """The surface sampled on a resolution x resolution grid over ``box``."""
        box = box or self.view
        xs = np.linspace(box.x_min, box.x_max, resolution)
        ys = np.linspace(box.y_min, box.y_max, resolution)
        gx, gy = np.meshgrid(xs, ys)
        with np.errstate(all="ignore"):
            return xs, ys, self.value(gx, gy)

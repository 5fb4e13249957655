"""The Optimizer record: a pure update rule for one parameter, after optax.

Every optimizer of the lecture acts on each parameter theta_i separately, so an
optimizer here is written for one parameter and the simulation applies it to x
and to y. ``init(theta_i) -> state`` and ``update(g_i, state, t, eta_t) ->
(step_i, state)``: t counts updates from 0, eta_t comes from the run's schedule
and the step is added to theta_i. The state is a plain tuple whose fields are
named by ``state_fields`` (the lecture's symbols: m, sigma, v); a NamedTuple
per step would cost a third of the time budget of the scalar loop.

Updates use only arithmetic (``** 0.5`` for the root), so the same function
steps a Python float in the simulation loop and a NumPy array of many seeds.
``effective_lr(states, eta, t)`` turns the recorded state history into the
per-parameter learning rate eta_t / sigma_i^t, vectorized after the run.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, NamedTuple

import numpy as np


class Param(NamedTuple):
    """A hyperparameter: its URL name, default, valid closed range and label."""

    name: str
    default: float
    low: float
    high: float
    label: str
    integer: bool = False  # a count of steps: whole numbers only


class Optimizer(NamedTuple):
    """A built optimizer: pure functions closed over its hyperparameters."""

    init: Callable[[float], tuple]
    update: Callable[[Any, tuple, int, Any], tuple[Any, tuple]]
    effective_lr: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    state_fields: tuple[str, ...]


class OptimizerSpec(NamedTuple):
    """A registry entry: how to build an optimizer and what it is."""

    name: str
    label: str
    make: Callable[..., Optimizer]
    params: tuple[Param, ...]
    rule: str  # the update rule, as the lecture writes it
    note: str  # where this form differs from the textbook or PyTorch form

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}


def constant_effective_lr(states: np.ndarray, eta: np.ndarray, t: np.ndarray) -> np.ndarray:
    """For GD and momentum the per-parameter learning rate is eta_t itself."""
    return np.asarray(eta, dtype=float)


# Longest run the optimizers' precomputed per-step coefficients cover.
HORIZON = 100_000


@lru_cache(maxsize=16)
def bias_correction(beta: float, n: int = HORIZON) -> tuple[np.ndarray, list[float]]:
    """1 / (1 - beta^(t+1)) for t = 0..n-1, as an array and as a list for the scalar loop.

    Precomputed because a float power per update and parameter costs a third
    of Adam's time in the simulation loop.
    """
    c = 1.0 / (1.0 - beta ** np.arange(1.0, n + 1.0))
    return c, c.tolist()


EPS_LECTURE = Param("eps", 0.0, 0.0, 1.0, "eps added to sigma (0 = the lecture's form)")

"""Learning-rate schedules: plain functions t -> eta_t, vectorized over t.

t counts updates from 0, as in the optimizers. Every optimizer takes every
schedule: the simulation evaluates the schedule once for all steps and hands
eta_t to the update.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from optimizers.base import Param


class ScheduleSpec(NamedTuple):
    name: str
    label: str
    params: tuple[Param, ...]
    formula: str
    fn: Callable[..., np.ndarray]  # (t, lr, steps, **params) -> eta_t

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}


def constant(t, lr, steps):
    return np.full(np.shape(t), float(lr))


def lecture_decay(t, lr, steps):
    """Decay eta / sqrt(t + 1): the lecture's "learning rate decay" in the form of Hung-yi Lee's earlier
    lecture, which turns the lecture's (root-mean-square) Adagrad into Duchi et al.'s root-sum Adagrad."""
    return lr / np.sqrt(t + 1.0)


def exponential(t, lr, steps, gamma):
    return lr * gamma ** np.asarray(t, dtype=float)


def step_decay(t, lr, steps, gamma, step_size):
    return lr * gamma ** np.floor_divide(t, max(int(step_size), 1)).astype(float)


def cosine(t, lr, steps):
    return lr * 0.5 * (1.0 + np.cos(np.pi * np.asarray(t, dtype=float) / max(steps, 1)))


def warmup_cosine(t, lr, steps, warmup):
    """Linear warm-up to lr over ``warmup`` steps, then cosine decay to 0 at the last step."""
    t = np.asarray(t, dtype=float)
    w = max(float(warmup), 1.0)
    rising = lr * (t + 1.0) / w
    tail = max(steps - w, 1.0)
    falling = lr * 0.5 * (1.0 + np.cos(np.pi * np.clip(t - w, 0.0, None) / tail))
    return np.where(t < w, rising, falling)


def transformer(t, lr, steps, d_model, warmup):
    """Vaswani et al.: lr * d_model^-0.5 * min(step^-0.5, step * warmup^-1.5), step = t + 1.

    lr = 1 gives the paper's formula exactly; lr scales it, like the "factor"
    of common implementations.
    """
    step = np.asarray(t, dtype=float) + 1.0
    return lr * d_model**-0.5 * np.minimum(step**-0.5, step * float(warmup) ** -1.5)


def resnet_warmup(t, lr, steps, warmup):
    """He et al. (110-layer ResNet): 0.01 until ``warmup`` updates, then 0.1, i.e. lr/10 then lr."""
    return np.where(np.asarray(t) < warmup, lr / 10.0, float(lr))


_GAMMA = Param("gamma", 0.999, 1e-6, 1.0, "γ (factor)")
_WARMUP = Param("warmup", 100, 1, 100_000, "warm-up steps", integer=True)

SCHEDULES: dict[str, ScheduleSpec] = {
    s.name: s
    for s in (
        ScheduleSpec("constant", "Constant", (), "η^t = η", constant),
        ScheduleSpec("decay", "Decay η/√(t+1)", (), "η^t = η/√(t+1)", lecture_decay),
        ScheduleSpec("exponential", "Exponential decay", (_GAMMA,), "η^t = η γ^t", exponential),
        ScheduleSpec(
            "step",
            "Step decay",
            (Param("gamma", 0.5, 1e-6, 1.0, "γ (factor)"), Param("step_size", 250, 1, 100_000, "every k steps", integer=True)),
            "η^t = η γ^⌊t/k⌋",
            step_decay,
        ),
        ScheduleSpec("cosine", "Cosine", (), "η^t = η (1 + cos(πt/T))/2", cosine),
        ScheduleSpec(
            "warmup",
            "Linear warm-up, cosine decay",
            (_WARMUP,),
            "η^t = η (t+1)/W for t < W, then η (1 + cos(π(t−W)/(T−W)))/2",
            warmup_cosine,
        ),
        ScheduleSpec(
            "transformer",
            "Transformer (Vaswani et al.)",
            (Param("d_model", 512, 1, 1_000_000, "d_model", integer=True), Param("warmup", 4000, 1, 100_000, "warm-up steps", integer=True)),
            "η^t = η · d_model^−0.5 · min(s^−0.5, s · W^−1.5), s = t+1",
            transformer,
        ),
        ScheduleSpec(
            "resnet",
            "ResNet warm-up (He et al.)",
            (Param("warmup", 400, 1, 100_000, "warm-up steps", integer=True),),
            "η^t = η/10 for t < W, then η",
            resnet_warmup,
        ),
    )
}


def schedule_values(name: str, lr: float, steps: int, params: dict[str, float] | None = None) -> np.ndarray:
    """eta_t for t = 0 .. steps-1 under schedule ``name`` with ``params`` over its defaults."""
    spec = SCHEDULES[name]
    values = spec.defaults()
    values.update({k: v for k, v in (params or {}).items() if k in values})
    t = np.arange(steps)
    return np.asarray(spec.fn(t, lr, steps, **values), dtype=float)

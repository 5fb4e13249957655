"""The Scene: one frozen, hashable, serializable description of an experiment.

The URL, the app, the CLI and the tests all build a Scene and hand it to
``simulate``. Constructors check invariants and raise ``ValueError`` with a
sentence a user can read; the tolerant parsing of user text lives in
``lab.query``, which turns those errors into warnings and defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import SURFACES
from surfaces.base import Box

MAX_STEPS = 100_000
MAX_RUNS = 8
MAX_LABEL = 60
LR_RANGE = (1e-12, 1e4)
MAX_SEED = 2**32 - 1

Pairs = tuple[tuple[str, float], ...]


def _canonical(pairs, allowed: dict, what: str) -> Pairs:
    """Sorted (name, value) pairs, each checked against its Param range; defaults dropped."""
    items = dict(pairs)
    out = []
    for name, value in sorted(items.items()):
        if name not in allowed:
            raise ValueError(f"{what} has no parameter '{name}' (choose from {', '.join(allowed) or 'none'})")
        p = allowed[name]
        value = float(value)
        if not (math.isfinite(value) and p.low <= value <= p.high):
            raise ValueError(f"{what}: {name} must be a number from {p.low:g} to {p.high:g}, not {value:g}")
        if value != p.default:
            out.append((name, value))
    return tuple(out)


@dataclass(frozen=True)
class Run:
    """One optimizer run: the update rule, its learning rate and schedule, its batches."""

    optimizer: str = "gd"
    lr: float = 1e-2
    params: Pairs = ()  # optimizer hyperparameters that differ from the defaults
    schedule: str = "constant"
    schedule_params: Pairs = ()
    batch_size: int = 0  # 0: full batch (the only choice on an analytic surface)
    shuffle: bool = True
    label: str = ""

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer '{self.optimizer}' (choose from {', '.join(OPTIMIZERS)})")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule '{self.schedule}' (choose from {', '.join(SCHEDULES)})")
        lr = float(self.lr)
        if not (math.isfinite(lr) and LR_RANGE[0] <= lr <= LR_RANGE[1]):
            raise ValueError(f"learning rate must be from {LR_RANGE[0]:g} to {LR_RANGE[1]:g}, not {lr:g}")
        spec = OPTIMIZERS[self.optimizer]
        sched = SCHEDULES[self.schedule]
        object.__setattr__(self, "lr", lr)
        object.__setattr__(self, "params", _canonical(self.params, {p.name: p for p in spec.params}, spec.name))
        object.__setattr__(
            self,
            "schedule_params",
            _canonical(self.schedule_params, {p.name: p for p in sched.params}, f"schedule {sched.name}"),
        )
        if isinstance(self.batch_size, bool) or int(self.batch_size) != self.batch_size or self.batch_size < 0:
            raise ValueError(f"batch size must be a whole number >= 1 (0 = full batch), not {self.batch_size}")
        object.__setattr__(self, "batch_size", int(self.batch_size))
        object.__setattr__(self, "shuffle", bool(self.shuffle))
        label = str(self.label)
        if len(label) > MAX_LABEL:
            raise ValueError(f"a label has at most {MAX_LABEL} characters")
        object.__setattr__(self, "label", label)

    def hyperparams(self) -> dict[str, float]:
        """Every hyperparameter of the optimizer: the defaults with this run's values over them."""
        values = OPTIMIZERS[self.optimizer].defaults()
        values.update(self.params)
        return values

    def schedule_hyperparams(self) -> dict[str, float]:
        values = SCHEDULES[self.schedule].defaults()
        values.update(self.schedule_params)
        return values

    def display_label(self) -> str:
        """The label, or one made from the optimizer, learning rate and schedule."""
        if self.label:
            return self.label
        text = f"{self.optimizer} η={self.lr:g}"
        if self.schedule != "constant":
            text += f" {self.schedule}"
        if self.batch_size:
            text += f" B={self.batch_size}"
        return text


@dataclass(frozen=True)
class Scene:
    """An experiment: a surface, a start, a number of steps, a seed and up to 8 runs."""

    surface: str = "valley"
    runs: tuple[Run, ...] = field(default_factory=lambda: (Run(),))
    start: tuple[float, float] | None = None  # None: the surface's default start
    steps: int = 1000
    seed: int = 0
    view: Box | None = None  # None: the surface's default view

    def __post_init__(self):
        if self.surface not in SURFACES:
            raise ValueError(f"unknown surface '{self.surface}' (choose from {', '.join(SURFACES)})")
        runs = tuple(self.runs)
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ValueError(f"a scene has 1 to {MAX_RUNS} runs, not {len(runs)}")
        if not all(isinstance(r, Run) for r in runs):
            raise ValueError("runs must be Run records")
        object.__setattr__(self, "runs", runs)
        if isinstance(self.steps, bool) or int(self.steps) != self.steps or not 1 <= self.steps <= MAX_STEPS:
            raise ValueError(f"steps must be a whole number from 1 to {MAX_STEPS:,}, not {self.steps}")
        object.__setattr__(self, "steps", int(self.steps))
        if isinstance(self.seed, bool) or int(self.seed) != self.seed or not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}")
        object.__setattr__(self, "seed", int(self.seed))
        if self.start is not None:
            x, y = (float(v) for v in self.start)
            if not (math.isfinite(x) and math.isfinite(y)):
                raise ValueError("the start point must have finite coordinates")
            object.__setattr__(self, "start", (x, y))
        if self.view is not None:
            box = Box(*(float(v) for v in self.view))
            if not all(math.isfinite(v) for v in box) or box.x_min >= box.x_max or box.y_min >= box.y_max:
                raise ValueError("a view needs finite x_min < x_max and y_min < y_max")
            object.__setattr__(self, "view", box)
        surface = SURFACES[self.surface]
        n_examples = surface.data.n_examples if surface.data is not None else 0
        for run in runs:
            if run.batch_size and not n_examples:
                raise ValueError(f"mini-batches need a data-defined surface; '{self.surface}' has no examples")
            if run.batch_size > n_examples:
                raise ValueError(f"batch size is at most {n_examples} on '{self.surface}' (its number of examples)")

    @property
    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else SURFACES[self.surface].start

    @property
    def view_box(self) -> Box:
        return self.view if self.view is not None else SURFACES[self.surface].view

    def with_runs(self, *runs: Run) -> "Scene":
        return replace(self, runs=tuple(runs))

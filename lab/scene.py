"""The Scene: one frozen, hashable, serializable description of an experiment.

The URL, the app, the CLI and the tests all build a Scene and hand it to
``simulate``. Constructors check invariants and raise ``ValueError`` with a
sentence a user can read; the tolerant parsing of user text lives in
``lab.query``, which turns those errors into warnings and defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np

from lab.messages import Message
from lab.strings import OPTIMIZER_SHORT, SCHEDULE_SHORT
from optimizers import OPTIMIZERS
from optimizers.schedules import SCHEDULES
from surfaces import FORMULA, SURFACES, surface_record
from surfaces.base import Box, Surface
from surfaces.formula import MAX_LENGTH as MAX_FORMULA
from surfaces.data import updates_per_epoch

# Steps: 10 to 100,000 (issue 3), one range for the Scene, the link, the steps box, its label and messages.
MIN_STEPS, MAX_STEPS = 10, 100_000
MAX_RUNS = 8
MAX_LABEL = 60
LR_RANGE = (1e-12, 1e4)
MAX_SEED = 2**32 - 1

Pairs = tuple[tuple[str, float], ...]


SHOWN = 40  # characters of a user's value echoed in a message


def shown(value) -> str:
    """A user's value quoted like repr, control and invisible characters escaped, cut to about SHOWN chars."""
    text = value if isinstance(value, str) else repr(value)
    out, size = [], 0
    for char in text:
        if char == "'" or char == "\\":
            piece = "\\" + char
        elif char.isprintable():
            piece = char
        else:
            piece = char.encode("unicode_escape", "backslashreplace").decode("ascii")
        if size + len(piece) > SHOWN:
            out.append("…")
            break
        out.append(piece)
        size += len(piece)
    return "'" + "".join(out) + "'"


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def eta_text(x: float) -> str:
    """A learning rate as the lessons' labels write it: 0.15, 0.02, 10⁻², 10⁻⁷, 5×10⁻⁵ (6 digits at most)."""
    exponent = round(math.log10(x)) if x > 0 else 0
    if exponent <= -2 and x == float(f"1e{exponent}"):
        return "10" + str(exponent).translate(_SUPERSCRIPT)
    mantissa, e, power = f"{x:g}".partition("e")
    if not e:
        return mantissa
    power = str(int(power)).translate(_SUPERSCRIPT)
    return f"10{power}" if mantissa == "1" else f"{mantissa}×10{power}"


def _whole(value, low: int, high: int, what) -> int:
    """``value`` as an int in [low, high], or a ValueError that says so (also for inf, NaN, text)."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not (ok and value == int(value) and low <= value <= high):
        raise ValueError(Message("scene.whole", what=what, low=f"{low:,}", high=f"{high:,}", value=shown(value)))
    return int(value)


def _number(value, what) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(Message("scene.finite", what=what, value=shown(value)))
    return float(value)


def _pair(value, what) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(Message("scene.numbers", what=what, value=shown(value))) from None


def _canonical(pairs, allowed: dict, what) -> Pairs:
    """Sorted (name, value) pairs, each checked against its Param range; defaults dropped."""
    items = dict(pairs)
    out = []
    for name, value in sorted(items.items()):
        if name not in allowed:
            choices = ", ".join(allowed) or Message("query.none")
            raise ValueError(Message("scene.no_param", what=what, name=shown(name), choices=choices))
        p = allowed[name]
        if p.integer:
            value = _whole(value, int(p.low), int(p.high), Message("scene.param_of", owner=what, name=name))
        else:
            value = _number(value, Message("scene.param_of", owner=what, name=name))
            if not p.low <= value <= p.high:
                raise ValueError(
                    Message("scene.param_range", what=what, name=name, low=f"{p.low:g}", high=f"{p.high:g}", value=repr(value))
                )
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
        if not isinstance(self.optimizer, str) or self.optimizer not in OPTIMIZERS:
            raise ValueError(
                Message("scene.unknown_optimizer", value=shown(self.optimizer), choices=", ".join(OPTIMIZERS))
            )
        if not isinstance(self.schedule, str) or self.schedule not in SCHEDULES:
            raise ValueError(Message("scene.unknown_schedule", value=shown(self.schedule), choices=", ".join(SCHEDULES)))
        lr = _number(self.lr, Message("scene.what_lr"))
        if not LR_RANGE[0] <= lr <= LR_RANGE[1]:
            raise ValueError(Message("scene.lr_range", low=f"{LR_RANGE[0]:g}", high=f"{LR_RANGE[1]:g}", value=repr(lr)))
        spec = OPTIMIZERS[self.optimizer]
        sched = SCHEDULES[self.schedule]
        object.__setattr__(self, "lr", lr)
        object.__setattr__(self, "params", _canonical(self.params, {p.name: p for p in spec.params}, spec.name))
        object.__setattr__(
            self,
            "schedule_params",
            _canonical(self.schedule_params, {p.name: p for p in sched.params}, Message("scene.schedule_named", name=sched.name)),
        )
        object.__setattr__(self, "batch_size", _whole(self.batch_size, 0, 10**9, Message("scene.what_batch")))
        if self.shuffle not in (True, False):  # also accepts 0 and 1
            raise ValueError(Message("scene.shuffle", value=shown(self.shuffle)))
        object.__setattr__(self, "shuffle", bool(self.shuffle))
        label = self.label
        if not isinstance(label, str):
            raise ValueError(Message("scene.label_text", value=shown(label)))
        try:
            label.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(Message("scene.label_unicode")) from None
        if len(label) > MAX_LABEL:
            raise ValueError(Message("scene.label_length", limit=MAX_LABEL))
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
        """The label, or one made from the optimizer, learning rate and schedule as the lessons write
        theirs ("GD η=10⁻²"), so that an edited run's label looks like the one it replaces."""
        return self.label or self.settings_label(OPTIMIZER_SHORT[self.optimizer], SCHEDULE_SHORT[self.schedule])

    def settings_label(self, optimizer: str, schedule: str) -> str:
        """"OPTIMIZER η=LR [SCHEDULE] [B=SIZE]" with the optimizer and schedule named as given
        (lab.strings.run_label gives their Chinese names), η as ``eta_text`` writes it."""
        text = f"{optimizer} η={eta_text(self.lr)}"
        if self.schedule != "constant":
            text += f" {schedule}"
        if self.batch_size:
            text += f" B={self.batch_size}"
        return text


MAX_NON_FINITE = 0.5  # a view where the surface overflows over more than this share is refused


@lru_cache(maxsize=256)
def _non_finite_share(surface: Surface, view: Box) -> float:
    """The share of a coarse grid over ``view`` where the surface is not a finite number (it overflows
    far out: a view at 1e200 would draw nothing and say nothing)."""
    z = surface.grid(view, 41)[2]
    return float(np.mean(~np.isfinite(z)))


@dataclass(frozen=True)
class Scene:
    """An experiment: a surface, a start, a number of steps, a seed and up to 8 runs."""

    surface: str = "valley"
    runs: tuple[Run, ...] = field(default_factory=lambda: (Run(),))
    start: tuple[float, float] | None = None  # None: the surface's default start
    steps: int = 1000
    seed: int = 0
    view: Box | None = None  # None: the surface's default view
    epochs: int = 0  # on a data-defined surface: > 0 runs every run this many epochs, ignoring steps
    formula: str = ""  # the user's f(x, y) when surface is FORMULA, else empty

    def __post_init__(self):
        if not isinstance(self.surface, str) or (self.surface not in SURFACES and self.surface != FORMULA):
            raise ValueError(
                Message("scene.unknown_surface", value=shown(self.surface), choices=", ".join(SURFACES), formula=FORMULA)
            )
        self._check_formula()
        runs = tuple(self.runs)
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ValueError(Message("scene.run_count", limit=MAX_RUNS, count=len(runs)))
        if not all(isinstance(r, Run) for r in runs):
            raise ValueError(Message("scene.run_records"))
        object.__setattr__(self, "runs", runs)
        object.__setattr__(self, "steps", _whole(self.steps, MIN_STEPS, MAX_STEPS, Message("scene.what_steps")))
        object.__setattr__(self, "seed", _whole(self.seed, 0, MAX_SEED, Message("scene.what_seed")))
        if self.view is not None:
            values = _pair(self.view, Message("scene.what_view"))
            if len(values) != 4:
                raise ValueError(Message("scene.view_four"))
            box = Box(*values)
            if not all(math.isfinite(v) for v in box) or box.x_min >= box.x_max or box.y_min >= box.y_max:
                raise ValueError(Message("scene.view_order"))
            object.__setattr__(self, "view", None if box == self._own_surface(None).view else box)
        surface = self.surface_record  # a formula's minima and start depend on the view, so after it
        if self.view is not None and self.surface != FORMULA:  # a formula checks its own view
            share = _non_finite_share(surface, self.view)
            if share > MAX_NON_FINITE:
                box = f"[{self.view.x_min:g}, {self.view.x_max:g}] × [{self.view.y_min:g}, {self.view.y_max:g}]"
                raise ValueError(Message("scene.view_not_finite", share=f"{share:.0%}", box=box))
        if self.start is not None:
            start = _pair(self.start, Message("scene.what_start"))
            if len(start) != 2:
                raise ValueError(Message("scene.start_two"))
            x, y = start
            if not (math.isfinite(x) and math.isfinite(y)):
                raise ValueError(Message("scene.start_finite"))
            # the surface's own start is stored as None, so that both spellings are one scene
            object.__setattr__(self, "start", None if (x, y) == surface.start else (x, y))
        n_examples = surface.data.n_examples if surface.data is not None else 0
        for run in runs:
            if run.batch_size and not n_examples:
                raise ValueError(Message("scene.batch_no_data", surface=self.surface))
            if run.batch_size > n_examples:
                raise ValueError(
                    Message("scene.batch_too_large", size=run.batch_size, count=n_examples, surface=self.surface)
                )
        object.__setattr__(self, "epochs", _whole(self.epochs, 0, MAX_STEPS, Message("scene.what_epochs")))
        if self.epochs and not n_examples:
            raise ValueError(Message("scene.epochs_no_data", surface=self.surface))
        # Settings without effect are normalized, so that scenes that simulate alike are equal
        # and share one link: a batch of all N examples is the full batch, which has no order.
        runs = tuple(
            replace(run, batch_size=0, shuffle=True) if run.batch_size in (0, n_examples) else run for run in runs
        )
        object.__setattr__(self, "runs", runs)
        if self.epochs:
            object.__setattr__(self, "steps", Scene.__dataclass_fields__["steps"].default)
        for run in runs:
            if self.updates(run) > MAX_STEPS:
                raise ValueError(
                    Message(
                        "scene.too_many_updates", epochs=f"{self.epochs:,}", size=run.batch_size,
                        updates=f"{self.updates(run):,}", limit=f"{MAX_STEPS:,}",
                    )
                )

    def updates_per_epoch(self, run: Run) -> int | None:
        """How many updates make one pass over the examples (None on an analytic surface)."""
        data = self.surface_record.data
        if data is None:
            return None
        return updates_per_epoch(data.n_examples, run.batch_size)

    def updates(self, run: Run) -> int:
        """The number of updates ``run`` makes: ``steps``, or ``epochs`` passes over the data."""
        return self.epochs * self.updates_per_epoch(run) if self.epochs else self.steps

    @property
    def start_point(self) -> tuple[float, float]:
        return self.start if self.start is not None else self.surface_record.start

    @property
    def view_box(self) -> Box:
        return self.view if self.view is not None else self.surface_record.view

    def _check_formula(self) -> None:
        text = self.formula
        if not isinstance(text, str):
            raise ValueError(Message("scene.formula_text", value=shown(text)))
        if self.surface != FORMULA:
            if text:
                raise ValueError(Message("scene.formula_surface", formula=FORMULA, value=shown(self.surface)))
            return
        text = text.strip()
        if not text:
            raise ValueError(Message("scene.formula_empty"))
        if len(text) > MAX_FORMULA:
            raise ValueError(Message("scene.formula_length", limit=MAX_FORMULA, count=f"{len(text):,}"))
        object.__setattr__(self, "formula", text)

    def _own_surface(self, view: Box | None) -> Surface:
        """The surface over ``view`` (None: its own default view); a bad formula raises here."""
        return surface_record(self.surface, self.formula, view)

    @cached_property
    def surface_record(self) -> Surface:
        """The Surface this scene runs on: a registered one, or the user's formula over the view."""
        return self._own_surface(self.view)

    def with_runs(self, *runs: Run) -> "Scene":
        return replace(self, runs=tuple(runs))

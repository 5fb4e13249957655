"""The step inspector: one update of a run, written out in the lecture's notation with its numbers.

``inspect_step(trajectory, t)`` reads update t (t = 0 .. steps-1, from theta^t
to theta^{t+1}) of a simulated run: per parameter (x is theta_1, y is theta_2)
the gradient g_i^t, eta^t, the optimizer's quantities (momentum m, sigma,
Adam's m, v, m-hat, v-hat, RAdam's r_t), the effective learning rate
eta^t / sigma_i^t and the step taken; the update as LaTeX lines with those
numbers substituted (4 significant digits; the data keep full precision); and
the arrows to draw at theta^t. The numbers recorded by the simulation are
read from the trajectory; the derived ones (sigma from Adagrad's running sum,
the bias corrections) are computed here with the lecture's formulas, and
tests/test_inspector.py checks all of them against a hand computation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from lab.simulate import Trajectory
from optimizers.adam import radam_rectification


class Arrow(NamedTuple):
    """A vector to draw at theta^t: start point, components in parameter units, label as LaTeX."""

    x: float
    y: float
    dx: float
    dy: float
    kind: str  # "gradient" (-eta^t g^t, the plain GD step), "momentum" or "step"
    label: str


@dataclass(frozen=True)
class ParamUpdate:
    """One parameter's update t. Quantities an optimizer does not have are None."""

    name: str  # "x" or "y"
    index: int  # i in theta_i: 1 for x, 2 for y
    theta: float  # theta_i^t
    theta_next: float  # theta_i^{t+1}
    grad: float  # g_i^t
    eta: float  # eta^t from the schedule
    effective_lr: float  # eta^t / sigma_i^t (eta^t for gd and momentum)
    step: float  # theta_i^{t+1} - theta_i^t
    momentum_prev: float | None = None  # momentum: m_i^t, the last movement
    momentum: float | None = None  # momentum: m_i^{t+1} = lambda m_i^t - eta^t g_i^t
    sigma: float | None = None  # Adagrad, RMSProp: sigma_i^t (rmsprop-torch: sqrt(v) + eps)
    m: float | None = None  # Adam, RAdam: first moment m_i^t
    v: float | None = None  # Adam, RAdam: second moment v_i^t
    m_hat: float | None = None
    v_hat: float | None = None
    rectification: float | None = None  # RAdam's r_t (0: an un-rectified, momentum-only step)
    latex: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inspection:
    t: int
    optimizer: str
    params: tuple[ParamUpdate, ParamUpdate]
    arrows: tuple[Arrow, ...]


def latex_number(value: float, paren: bool = False) -> str:
    """``value`` with 4 significant digits as LaTeX (1.5e-07 -> 1.5 \\times 10^{-7}); negatives in parentheses if asked."""
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return f"({text})" if paren and value < 0 else text


def inspect_step(trajectory: Trajectory, t: int) -> Inspection:
    """Update ``t`` of ``trajectory``, explained; a clear ValueError for a step the run does not have."""
    n = trajectory.steps
    if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t < n:
        if n == 0:
            raise ValueError(f"this run has no updates to inspect, so step {t!r} does not exist")
        raise ValueError(f"step must be a whole number from 0 to {n - 1} (the run's updates), not {t!r}")
    name = trajectory.run.optimizer
    hp = trajectory.run.hyperparams()
    params = tuple(_param(trajectory, t, axis, index, name, hp) for index, axis in ((1, "x"), (2, "y")))
    return Inspection(t, name, params, _arrows(params, name))


def _param(traj: Trajectory, t: int, axis: str, index: int, name: str, hp: dict) -> ParamUpdate:
    states = getattr(traj, f"states_{axis}")
    fields = traj.state_fields
    after = dict(zip(fields, states[t].tolist()))
    before = dict(zip(fields, states[t - 1].tolist())) if t else {f: 0.0 for f in fields}
    positions = getattr(traj, axis)
    base = dict(
        name=axis,
        index=index,
        theta=float(positions[t]),
        theta_next=float(positions[t + 1]),
        grad=float(getattr(traj, f"grad_{axis}")[t]),
        eta=float(traj.lr[t]),
        effective_lr=float(getattr(traj, f"effective_lr_{axis}")[t]),
        step=float(positions[t + 1] - positions[t]),
    )
    extra, lines = _RULES[name](t, base, before, after, hp)
    return ParamUpdate(**base, **extra, latex=(f"t = {t}", *lines, *_theta_line(name, t, base, extra, hp)))


# ---------------------------------------------------------------- per optimizer: quantities and the rule's lines

_N = latex_number


def _sq(value: float) -> str:
    """value^{2}, with the base in parentheses where it is negative or written with a power of ten."""
    text = latex_number(value)
    return f"({text})^{{2}}" if value < 0 or "times" in text else f"{text}^{{2}}"


def _sub(symbol: str, index: int, sup: str = "t") -> str:
    return f"{symbol}_{{{index}}}^{{{sup}}}"


def _gd(t, b, before, after, hp):
    return {}, []


def _momentum(t, b, before, after, hp):
    i, lam = b["index"], hp["momentum"]
    m_prev, m = before["m"], after["m"]
    line = (
        f"{_sub('m', i, 't+1')} = \\lambda {_sub('m', i)} - \\eta^{{t}} {_sub('g', i)}"
        f" = {_N(lam)} \\cdot {_N(m_prev, True)} - {_N(b['eta'])} \\cdot {_N(b['grad'], True)} = {_N(m)}"
    )
    return {"momentum_prev": m_prev, "momentum": m}, [line]


def _eps_text(eps: float) -> tuple[str, str]:
    return (" + \\varepsilon", f" + {_N(eps)}") if eps else ("", "")


def _adagrad(t, b, before, after, hp):
    i, s, sigma = b["index"], after["s"], after["sigma"]
    line = (
        f"\\sigma_{{{i}}}^{{t}} = \\sqrt{{\\frac{{1}}{{t+1}}\\sum_{{k=0}}^{{t}}"
        f"({_sub('g', i, 'k')})^{{2}}}} = \\sqrt{{\\frac{{{_N(s)}}}{{{t + 1}}}}} = {_N(sigma)}"
    )
    return {"sigma": sigma}, [line]


def _adagrad_sum(t, b, before, after, hp):
    i, s, eps = b["index"], after["s"], hp["eps"]
    sigma = math.sqrt(s) + eps
    sym, num = _eps_text(eps)
    line = (
        f"\\sigma_{{{i}}}^{{t}} = \\sqrt{{\\sum_{{k=0}}^{{t}}({_sub('g', i, 'k')})^{{2}}}}{sym}"
        f" = \\sqrt{{{_N(s)}}}{num} = {_N(sigma)}"
    )
    return {"sigma": sigma}, [line]


def _rmsprop(t, b, before, after, hp):
    i, alpha, sigma = b["index"], hp["alpha"], after["sigma"]
    if t == 0:
        line = f"\\sigma_{{{i}}}^{{0}} = |g_{{{i}}}^{{0}}| = |{_N(b['grad'])}| = {_N(sigma)}"
    else:
        line = (
            f"\\sigma_{{{i}}}^{{t}} = \\sqrt{{\\alpha (\\sigma_{{{i}}}^{{t-1}})^{{2}} + (1-\\alpha)({_sub('g', i)})^{{2}}}}"
            f" = \\sqrt{{{_N(alpha)} \\cdot {_sq(before['sigma'])} + {_N(1 - alpha)} \\cdot {_sq(b['grad'])}}}"
            f" = {_N(sigma)}"
        )
    return {"sigma": sigma}, [line]


def _rmsprop_torch(t, b, before, after, hp):
    i, alpha, eps, v = b["index"], hp["alpha"], hp["eps"], after["v"]
    sigma = math.sqrt(v) + eps
    lines = [
        f"{_sub('v', i)} = \\alpha {_sub('v', i, 't-1')} + (1-\\alpha)({_sub('g', i)})^{{2}}"
        f" = {_N(alpha)} \\cdot {_N(before['v'])} + {_N(1 - alpha)} \\cdot {_sq(b['grad'])} = {_N(v)}",
        f"\\sigma_{{{i}}}^{{t}} = \\sqrt{{{_sub('v', i)}}} + \\varepsilon = \\sqrt{{{_N(v)}}} + {_N(eps)} = {_N(sigma)}",
    ]
    return {"sigma": sigma}, lines


def _adam(t, b, before, after, hp):
    i, b1, b2 = b["index"], hp["beta1"], hp["beta2"]
    m, v = after["m"], after["v"]
    m_hat, v_hat = m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))
    lines = [
        f"{_sub('m', i)} = \\beta_1 {_sub('m', i, 't-1')} + (1-\\beta_1) {_sub('g', i)}"
        f" = {_N(b1)} \\cdot {_N(before['m'], True)} + {_N(1 - b1)} \\cdot {_N(b['grad'], True)} = {_N(m)}",
        f"{_sub('v', i)} = \\beta_2 {_sub('v', i, 't-1')} + (1-\\beta_2) ({_sub('g', i)})^{{2}}"
        f" = {_N(b2)} \\cdot {_N(before['v'])} + {_N(1 - b2)} \\cdot {_sq(b['grad'])} = {_N(v)}",
        f"\\hat{{m}}_{{{i}}}^{{t}} = \\frac{{{_sub('m', i)}}}{{1-\\beta_1^{{t+1}}}}"
        f" = \\frac{{{_N(m)}}}{{1-{_N(b1)}^{{{t + 1}}}}} = {_N(m_hat)}",
        f"\\hat{{v}}_{{{i}}}^{{t}} = \\frac{{{_sub('v', i)}}}{{1-\\beta_2^{{t+1}}}}"
        f" = \\frac{{{_N(v)}}}{{1-{_N(b2)}^{{{t + 1}}}}} = {_N(v_hat)}",
    ]
    return {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat}, lines


def _radam(t, b, before, after, hp):
    extra, lines = _adam(t, b, before, after, hp)
    r = radam_rectification(hp["beta2"])[1][t]
    note = "" if r else " \\quad (\\rho_t \\le 5)"
    return {**extra, "rectification": r}, [*lines, f"r_{{t}} = {_N(r)}{note}"]


_RULES = {
    "gd": _gd,
    "momentum": _momentum,
    "adagrad": _adagrad,
    "adagrad-sum": _adagrad_sum,
    "rmsprop": _rmsprop,
    "rmsprop-torch": _rmsprop_torch,
    "adam": _adam,
    "radam": _radam,
}


def _theta_line(name: str, t: int, b: dict, extra: dict, hp: dict) -> list[str]:
    """theta_i^{t+1} = ... with the numbers: the update the lecture writes for ``name``."""
    i, theta, eta, g, new = b["index"], _N(b["theta"]), _N(b["eta"]), _N(b["grad"], True), _N(b["theta_next"])
    head = f"\\theta_{{{i}}}^{{t+1}} = \\theta_{{{i}}}^{{t}}"
    if name == "gd":
        return [f"{head} - \\eta^{{t}} {_sub('g', i)} = {theta} - {eta} \\cdot {g} = {new}"]
    if name == "momentum":
        return [f"{head} + {_sub('m', i, 't+1')} = {theta} + {_N(extra['momentum'], True)} = {new}"]
    if name in ("adagrad", "rmsprop"):
        sym, num = _eps_text(hp["eps"])
        return [
            f"{head} - \\frac{{\\eta^{{t}}}}{{\\sigma_{{{i}}}^{{t}}{sym}}} {_sub('g', i)}"
            f" = {theta} - \\frac{{{eta}}}{{{_N(extra['sigma'])}{num}}} \\cdot {g} = {new}"
        ]
    if name in ("adagrad-sum", "rmsprop-torch"):
        return [
            f"{head} - \\frac{{\\eta^{{t}}}}{{\\sigma_{{{i}}}^{{t}}}} {_sub('g', i)}"
            f" = {theta} - \\frac{{{eta}}}{{{_N(extra['sigma'])}}} \\cdot {g} = {new}"
        ]
    m_hat, sqrt_v = _N(extra["m_hat"], True), f"\\sqrt{{{_N(extra['v_hat'])}}} + {_N(hp['eps'])}"
    rule = f"{head} - \\frac{{\\eta^{{t}}}}{{\\sqrt{{\\hat{{v}}_{{{i}}}^{{t}}}} + \\varepsilon}} \\hat{{m}}_{{{i}}}^{{t}}"
    if name == "adam":
        return [f"{rule} = {theta} - \\frac{{{eta}}}{{{sqrt_v}}} \\cdot {m_hat} = {new}"]
    r = extra["rectification"]
    if not r:
        return [f"{head} - \\eta^{{t}} \\hat{{m}}_{{{i}}}^{{t}} = {theta} - {eta} \\cdot {m_hat} = {new}"]
    # RAdam's eps is on the uncorrected sqrt(v), as the authors' code and torch.optim.RAdam have it
    corr = math.sqrt(1 - hp["beta2"] ** (t + 1))
    rule = (f"{head} - \\frac{{\\eta^{{t}} r_{{t}} \\sqrt{{1-\\beta_2^{{t+1}}}}}}{{\\sqrt{{{_sub('v', i)}}} + \\varepsilon}}"
            f" \\hat{{m}}_{{{i}}}^{{t}}")
    return [f"{rule} = {theta} - \\frac{{{eta} \\cdot {_N(r)} \\cdot {_N(corr)}}}"
            f"{{\\sqrt{{{_N(extra['v'])}}} + {_N(hp['eps'])}}} \\cdot {m_hat} = {new}"]


def _arrows(params, name: str) -> tuple[Arrow, ...]:
    """At theta^t: -eta^t g^t (where plain GD would go), the momentum where there is one, and the step taken."""
    px, py = params
    x, y = px.theta, py.theta
    arrows = [Arrow(x, y, -px.eta * px.grad, -py.eta * py.grad, "gradient", "-\\eta^{t} g^{t}")]
    if name == "momentum":
        # lambda m^t = m^{t+1} + eta^t g^t: the last movement, carried on; it and -eta^t g^t add up to the step
        arrows.append(
            Arrow(x, y, px.momentum + px.eta * px.grad, py.momentum + py.eta * py.grad, "momentum", "\\lambda m^{t}")
        )
    elif name in ("adam", "radam"):
        arrows.append(Arrow(x, y, -px.eta * px.m_hat, -py.eta * py.m_hat, "momentum", "-\\eta^{t} \\hat{m}^{t}"))
    arrows.append(Arrow(x, y, px.step, py.step, "step", "\\theta^{t+1} - \\theta^{t}"))
    return tuple(arrows)

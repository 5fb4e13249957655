"""The step inspector: every optimizer's quantities at a step equal a hand computation and the simulation."""

import math

import numpy as np
import pytest

from lab.inspector import inspect_step, latex_number
from lab.scene import Run, Scene
from lab.simulate import simulate
from optimizers import OPTIMIZERS

STEPS = 40
PICKED = (0, 1, 7, STEPS - 1)


def _trajectory(name):
    # the tilted valley gives both parameters non-zero gradients; the decay schedule makes eta^t vary
    (traj,) = simulate(Scene("tilted-valley", runs=(Run(name, lr=0.02, schedule="decay"),), steps=STEPS))
    assert traj.status == "ok" and traj.steps == STEPS
    return traj


def _hand(name, hp, t, g, eta, before):
    """The update from the state before step t and g^t, with the lecture's formulas written out here."""
    if name == "gd":
        return {"step": -eta * g, "effective_lr": eta}, ()
    if name == "momentum":
        (m_prev,) = before
        m = hp["momentum"] * m_prev - eta * g  # m^{t+1} = lambda m^t - eta g^t
        return {"step": m, "momentum_prev": m_prev, "momentum": m, "effective_lr": eta}, (m,)
    if name == "adagrad":
        s = before[0] + g**2
        sigma = math.sqrt(s / (t + 1))  # root MEAN square of g^0..g^t
        return {"step": -eta / (sigma + hp["eps"]) * g, "sigma": sigma, "effective_lr": eta / (sigma + hp["eps"])}, (s, sigma)
    if name == "adagrad-sum":
        s = before[0] + g**2
        sigma = math.sqrt(s) + hp["eps"]
        return {"step": -eta / sigma * g, "sigma": sigma, "effective_lr": eta / sigma}, (s,)
    if name == "rmsprop":
        a = hp["alpha"]
        sigma = abs(g) if t == 0 else math.sqrt(a * before[0] ** 2 + (1 - a) * g**2)  # sigma^0 = |g^0|
        return {"step": -eta / (sigma + hp["eps"]) * g, "sigma": sigma, "effective_lr": eta / (sigma + hp["eps"])}, (sigma,)
    if name == "rmsprop-torch":
        a = hp["alpha"]
        v = a * before[0] + (1 - a) * g**2
        sigma = math.sqrt(v) + hp["eps"]
        return {"step": -eta / sigma * g, "sigma": sigma, "effective_lr": eta / sigma}, (v,)
    b1, b2, eps = hp["beta1"], hp["beta2"], hp["eps"]
    m = b1 * before[0] + (1 - b1) * g
    v = b2 * before[1] + (1 - b2) * g**2
    m_hat, v_hat = m / (1 - b1 ** (t + 1)), v / (1 - b2 ** (t + 1))
    out = {"m": m, "v": v, "m_hat": m_hat, "v_hat": v_hat}
    if name == "adam":
        return {**out, "step": -eta * m_hat / (math.sqrt(v_hat) + eps), "effective_lr": eta / (math.sqrt(v_hat) + eps)}, (m, v)
    # RAdam (Liu et al. 2019, Algorithm 2), written out with k = t + 1
    k = t + 1
    rho_inf = 2 / (1 - b2) - 1
    rho = rho_inf - 2 * k * b2**k / (1 - b2**k)
    if rho > 5:
        r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
        # eps on the uncorrected sqrt(v), as torch.optim.RAdam: eta r sqrt(1 - b2^k) / (sqrt(v) + eps)
        eff = eta * r * math.sqrt(1 - b2**k) / (math.sqrt(v) + eps)
        step = -eff * m_hat
    else:
        r, step, eff = 0.0, -eta * m_hat, eta
    return {**out, "rectification": r, "step": step, "effective_lr": eff}, (m, v)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("t", PICKED)
def test_the_inspectors_numbers_equal_a_hand_computation_and_the_simulation(name, t):
    traj = _trajectory(name)
    inspection = inspect_step(traj, t)
    assert inspection.t == t and inspection.optimizer == name
    hp = traj.run.hyperparams()
    eta = 0.02 / math.sqrt(t + 1)  # the lecture's decay eta^t = eta / sqrt(t + 1)
    for p, axis in zip(inspection.params, ("x", "y")):
        positions, states = getattr(traj, axis), getattr(traj, f"states_{axis}")
        g = getattr(traj, f"grad_{axis}")[t]
        before = tuple(states[t - 1]) if t else (0.0,) * len(traj.state_fields)
        expected, state_after = _hand(name, hp, t, g, eta, before)
        assert (p.name, p.theta, p.grad) == (axis, positions[t], g)
        assert p.eta == pytest.approx(eta, rel=1e-12) and p.eta == traj.lr[t]
        for field, value in expected.items():
            assert getattr(p, field) == pytest.approx(value, rel=1e-9, abs=1e-300), field
        # and the simulation's own arrays
        assert p.theta_next == positions[t + 1] and p.step == positions[t + 1] - positions[t]
        assert positions[t] + expected["step"] == pytest.approx(positions[t + 1], rel=1e-12, abs=1e-15)
        assert p.effective_lr == getattr(traj, f"effective_lr_{axis}")[t]
        assert np.allclose(state_after, states[t], rtol=1e-12, atol=0)


def test_the_gradient_at_the_step_is_the_surfaces_gradient_by_central_differences():
    traj = _trajectory("adam")
    surface = Scene("tilted-valley").surface_record
    p = inspect_step(traj, 5).params
    x, y, h = p[0].theta, p[1].theta, 1e-6
    gx = (surface.value(x + h, y) - surface.value(x - h, y)) / (2 * h)
    gy = (surface.value(x, y + h) - surface.value(x, y - h)) / (2 * h)
    assert (p[0].grad, p[1].grad) == pytest.approx((gx, gy), rel=1e-5, abs=1e-8)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_the_latex_shows_the_steps_numbers_with_four_significant_digits(name):
    traj = _trajectory(name)
    for p in inspect_step(traj, 7).params:
        text = "\n".join(p.latex)
        assert p.latex[0] == "t = 7"
        for value in (p.theta, p.eta, p.theta_next):
            assert latex_number(value) in text
        shown = [p.grad, p.momentum, p.sigma, p.m, p.v, p.m_hat, p.v_hat]
        for value in filter(None, shown):
            assert latex_number(abs(value)) in text, (value, text)
        assert text.count("{") == text.count("}")  # balanced groups
        assert "^{2}^" not in text and "}^{2}^" not in text  # no double superscript


def test_numbers_are_written_with_four_significant_digits():
    assert latex_number(1.23456) == "1.235"
    assert latex_number(-0.000123456, paren=True) == "(-0.0001235)"
    assert latex_number(1.5e-07) == "1.5 \\times 10^{-7}"
    assert latex_number(123456.0) == "1.235 \\times 10^{5}"


def test_the_arrows_start_at_theta_t_and_momentum_plus_gradient_is_the_step():
    traj = _trajectory("momentum")
    inspection = inspect_step(traj, 7)
    px, py = inspection.params
    arrows = {a.kind: a for a in inspection.arrows}
    assert set(arrows) == {"gradient", "momentum", "step"}
    assert all((a.x, a.y) == (px.theta, py.theta) for a in arrows.values())
    assert (arrows["gradient"].dx, arrows["gradient"].dy) == (-px.eta * px.grad, -py.eta * py.grad)
    lam = traj.run.hyperparams()["momentum"]
    assert arrows["momentum"].dx == pytest.approx(lam * px.momentum_prev, rel=1e-9)
    assert arrows["momentum"].dx + arrows["gradient"].dx == pytest.approx(arrows["step"].dx, rel=1e-9)
    assert arrows["step"].dy == py.step
    gd_kinds = [a.kind for a in inspect_step(_trajectory("gd"), 3).arrows]
    assert gd_kinds == ["gradient", "step"]


@pytest.mark.parametrize("t", [-1, STEPS, 2.5, "3", True, None])
def test_a_step_out_of_range_is_a_clear_value_error(t):
    with pytest.raises(ValueError, match=r"^step must be a whole number from 0 to 39 \(the run's updates\), not "):
        inspect_step(_trajectory("gd"), t)


def test_a_run_without_updates_says_so():
    (traj,) = simulate(Scene("formula", formula="sqrt(x)", start=(-1.0, 0.0), runs=(Run("gd"),), steps=10))
    assert traj.steps == 0
    with pytest.raises(ValueError, match="this run has no updates to inspect"):
        inspect_step(traj, 0)

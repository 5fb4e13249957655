"""Optimizers: hand-computed first steps in the lecture's notation, and one registry contract."""

import math

import numpy as np
import pytest

from optimizers import OPTIMIZERS, build
from optimizers.adam import RADAM_RHO_THRESHOLD

ETA = 0.1
G0, G1 = 2.0, 1.0  # the gradients g^0 and g^1 of one parameter


def two_steps(name, **params):
    """The steps theta^1 - theta^0 and theta^2 - theta^1 for gradients G0 then G1, and the states."""
    opt = build(name, params)
    state0 = opt.init(0.0)
    step0, state1 = opt.update(G0, state0, 0, ETA)
    step1, state2 = opt.update(G1, state1, 1, ETA)
    return step0, step1, state1, state2


def test_gd_steps_against_the_gradient():
    step0, step1, *_ = two_steps("gd")
    assert step0 == -ETA * G0 and step1 == -ETA * G1


def test_momentum_movement_is_lambda_m_minus_eta_g():
    # m^1 = λm^0 − ηg^0 = −0.2; m^2 = λm^1 − ηg^1 = 0.5·(−0.2) − 0.1 = −0.2
    step0, step1, state1, state2 = two_steps("momentum", momentum=0.5)
    assert step0 == pytest.approx(-0.2) and state1 == pytest.approx((-0.2,))
    assert step1 == pytest.approx(0.5 * -0.2 - ETA * G1)


def test_lecture_adagrad_divides_by_root_mean_square():
    # σ^0 = √(g0²) = |g0|; σ^1 = √((g0² + g1²)/2)
    step0, step1, state1, state2 = two_steps("adagrad")
    assert state1[1] == pytest.approx(abs(G0))
    assert step0 == pytest.approx(-ETA)
    assert state2[1] == pytest.approx(math.sqrt((G0**2 + G1**2) / 2))
    assert step1 == pytest.approx(-ETA * G1 / math.sqrt(2.5))


def test_textbook_adagrad_divides_by_root_sum():
    step0, step1, *_ = two_steps("adagrad-sum", eps=0.0)
    assert step1 == pytest.approx(-ETA * G1 / math.sqrt(G0**2 + G1**2))


def test_lecture_rmsprop_starts_with_sigma0_equal_to_abs_g0():
    # σ^0 = |g0| = 2; σ^1 = √(α(σ^0)² + (1−α)g1²) = √(0.9·4 + 0.1) = √3.7
    step0, step1, state1, state2 = two_steps("rmsprop", alpha=0.9)
    assert state1 == pytest.approx((2.0,)) and step0 == pytest.approx(-ETA)
    assert state2[0] == pytest.approx(math.sqrt(3.7))
    assert step1 == pytest.approx(-ETA * G1 / math.sqrt(3.7))


def test_torch_rmsprop_starts_v_at_zero_so_its_first_step_is_larger():
    # v^0 = (1−α)g0² = 0.04, step = −ηg0/(√v + ε) ≈ −1.0: ten times the lecture's first step
    step0, *_ = two_steps("rmsprop-torch", alpha=0.99, eps=0.0)
    assert step0 == pytest.approx(-ETA * G0 / math.sqrt(0.01 * G0**2))


@pytest.mark.parametrize("eps", [1e-8, 0.3])  # 0.3, about sqrt(v): where eps goes shows in the step
def test_adam_first_two_steps_follow_kingma_and_ba_algorithm_1(eps):
    b1, b2 = 0.9, 0.999
    step0, step1, state1, state2 = two_steps("adam", beta1=b1, beta2=b2, eps=eps)
    m1, v1 = (1 - b1) * G0, (1 - b2) * G0**2
    assert state1 == pytest.approx((m1, v1), rel=1e-12)
    # eps on the bias-corrected sqrt(v_hat), as torch.optim.Adam (Algorithm 1 leaves its place open)
    assert step0 == pytest.approx(-ETA * (m1 / (1 - b1)) / (math.sqrt(v1 / (1 - b2)) + eps), rel=1e-12)
    m2, v2 = b1 * m1 + (1 - b1) * G1, b2 * v1 + (1 - b2) * G1**2
    assert step1 == pytest.approx(-ETA * (m2 / (1 - b1**2)) / (math.sqrt(v2 / (1 - b2**2)) + eps), rel=1e-12)


def rho(k, b2):
    rho_inf = 2 / (1 - b2) - 1
    return rho_inf - 2 * k * b2**k / (1 - b2**k)


@pytest.mark.parametrize("eps", [1e-8, 0.05])  # 0.05, about sqrt(v) at step 6: where eps goes shows
def test_radam_takes_momentum_steps_until_rho_exceeds_the_threshold_then_rectifies(eps):
    b1, b2 = 0.9, 0.999
    opt = build("radam", {"beta1": b1, "beta2": b2, "eps": eps})
    first_rectified = next(k for k in range(1, 100) if rho(k, b2) > RADAM_RHO_THRESHOLD)
    assert first_rectified == 6  # ρ^5 ≈ 4.99, ρ^6 ≈ 5.99 for β₂ = 0.999
    state, m, v = opt.init(0.0), 0.0, 0.0
    for t in range(first_rectified):
        g = G0 if t % 2 == 0 else G1
        step, state = opt.update(g, state, t, ETA)
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        k = t + 1
        m_hat = m / (1 - b1**k)
        if k < first_rectified:
            assert step == pytest.approx(-ETA * m_hat, rel=1e-12)
        else:
            rho_inf, r_k = 2 / (1 - b2) - 1, rho(k, b2)
            r = math.sqrt((r_k - 4) * (r_k - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * r_k))
            # eps on the uncorrected sqrt(v), as the authors' code and torch.optim.RAdam
            assert step == pytest.approx(-ETA * r * m_hat * math.sqrt(1 - b2**k) / (math.sqrt(v) + eps), rel=1e-12)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_effective_lr_from_the_recorded_states_matches_each_step(name):
    """eta_t / sigma_i^t, computed after the run, turns each step into -effective_lr * (m_hat or g)."""
    opt = build(name)
    gs = [2.0, -1.0, 0.5, 3.0, -0.25, 1.0, 0.75, -2.0]
    state, states, steps = opt.init(0.0), [], []
    for t, g in enumerate(gs):
        step, state = opt.update(g, state, t, ETA)
        states.append(state)
        steps.append(step)
    eff = opt.effective_lr(np.array(states, dtype=float).reshape(len(gs), -1), np.full(len(gs), ETA), np.arange(len(gs)))
    direction = np.array(gs)
    if "m" in opt.state_fields and name != "momentum":  # Adam and RAdam step along m_hat
        b1 = OPTIMIZERS[name].defaults()["beta1"]
        m = np.array(states)[:, 0]
        direction = m / (1 - b1 ** np.arange(1, len(gs) + 1))
    if name == "momentum":
        assert np.allclose(eff, ETA)
    else:
        assert np.allclose(np.array(steps), -eff * direction)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_is_pure_and_steps_floats_and_arrays_alike(name):
    opt = build(name)
    state = opt.init(0.0)
    step, new_state = opt.update(1.5, state, 0, ETA)
    assert state == opt.init(0.0)  # the old state is untouched
    array_step, _ = opt.update(np.array([1.5, 1.5]), tuple(np.array([s, s]) for s in state), 0, ETA)
    assert np.allclose(array_step, step)
    assert len(new_state) == len(opt.state_fields)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_states_its_rule_and_ranges(name):
    spec = OPTIMIZERS[name]
    assert spec.rule and spec.label
    for p in spec.params:
        assert p.low <= p.default <= p.high

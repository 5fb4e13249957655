"""Schedules: eta_t at known steps."""


import numpy as np
import pytest

from optimizers.schedules import SCHEDULES, schedule_values

LR = 0.1


def eta(name, t, steps=1000, **params):
    return schedule_values(name, LR, steps, params)[t]


def test_constant_is_lr_everywhere():
    assert np.all(schedule_values("constant", LR, 50) == LR)


def test_lecture_decay_is_eta_over_root_t_plus_one():
    assert eta("decay", 0) == LR and eta("decay", 3) == pytest.approx(LR / 2) and eta("decay", 99) == pytest.approx(LR / 10)


def test_exponential_and_step_decay():
    assert eta("exponential", 10, gamma=0.9) == pytest.approx(LR * 0.9**10)
    assert eta("step", 249, gamma=0.5, step_size=250) == LR
    assert eta("step", 250, gamma=0.5, step_size=250) == pytest.approx(LR / 2)
    assert eta("step", 999, gamma=0.5, step_size=250) == pytest.approx(LR / 8)


def test_cosine_halves_at_mid_run():
    assert eta("cosine", 0) == LR and eta("cosine", 500, steps=1000) == pytest.approx(LR / 2)


def test_warmup_rises_linearly_then_decays():
    values = schedule_values("warmup", LR, 1000, {"warmup": 100})
    assert values[0] == pytest.approx(LR / 100) and values[99] == pytest.approx(LR)
    assert np.all(np.diff(values[:100]) > 0) and np.all(np.diff(values[100:]) <= 0)
    assert values[-1] < LR / 1000


def test_transformer_formula_peaks_at_warmup_steps():
    d, w = 512, 4000
    values = schedule_values("transformer", 1.0, 10_000, {"d_model": d, "warmup": w})
    step = 1  # t = 0 is the paper's step_num = 1
    assert values[0] == pytest.approx(d**-0.5 * min(step**-0.5, step * w**-1.5))
    assert int(np.argmax(values)) == w - 1
    assert values[w - 1] == pytest.approx(d**-0.5 * w**-0.5)
    assert values[9999] == pytest.approx(d**-0.5 * 10_000**-0.5)


def test_resnet_warmup_is_a_tenth_then_full():
    assert eta("resnet", 399, warmup=400) == pytest.approx(LR / 10) and eta("resnet", 400, warmup=400) == LR


@pytest.mark.parametrize("name", SCHEDULES)
def test_every_schedule_is_positive_and_finite_over_a_long_run(name):
    values = schedule_values(name, LR, 100_000)
    assert values.shape == (100_000,) and np.all(np.isfinite(values)) and np.all(values >= 0)

"""Adagrad: the lecture's root-mean-square form and the textbook root-sum form."""

import numpy as np

from optimizers.base import EPS_LECTURE, Optimizer, OptimizerSpec, Param


def make_lecture(eps: float = 0.0) -> Optimizer:
    """sigma_i^t = sqrt(1/(t+1) sum_{k<=t} (g_i^k)^2), theta_i -= eta_t / sigma_i^t g_i^t.

    State (s, sigma): s is the running sum of squared gradients.
    """

    def init(theta):
        return (0.0, 0.0)

    def update(g, state, t, eta):
        s = state[0] + g * g
        sigma = (s / (t + 1)) ** 0.5
        return -eta * g / (sigma + eps), (s, sigma)

    def effective_lr(states, eta, t):
        return eta / (states[:, 1] + eps)

    return Optimizer(init, update, effective_lr, ("s", "sigma"))


def make_sum(eps: float = 1e-10) -> Optimizer:
    """sigma_i^t = sqrt(sum_{k<=t} (g_i^k)^2) + eps, theta_i -= eta_t / sigma_i^t g_i^t."""

    def init(theta):
        return (0.0,)

    def update(g, state, t, eta):
        s = state[0] + g * g
        return -eta * g / (s**0.5 + eps), (s,)

    def effective_lr(states, eta, t):
        return eta / (np.sqrt(states[:, 0]) + eps)

    return Optimizer(init, update, effective_lr, ("s",))


LECTURE_SPEC = OptimizerSpec(
    name="adagrad",
    label="Adagrad (lecture: root mean square)",
    make=make_lecture,
    params=(EPS_LECTURE,),
    rule="σ_i^t = √(1/(t+1) Σ_{k≤t} (g_i^k)²),  θ_i^{t+1} = θ_i^t − η^t/σ_i^t · g_i^t",
    note="The lecture divides by the root MEAN square; Duchi et al. and PyTorch by the root "
    "SUM (see adagrad-sum), whose steps shrink like 1/√t even on a constant slope.",
)

SUM_SPEC = OptimizerSpec(
    name="adagrad-sum",
    label="Adagrad (textbook: root sum, as PyTorch)",
    make=make_sum,
    params=(Param("eps", 1e-10, 0.0, 1.0, "eps added to the root"),),
    rule="σ_i^t = √(Σ_{k≤t} (g_i^k)²) + ε,  θ_i^{t+1} = θ_i^t − η^t/σ_i^t · g_i^t",
    note="Textbook form (Duchi et al. 2011; torch.optim.Adagrad with lr_decay=0).",
)

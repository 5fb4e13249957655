"""RMSProp: the lecture's form (sigma^0 = |g^0|) and PyTorch's (v starts at 0)."""

import numpy as np

from optimizers.base import EPS_LECTURE, Optimizer, OptimizerSpec, Param


def make_lecture(alpha: float = 0.9, eps: float = 0.0) -> Optimizer:
    """sigma_i^0 = |g_i^0|, sigma_i^t = sqrt(alpha (sigma_i^{t-1})^2 + (1-alpha)(g_i^t)^2).

    theta_i^{t+1} = theta_i^t - eta_t / sigma_i^t g_i^t.
    """
    w = 1.0 - alpha

    def init(theta):
        return (0.0,)

    def update(g, state, t, eta):
        if t == 0:
            sigma = abs(g)
        else:
            sigma = (alpha * state[0] * state[0] + w * g * g) ** 0.5
        return -eta * g / (sigma + eps), (sigma,)

    def effective_lr(states, eta, t):
        return eta / (states[:, 0] + eps)

    return Optimizer(init, update, effective_lr, ("sigma",))


def make_torch(alpha: float = 0.99, eps: float = 1e-8) -> Optimizer:
    """v^{-1} = 0, v^t = alpha v^{t-1} + (1-alpha)(g^t)^2, theta -= eta_t g^t / (sqrt(v^t) + eps)."""
    w = 1.0 - alpha

    def init(theta):
        return (0.0,)

    def update(g, state, t, eta):
        v = alpha * state[0] + w * g * g
        return -eta * g / (v**0.5 + eps), (v,)

    def effective_lr(states, eta, t):
        return eta / (np.sqrt(states[:, 0]) + eps)

    return Optimizer(init, update, effective_lr, ("v",))


LECTURE_SPEC = OptimizerSpec(
    name="rmsprop",
    label="RMSProp (lecture: σ⁰ = |g⁰|)",
    make=make_lecture,
    params=(Param("alpha", 0.9, 0.0, 0.9999, "α (weight of the past)"), EPS_LECTURE),
    rule="σ_i^0 = |g_i^0|,  σ_i^t = √(α(σ_i^{t−1})² + (1−α)(g_i^t)²),  "
    "θ_i^{t+1} = θ_i^t − η^t/σ_i^t · g_i^t",
    note="The lecture starts σ at |g⁰|; PyTorch starts v at 0 (see rmsprop-torch), so its "
    "first steps are 1/√(1−α) times larger.",
)

TORCH_SPEC = OptimizerSpec(
    name="rmsprop-torch",
    label="RMSProp (PyTorch: v⁰ = 0)",
    make=make_torch,
    params=(
        Param("alpha", 0.99, 0.0, 0.9999, "α (weight of the past)"),
        Param("eps", 1e-8, 0.0, 1.0, "ε added outside the root"),
    ),
    rule="v^t = α v^{t−1} + (1−α)(g^t)²,  θ^{t+1} = θ^t − η^t g^t/(√v^t + ε)",
    note="torch.optim.RMSprop defaults (centered=False, momentum=0).",
)

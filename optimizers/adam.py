"""Adam (Kingma & Ba 2015, Algorithm 1) and RAdam (Liu et al. 2019, Algorithm 2)."""

from functools import lru_cache

import numpy as np

from optimizers.base import HORIZON, Optimizer, OptimizerSpec, Param, bias_correction

# RAdam uses the adaptive step once the length of the approximated SMA exceeds
# this. The paper's Algorithm 2 says 4, where the rectification term r_t is
# ~0 and its variance estimate least reliable; the authors' code and
# torch.optim.RAdam use 5, which we follow (with their eps on sqrt(v)) so our paths match PyTorch's.
RADAM_RHO_THRESHOLD = 5.0


def make_adam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """m^t = b1 m + (1-b1) g, v^t = b2 v + (1-b2) g^2, theta -= eta_t m_hat / (sqrt(v_hat) + eps).

    m_hat = m / (1 - b1^(t+1)), v_hat = v / (1 - b2^(t+1)): Kingma & Ba count t from 1.
    """
    c1 = bias_correction(beta1)[1]
    c2_array, c2 = bias_correction(beta2)
    w1, w2 = 1.0 - beta1, 1.0 - beta2

    def init(theta):
        return (0.0, 0.0)

    def update(g, state, t, eta):
        m = beta1 * state[0] + w1 * g
        v = beta2 * state[1] + w2 * g * g
        return -eta * (m * c1[t]) / ((v * c2[t]) ** 0.5 + eps), (m, v)

    def effective_lr(states, eta, t):
        return eta / (np.sqrt(states[:, 1] * c2_array[t]) + eps)

    return Optimizer(init, update, effective_lr, ("m", "v"))


@lru_cache(maxsize=16)
def radam_rectification(beta2: float, n: int = HORIZON) -> tuple[np.ndarray, list[float]]:
    """r_t for t = 0..n-1 (0-based), and 0 where rho_t <= threshold (the un-rectified steps).

    rho_inf = 2/(1-b2) - 1, rho_t = rho_inf - 2 k b2^k / (1 - b2^k) with k = t+1,
    r_t = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t)).
    """
    k = np.arange(1.0, n + 1.0)
    rho_inf = 2.0 / (1.0 - beta2) - 1.0
    b2k = beta2**k
    rho = rho_inf - 2.0 * k * b2k / (1.0 - b2k)
    rectified = rho > RADAM_RHO_THRESHOLD
    r = np.zeros(n)
    p = rho[rectified]
    r[rectified] = np.sqrt((p - 4.0) * (p - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * p))
    return r, r.tolist()


def make_radam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam whose adaptive step is rectified by r_t, and plain momentum while rho_t <= 5.

    rho_t > 5: theta -= eta_t r_t m_hat sqrt(1 - b2^k) / (sqrt(v) + eps); else theta -= eta_t m_hat.
    The paper has no eps; it goes on the uncorrected sqrt(v) as in the authors' code and
    torch.optim.RAdam (Adam's own eps goes on sqrt(v_hat), as torch.optim.Adam's): with eps
    comparable to sqrt(v) the two differ, by 1.2% in the first rectified step on the valley.
    """
    c1 = bias_correction(beta1)[1]
    c2_array, c2 = bias_correction(beta2)
    w1, w2 = 1.0 - beta1, 1.0 - beta2
    r_array, rect = radam_rectification(beta2)

    def init(theta):
        return (0.0, 0.0)

    def update(g, state, t, eta):
        m = beta1 * state[0] + w1 * g
        v = beta2 * state[1] + w2 * g * g
        r = rect[t]
        if r:
            return -eta * r * (m * c1[t]) / (c2[t] ** 0.5 * (v**0.5 + eps)), (m, v)
        return -eta * (m * c1[t]), (m, v)

    def effective_lr(states, eta, t):
        r = r_array[t]
        with np.errstate(invalid="ignore", divide="ignore"):
            adaptive = eta * r / (np.sqrt(c2_array[t]) * (np.sqrt(states[:, 1]) + eps))
        return np.where(r > 0, adaptive, eta)

    return Optimizer(init, update, effective_lr, ("m", "v"))


_BETAS = (
    Param("beta1", 0.9, 0.0, 0.9999, "β₁ (momentum of the mean)"),
    Param("beta2", 0.999, 0.0, 0.99999, "β₂ (momentum of the square)"),
    Param("eps", 1e-8, 0.0, 1.0, "ε"),
)

ADAM_SPEC = OptimizerSpec(
    name="adam",
    label="Adam",
    make=make_adam,
    params=_BETAS,
    rule="m^t = β₁m^{t−1} + (1−β₁)g^t,  v^t = β₂v^{t−1} + (1−β₂)(g^t)²,  "
    "θ^{t+1} = θ^t − η^t m̂^t/(√v̂^t + ε)",
    note="Kingma & Ba's Algorithm 1 with bias correction, α → η^t (as torch.optim.Adam).",
)

RADAM_SPEC = OptimizerSpec(
    name="radam",
    label="RAdam",
    make=make_radam,
    params=_BETAS,
    rule="ρ^t = ρ∞ − 2tβ₂^t/(1−β₂^t);  ρ^t > 5: θ^{t+1} = θ^t − η^t r^t m̂^t √(1−β₂^t)/(√v^t + ε), "
    "else θ^{t+1} = θ^t − η^t m̂^t",
    note="Liu et al. 2019, with the threshold ρ^t > 5 and ε on √v of the authors' code and torch.optim.RAdam "
    "(the paper's text says 4 and has no ε).",
)

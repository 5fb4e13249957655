"""Gradient descent with momentum, in the lecture's "movement" form."""

from optimizers.base import Optimizer, OptimizerSpec, Param, constant_effective_lr


def make(momentum: float = 0.9) -> Optimizer:
    """m^0 = 0, m^{t+1} = lambda m^t - eta_t g^t, theta^{t+1} = theta^t + m^{t+1}.

    The state after update t holds m^{t+1}, the movement just taken.
    """
    lam = momentum

    def init(theta):
        return (0.0,)

    def update(g, state, t, eta):
        m = lam * state[0] - eta * g
        return m, (m,)

    return Optimizer(init, update, constant_effective_lr, ("m",))


SPEC = OptimizerSpec(
    name="momentum",
    label="Momentum",
    make=make,
    params=(Param("momentum", 0.9, 0.0, 0.999, "λ (momentum)"),),
    rule="m^{t+1} = λ m^t − η^t g^t,  θ^{t+1} = θ^t + m^{t+1}",
    note="PyTorch's SGD keeps v = μv + g and steps −ηv: the same path for a constant η.",
)

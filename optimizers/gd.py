"""Plain gradient descent."""

from optimizers.base import Optimizer, OptimizerSpec, constant_effective_lr


def make() -> Optimizer:
    """theta_i^{t+1} = theta_i^t - eta_t g_i^t."""

    def init(theta):
        return ()

    def update(g, state, t, eta):
        return -eta * g, state

    return Optimizer(init, update, constant_effective_lr, ())


SPEC = OptimizerSpec(
    name="gd",
    label="Gradient descent",
    make=make,
    params=(),
    rule="θ^{t+1} = θ^t − η^t g^t",
    note="",
)

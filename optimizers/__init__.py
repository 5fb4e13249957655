"""Registry of optimizers by their URL name."""

from optimizers import adagrad, adam, gd, momentum, rmsprop
from optimizers.base import Optimizer, OptimizerSpec, Param

OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        gd.SPEC,
        momentum.SPEC,
        adagrad.LECTURE_SPEC,
        rmsprop.LECTURE_SPEC,
        adam.ADAM_SPEC,
        adam.RADAM_SPEC,
        adagrad.SUM_SPEC,
        rmsprop.TORCH_SPEC,
    )
}


def build(name: str, params: dict[str, float] | None = None) -> Optimizer:
    """The optimizer ``name`` with ``params`` over its defaults (unknown keys ignored)."""
    spec = OPTIMIZERS[name]
    values = spec.defaults()
    values.update({k: v for k, v in (params or {}).items() if k in values})
    return spec.make(**values)


__all__ = ["OPTIMIZERS", "Optimizer", "OptimizerSpec", "Param", "build"]

"""A validated formula tree -> Python closures for its value and its exact gradient.

The tree is compiled once into nested closures (no code generation: the text
is never turned into code), one set per math namespace: ``math`` for the
simulation's scalar loop, where a NumPy call per float is ten times slower,
and NumPy for grids. The gradient is forward-mode differentiation: every
closure returns (value, d/dx, d/dy), which is exact like a symbolic
derivative, shares each subexpression between value and both partials, and
needs no simplifier to avoid the symbolic form's expression swell.
min/max take the derivative of the active branch (the first on a tie), abs
takes sign(u) (0 at 0): subgradients. Constant subtrees are folded to
float64 once.
"""

from __future__ import annotations

import math

import numpy as np

from surfaces.formula_parse import ALLOWED_CONSTANTS, Binary, Call, Const, Node, Num, Unary, Var


class _MathOps:
    sin, cos, tan, exp, log, sqrt, tanh, pow = (
        math.sin, math.cos, math.tan, math.exp, math.log, math.sqrt, math.tanh, math.pow,
    )
    abs = abs

    @staticmethod
    def sign(a):
        return 1.0 if a > 0 else (-1.0 if a < 0 else 0.0 * a)


class _NumpyOps:
    sin, cos, tan, exp, log, sqrt, tanh, pow, abs, sign = (
        np.sin, np.cos, np.tan, np.exp, np.log, np.sqrt, np.tanh, np.power, np.abs, np.sign,
    )


MATH, NUMPY = _MathOps, _NumpyOps


def depends(node: Node) -> bool:
    """Whether the node's value depends on x or y."""
    if isinstance(node, Var):
        return True
    if isinstance(node, Unary):
        return depends(node.arg)
    if isinstance(node, Binary):
        return depends(node.left) or depends(node.right)
    if isinstance(node, Call):
        return any(depends(a) for a in node.args)
    return False


def constant_value(node: Node) -> float | None:
    """The float64 value of a subtree without x and y (inf/nan where IEEE gives them), else None."""
    if depends(node):
        return None
    with np.errstate(all="ignore"):
        return float(value_function(node, NUMPY, fold=False)(0.0, 0.0))


def _folded(node: Node, fold: bool) -> float | None:
    if not fold or isinstance(node, Num):
        return node.value if isinstance(node, Num) else None
    return constant_value(node)


def value_function(node: Node, ops, fold: bool = True):
    """f(x, y) -> value, built from ``ops`` (MATH or NUMPY)."""
    c = _folded(node, fold)
    if c is not None or isinstance(node, Const):
        c = ALLOWED_CONSTANTS[node.name] if isinstance(node, Const) else c
        c = np.float64(c) if ops is NUMPY else c  # so that folding 1/0 gives inf, as on a grid
        return lambda x, y: c
    if isinstance(node, Var):
        return (lambda x, y: x) if node.name == "x" else (lambda x, y: y)
    if isinstance(node, Unary):
        f = value_function(node.arg, ops, fold)
        return (lambda x, y: -f(x, y)) if node.op == "-" else f
    if isinstance(node, Call):
        fs = [value_function(a, ops, fold) for a in node.args]
        if node.func in ("min", "max"):
            return _value_extreme(*fs, node.func == "min", ops)
        fn, (f,) = getattr(ops, node.func), fs
        return lambda x, y: fn(f(x, y))
    return _value_binary(node, ops, fold)


def _value_extreme(f, g, lower: bool, ops):
    """min/max; NaN in either argument gives NaN on both paths (as NumPy's minimum does)."""
    if ops is NUMPY:
        op = np.minimum if lower else np.maximum
        return lambda x, y: op(f(x, y), g(x, y))

    def extreme(x, y):
        a, b = f(x, y), g(x, y)
        if a != a or b != b:
            return math.nan
        return a if ((a <= b) if lower else (a >= b)) else b

    return extreme


def _value_binary(node: Binary, ops, fold: bool):
    f, g = value_function(node.left, ops, fold), value_function(node.right, ops, fold)
    op = node.op
    if op == "+":
        return lambda x, y: f(x, y) + g(x, y)
    if op == "-":
        return lambda x, y: f(x, y) - g(x, y)
    if op == "*":
        return lambda x, y: f(x, y) * g(x, y)
    if op == "/":
        return lambda x, y: f(x, y) / g(x, y)
    n, base = _folded(node.right, fold), _folded(node.left, fold)
    if n == 2.0:
        def square(x, y):
            a = f(x, y)
            return a * a

        return square
    if base == math.e:
        exp = ops.exp
        return lambda x, y: exp(g(x, y))
    pw = ops.pow
    return lambda x, y: pw(f(x, y), g(x, y))


def dual_function(node: Node, ops):
    """f(x, y) -> (value, d/dx, d/dy): forward-mode derivative, built from ``ops``."""
    c = _folded(node, True)
    if c is not None or isinstance(node, Const):
        c = ALLOWED_CONSTANTS[node.name] if isinstance(node, Const) else c
        return lambda x, y: (c, 0.0, 0.0)
    if isinstance(node, Var):
        return (lambda x, y: (x, 1.0, 0.0)) if node.name == "x" else (lambda x, y: (y, 0.0, 1.0))
    if isinstance(node, Unary):
        f = dual_function(node.arg, ops)
        if node.op == "+":
            return f

        def neg(x, y):
            a, ax, ay = f(x, y)
            return -a, -ax, -ay

        return neg
    if isinstance(node, Call):
        if node.func in ("min", "max"):
            return _dual_extreme(node, ops)
        return _dual_call(node.func, dual_function(node.args[0], ops), ops)
    return _dual_on_variable(node, ops) or (_dual_power(node, ops) if node.op == "^" else _dual_arithmetic(node, ops))


def _dual_on_variable(node: Binary, ops):
    """x op c, c op x, x * u and u * x without a call for the leaf x: the scalar loop's common
    shapes, where calling a leaf's closure costs as much as the arithmetic (see BENCHMARKS.md)."""
    left, right, op = node.left, node.right, node.op
    kl, kr = constant_value(left), constant_value(right)
    if isinstance(left, Var) and kr is not None:
        return _variable_op_constant(left.name == "x", op, kr, ops)
    if isinstance(right, Var) and kl is not None and op in "+-*":
        is_x, c = right.name == "x", kl
        dx, dy = {"+": (1.0, 0.0), "-": (-1.0, 0.0), "*": (c, 0.0)}[op]
        dx, dy = (dx, dy) if is_x else (dy, dx)
        if op == "+":
            return lambda x, y: (c + (x if is_x else y), dx, dy)
        if op == "-":
            return lambda x, y: (c - (x if is_x else y), dx, dy)
        return lambda x, y: (c * (x if is_x else y), dx, dy)
    if op == "*" and kl is None and kr is None and (isinstance(left, Var) or isinstance(right, Var)):
        var, other = (left, right) if isinstance(left, Var) else (right, left)
        g, is_x = dual_function(other, ops), var.name == "x"

        def times_variable(x, y):
            b, bx, by = g(x, y)
            if is_x:
                return x * b, b + x * bx, x * by
            return y * b, y * bx, b + y * by

        return times_variable
    return None


def _variable_op_constant(is_x: bool, op: str, c: float, ops):
    """x + c, x - c, x * c, x / c and x^c, with x either variable."""
    one = (1.0, 0.0) if is_x else (0.0, 1.0)
    if op in "+-":
        c = c if op == "+" else -c
        return lambda x, y: ((x if is_x else y) + c, *one)
    if op in "*/":
        with np.errstate(all="ignore"):
            d = c if op == "*" else float(np.float64(1.0) / c)
        dx, dy = (d, 0.0) if is_x else (0.0, d)
        if op == "*":
            return lambda x, y: ((x if is_x else y) * c, dx, dy)
        return lambda x, y: ((x if is_x else y) / c, dx, dy)
    if c == 2.0:
        def square(x, y):
            v = x if is_x else y
            return (v * v, 2.0 * v, 0.0) if is_x else (v * v, 0.0, 2.0 * v)

        return square
    if c == 0.0:
        return lambda x, y: (1.0, 0.0, 0.0)
    pw = ops.pow

    def power(x, y):
        v = x if is_x else y
        k = c * pw(v, c - 1.0)
        return (pw(v, c), k, 0.0) if is_x else (pw(v, c), 0.0, k)

    return power


def _dual_arithmetic(node: Binary, ops):
    f, g = dual_function(node.left, ops), dual_function(node.right, ops)
    op, kl, kr = node.op, constant_value(node.left), constant_value(node.right)
    if kl is not None or kr is not None:
        return _dual_with_constant(op, kl, kr, f, g)
    if op == "+":
        def add(x, y):
            a, ax, ay = f(x, y)
            b, bx, by = g(x, y)
            return a + b, ax + bx, ay + by

        return add
    if op == "-":
        def sub(x, y):
            a, ax, ay = f(x, y)
            b, bx, by = g(x, y)
            return a - b, ax - bx, ay - by

        return sub
    if op == "*":
        def mul(x, y):
            a, ax, ay = f(x, y)
            b, bx, by = g(x, y)
            return a * b, ax * b + a * bx, ay * b + a * by

        return mul

    def div(x, y):
        a, ax, ay = f(x, y)
        b, bx, by = g(x, y)
        v = a / b
        return v, (ax - v * bx) / b, (ay - v * by) / b

    return div


def _dual_with_constant(op: str, kl, kr, f, g):
    """c op u or u op c: the constant's zero derivative is never computed (the common case)."""
    if kr is not None:
        c = kr
        if op in "+-":
            c = c if op == "+" else -c

            def shift(x, y):
                a, ax, ay = f(x, y)
                return a + c, ax, ay

            return shift
        if op == "*":
            def scale(x, y):
                a, ax, ay = f(x, y)
                return a * c, ax * c, ay * c

            return scale

        def over(x, y):
            a, ax, ay = f(x, y)
            return a / c, ax / c, ay / c

        return over
    c = kl
    if op == "+":
        def shift_left(x, y):
            b, bx, by = g(x, y)
            return c + b, bx, by

        return shift_left
    if op == "*":
        def scale_left(x, y):
            b, bx, by = g(x, y)
            return c * b, c * bx, c * by

        return scale_left
    if op == "-":
        def minus(x, y):
            b, bx, by = g(x, y)
            return c - b, -bx, -by

        return minus

    def reciprocal(x, y):
        b, bx, by = g(x, y)
        v = c / b
        k = -v / b
        return v, k * bx, k * by

    return reciprocal


def _dual_power(node: Binary, ops):
    f, g = dual_function(node.left, ops), dual_function(node.right, ops)
    n, base, pw, log = constant_value(node.right), constant_value(node.left), ops.pow, ops.log
    if n is not None:  # u^n: the common case, no logarithm
        if n == 0.0:
            return lambda x, y: (1.0, 0.0, 0.0)
        if n == 2.0:
            def square(x, y):
                a, ax, ay = f(x, y)
                k = 2.0 * a
                return a * a, k * ax, k * ay

            return square

        def power(x, y):
            a, ax, ay = f(x, y)
            k = n * pw(a, n - 1.0)
            return pw(a, n), k * ax, k * ay

        return power
    if base is not None:  # c^u = exp(u ln c)
        exp, ln_c = ops.exp, (math.log(base) if base > 0 else math.nan)
        fn = (lambda b: exp(b)) if base == math.e else (lambda b: pw(base, b))

        def exponential(x, y):
            b, bx, by = g(x, y)
            v = fn(b)
            k = v * ln_c
            return v, k * bx, k * by

        return exponential

    def general(x, y):  # u^w, both varying: d = w u^(w-1) du + u^w ln(u) dw
        a, ax, ay = f(x, y)
        b, bx, by = g(x, y)
        v = pw(a, b)
        k, m = b * pw(a, b - 1.0), v * log(a)
        return v, k * ax + m * bx, k * ay + m * by

    return general


# d/du of each one-argument function, from u and the function's value v.
_DERIVATIVES = {
    "sin": lambda ops, a, v: ops.cos(a),
    "cos": lambda ops, a, v: -ops.sin(a),
    "tan": lambda ops, a, v: 1.0 + v * v,
    "exp": lambda ops, a, v: v,
    "log": lambda ops, a, v: 1.0 / a,
    "tanh": lambda ops, a, v: 1.0 - v * v,
    "abs": lambda ops, a, v: ops.sign(a),
}


def _dual_call(func: str, f, ops):
    fn = getattr(ops, func)
    if func == "sin":
        sin, cos = ops.sin, ops.cos

        def dual_sin(x, y):
            a, ax, ay = f(x, y)
            k = cos(a)
            return sin(a), k * ax, k * ay

        return dual_sin
    if func == "exp":
        def dual_exp(x, y):
            a, ax, ay = f(x, y)
            v = fn(a)
            return v, v * ax, v * ay

        return dual_exp
    if func == "sqrt":
        return _dual_sqrt(f, ops)
    slope = _DERIVATIVES[func]

    def dual(x, y):
        a, ax, ay = f(x, y)
        v = fn(a)
        k = slope(ops, a, v)
        return v, k * ax, k * ay

    return dual


def _dual_sqrt(f, ops):
    """sqrt(u) with d = du / (2 sqrt(u)); at u = 0 a direction u does not change in gets 0, not 0/0.

    So the tip of a cone (Ackley's minimum, sqrt(x^2 + y^2) at 0) is stationary, while sqrt(x) at
    x = 0 keeps its infinite slope.
    """
    if ops is MATH:
        inf = math.inf

        def dual_sqrt(x, y):
            a, ax, ay = f(x, y)
            v = math.sqrt(a)
            if v == 0.0:
                return v, (0.0 if ax == 0 else math.copysign(inf, ax)), (0.0 if ay == 0 else math.copysign(inf, ay))
            k = 0.5 / v
            return v, k * ax, k * ay

        return dual_sqrt

    def dual_sqrt_np(x, y):
        a, ax, ay = f(x, y)
        v = np.sqrt(a)
        k = 0.5 / v
        return v, np.where(ax == 0, 0.0, k * ax), np.where(ay == 0, 0.0, k * ay)

    return dual_sqrt_np


def _dual_extreme(node: Call, ops):
    f, g = (dual_function(a, ops) for a in node.args)
    lower = node.func == "min"
    if ops is MATH:
        nan3 = (math.nan, math.nan, math.nan)

        def extreme(x, y):
            u, v = f(x, y), g(x, y)
            a, b = u[0], v[0]
            if a != a or b != b:
                return nan3
            return u if ((a <= b) if lower else (a >= b)) else v

        return extreme
    op = np.minimum if lower else np.maximum

    def extreme_np(x, y):
        a, ax, ay = f(x, y)
        b, bx, by = g(x, y)
        first = (a <= b) if lower else (a >= b)
        return op(a, b), np.where(first, ax, bx), np.where(first, ay, by)

    return extreme_np

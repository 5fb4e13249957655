"""Typed formula text -> a small validated tree, never executed.

The text reaches the server from anyone, so it is only ever *read*: Python's
``ast.parse(mode="eval")`` gives the syntax tree and an allowlist walk turns
the few node kinds a formula needs into our own tree; every other node kind
is rejected with a sentence that says what and where. Nothing is eval'd,
exec'd or compiled to code. Limits, all checked before any work that grows
with them (CPython's own parser can fail on deep nesting, so parentheses are
counted on the text first):

- MAX_LENGTH characters, ASCII only (after a few typographic look-alikes);
- MAX_PAREN_DEPTH nested parentheses, MAX_DEPTH tree levels, MAX_NODES nodes;
- a constant exponent within +-MAX_EXPONENT, and no power of a power with a
  variable exponent inside an exponent (no 9**9**9, no x**(x**x); e^(-x^2) is fine).
"""

from __future__ import annotations

import ast
import math
import re
import warnings
from typing import NamedTuple, Union

MAX_LENGTH = 200
MAX_PAREN_DEPTH = 20
MAX_DEPTH = 80  # above the deepest sum MAX_NODES allows, so only runs of unary signs reach it
MAX_NODES = 150
MAX_EXPONENT = 100.0

ALLOWED_FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "min", "max")
ARITY = {name: 2 if name in ("min", "max") else 1 for name in ALLOWED_FUNCTIONS}
ALLOWED_CONSTANTS = {"pi": math.pi, "e": math.e}
VARIABLES = ("x", "y")
# Python warns about odd text such as "1and"; the formula reports what it refuses itself.
_FILENAME = "<formula>"
warnings.filterwarnings("ignore", category=SyntaxWarning, module=re.escape(_FILENAME))
# ASCII that no formula needs and whose Python meaning (comment, line continuation) would confuse.
_NEVER = "#\\$?!`"
# Characters copied from typeset formulas (this site's own labels use them), one for one.
_LOOK_ALIKES = str.maketrans({"\u2212": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*", "\u00f7": "/"})


class FormulaError(ValueError):
    """A formula the lab will not use: ``str(err)`` is one sentence, ``position`` the 0-based index, or None."""

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        super().__init__(message)
        self.position = position
        self.text = text

    @property
    def caret(self) -> str:
        """The text with a caret under the position (two lines), or "" when there is no position."""
        if self.position is None or self.text is None or len(self.text) > MAX_LENGTH:
            return ""
        return f"{self.text}\n{' ' * self.position}^"


class Num(NamedTuple):
    value: float
    pos: int


class Var(NamedTuple):
    name: str  # "x" or "y"
    pos: int


class Const(NamedTuple):
    name: str  # "pi" or "e"
    pos: int


class Unary(NamedTuple):
    op: str  # "-" or "+"
    arg: "Node"
    pos: int


class Binary(NamedTuple):
    op: str  # "+", "-", "*", "/", "^"
    left: "Node"
    right: "Node"
    pos: int


class Call(NamedTuple):
    func: str
    args: tuple
    pos: int


Node = Union[Num, Var, Const, Unary, Binary, Call]

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_BAD_BINARY = {
    ast.Mod: ("%", "the remainder operator '%'"),
    ast.FloorDiv: ("//", "floor division '//'"),
    ast.MatMult: ("@", "matrix multiplication '@'"),
    ast.LShift: ("<<", "the shift operator '<<'"),
    ast.RShift: (">>", "the shift operator '>>'"),
    ast.BitOr: ("|", "the bitwise operator '|'"),
    ast.BitAnd: ("&", "the bitwise operator '&'"),
}
# What each rejected node kind is, in words a teacher knows.
_REJECTED = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.NamedExpr: "assignments (':=')",
    ast.Starred: "starred arguments ('*')",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators (and, or)",
    ast.IfExp: "if-expressions",
    ast.Tuple: "tuples (a comma outside a function call)",
    ast.List: "lists ('[...]')",
    ast.Set: "sets ('{...}')",
    ast.Dict: "dictionaries ('{...}')",
    ast.Await: "await",
    ast.Slice: "slices",
}
_RULE = "a formula uses numbers, x, y, pi, e, + - * / ^ and the functions " + ", ".join(ALLOWED_FUNCTIONS)


def prepare(text) -> tuple[str, list[int]]:
    """Checked, parser-ready text and, per character of it, the index in the user's text."""
    if not isinstance(text, str):
        raise FormulaError(f"A formula must be text, not {type(text).__name__}.")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"The formula has {len(text):,} characters; at most {MAX_LENGTH} are allowed.")
    flat = text.translate(_LOOK_ALIKES)
    for i, ch in enumerate(flat):
        if not ch.isascii() or (not ch.isprintable() and not ch.isspace()) or ch in _NEVER:
            hint = " (write powers as x^2)" if ch in "\u00b2\u00b3" else ""
            raise FormulaError(
                f"The character {ch!r} at position {i} is not allowed in a formula{hint}.", i, text
            )
    if not flat.strip():
        raise FormulaError("The formula is empty: type f(x, y), for example x^2 + 3*y^2.", None, text)
    depth = 0
    for i, ch in enumerate(flat):
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_PAREN_DEPTH:
            raise FormulaError(
                f"Parentheses nest more than {MAX_PAREN_DEPTH} deep at position {i}.", i, text
            )
    # '^' is power; Python's '^' would bind looser than + and -, so it becomes '**' before parsing.
    out, origin = [], []
    lead = len(flat) - len(flat.lstrip())
    for i, ch in enumerate(flat[lead:], start=lead):
        piece = "**" if ch == "^" else (" " if ch.isspace() else ch)
        out.append(piece)
        origin.extend([i] * len(piece))
    origin.append(len(text))
    return "".join(out), origin


def parse_formula(text: str) -> Node:
    """The validated tree of ``text``; raises FormulaError saying what is wrong and where."""
    source, origin = prepare(text)
    try:
        tree = ast.parse(source, filename=_FILENAME, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(err, source, origin, text) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("The formula cannot be read.", None, text) from None
    count = sum(isinstance(node, ast.expr) for node in ast.walk(tree))  # breadth-first: no recursion
    if count > MAX_NODES:
        raise FormulaError(
            f"The formula has {count} numbers, names and operations; at most {MAX_NODES} are allowed.", None, text
        )
    return _Reader(source, origin, text).read(tree.body, 0)


def _syntax_error(err: SyntaxError, source: str, origin: list[int], text: str) -> FormulaError:
    at_end = not err.offset or err.offset > len(source) or (err.lineno or 1) > 1
    i = len(source) if at_end else err.offset - 1
    pos = origin[min(i, len(source))]
    msg = (err.msg or "").split(". Perhaps")[0]
    if at_end and msg == "invalid syntax":
        return FormulaError(f"The formula ends too early at position {pos}: something is missing.", pos, text)
    if "never closed" in msg:
        return FormulaError(f"The '(' at position {pos} is never closed.", pos, text)
    if msg.startswith("unmatched"):
        return FormulaError(f"The ')' at position {pos} has no matching '('.", pos, text)
    if "decimal literal" in msg:
        return FormulaError(
            f"A number runs into a name at position {pos}: write a product with '*', as in 2*x.", pos, text
        )
    near = text[pos : pos + 10].strip()
    near = f" (near '{near}')" if near else ""
    return FormulaError(f"The formula cannot be read at position {pos}{near}: {msg}.", pos, text)


class _Reader:
    """The allowlist walk: ast nodes -> our nodes, bounding the depth."""

    def __init__(self, source: str, origin: list[int], text: str):
        self.source, self.origin, self.text = source, origin, text

    def pos(self, col: int) -> int:
        return self.origin[min(col, len(self.origin) - 1)]

    def fail(self, message: str, col: int | None) -> FormulaError:
        pos = None if col is None else self.pos(col)
        where = "" if pos is None else f" at position {pos}"
        return FormulaError(message.replace("{at}", where), pos, self.text)

    def read(self, node: ast.AST, depth: int) -> Node:
        col = getattr(node, "col_offset", None)
        if depth > MAX_DEPTH:
            raise self.fail(f"The formula nests more than {MAX_DEPTH} operations deep{{at}}.", col)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                word = "'not'" if isinstance(node.op, ast.Not) else "'~'"
                raise self.fail(f"The operator {word}{{at}} is not allowed; {_RULE}.", col)
            op = "-" if isinstance(node.op, ast.USub) else "+"
            return Unary(op, self.read(node.operand, depth + 1), self.pos(col))
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):  # point at the dot, and name what was reached for
            dot = node.value.end_col_offset + self.source[node.value.end_col_offset :].index(".")
            raise self.fail(f"Attribute access ('.{node.attr}'){{at}} cannot be used: {_RULE}.", dot)
        what = _REJECTED.get(type(node), f"this kind of expression ({type(node).__name__})")
        raise self.fail(f"{what[0].upper()}{what[1:]}{{at}} cannot be used: {_RULE}.", col)

    def constant(self, node: ast.Constant) -> Num:
        value, col = node.value, node.col_offset
        if isinstance(value, bool) or value is None:
            raise self.fail(f"'{value}'{{at}} is not a number: {_RULE}.", col)
        if isinstance(value, complex):
            raise self.fail("Complex numbers{at} are not allowed: a formula is real-valued.", col)
        if isinstance(value, (str, bytes)):
            raise self.fail(f"Text in quotes{{at}} is not allowed: {_RULE}.", col)
        if not isinstance(value, (int, float)):
            raise self.fail(f"'{ast.get_source_segment(self.source, node)}'{{at}} is not a number: {_RULE}.", col)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail("The number{at} is too large for a 64-bit float.", col)
        return Num(number, self.pos(col))

    def name(self, node: ast.Name) -> Node:
        name, col = node.id, node.col_offset
        if name in VARIABLES:
            return Var(name, self.pos(col))
        if name in ALLOWED_CONSTANTS:
            return Const(name, self.pos(col))
        if name in ARITY:
            raise self.fail(f"'{name}'{{at}} is a function: write {name}(...).", col)
        raise self.fail(f"Unknown name '{name}'{{at}}: use the variables x and y or the constants pi and e.", col)

    def binary(self, node: ast.BinOp, depth: int) -> Binary:
        op_col = self.operator_col(node)
        if type(node.op) in _BAD_BINARY:
            raise self.fail(f"{_BAD_BINARY[type(node.op)][1].capitalize()}{{at}} is not allowed; {_RULE}.", op_col)
        left = self.read(node.left, depth + 1)
        right = self.read(node.right, depth + 1)
        op = _BINARY[type(node.op)]
        if op == "^":
            self.check_exponent(right, op_col)
        return Binary(op, left, right, self.pos(op_col))

    def operator_col(self, node: ast.BinOp) -> int:
        """Column of the operator symbol: the first non-space, non-')' character after the left operand."""
        start, stop = node.left.end_col_offset, node.right.col_offset
        gap = re.search(r"[^\s)]", self.source[start:stop])
        return start + gap.start() if gap else start

    def check_exponent(self, exponent: Node, col: int) -> None:
        from surfaces.formula_compile import constant_value  # no cycle: compile imports only the tree types

        value = constant_value(exponent)
        if value is not None:
            if not abs(value) <= MAX_EXPONENT:
                shown = f"{value:.6g}" if math.isfinite(value) else str(value)
                raise self.fail(f"The exponent{{at}} is {shown}; exponents are limited to +-{MAX_EXPONENT:g}.", col)
            return
        if _has_variable_power(exponent):
            raise self.fail(
                "A power with a variable exponent{at} sits inside another exponent (like x^(x^x)); "
                "towers of powers are not allowed.",
                col,
            )

    def call(self, node: ast.Call, depth: int) -> Call:
        func, col = node.func, node.col_offset
        if isinstance(func, ast.Call):
            raise self.fail("The result of a function call{at} cannot be called again.", func.end_col_offset)
        if not isinstance(func, ast.Name):
            return self.read(func, depth + 1)  # rejected with what it is (attribute, subscript, ...)
        name = func.id
        if name not in ARITY:
            if name in VARIABLES or name in ALLOWED_CONSTANTS:
                raise self.fail(f"'{name}'{{at}} is not a function: write a product with '*', as in {name}*(...).", col)
            raise self.fail(f"Unknown function '{name}'{{at}}: the functions are {', '.join(ALLOWED_FUNCTIONS)}.", col)
        if node.keywords:
            kw = node.keywords[0]
            raise self.fail(f"Keyword arguments{{at}} are not allowed: write {name}(...) with plain arguments.", kw.col_offset)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(f"Starred arguments ('*'){{at}} cannot be used: {_RULE}.", arg.col_offset)
        want = ARITY[name]
        if len(node.args) != want:
            args = "1 argument" if want == 1 else f"{want} arguments"
            raise self.fail(f"{name}(){{at}} takes {args}, not {len(node.args)}.", col)
        return Call(name, tuple(self.read(a, depth + 1) for a in node.args), self.pos(col))


def _has_variable_power(node: Node) -> bool:
    """Whether ``node`` holds a power whose exponent depends on x or y."""
    from surfaces.formula_compile import constant_value

    if isinstance(node, Binary):
        if node.op == "^" and constant_value(node.right) is None:
            return True
        return _has_variable_power(node.left) or _has_variable_power(node.right)
    if isinstance(node, Unary):
        return _has_variable_power(node.arg)
    if isinstance(node, Call):
        return any(_has_variable_power(a) for a in node.args)
    return False


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "u": 3, "^": 4}


def to_text(node: Node) -> str:
    """The canonical text of a tree: '^' for powers, spaces around + and -, no redundant parentheses.

    parse_formula(to_text(t)) == t up to positions, so the text is a faithful name for the surface.
    """
    return _text(node)[0]


def _number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _text(node: Node) -> tuple[str, int]:
    """(text, precedence of its top operator); atoms get 5."""
    if isinstance(node, Num):
        return _number(node.value), 5
    if isinstance(node, (Var, Const)):
        return node.name, 5
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_text(a)[0] for a in node.args)})", 5
    if isinstance(node, Unary):
        inner, p = _text(node.arg)
        return node.op + (inner if p >= _PRECEDENCE["u"] else f"({inner})"), _PRECEDENCE["u"]
    prec = _PRECEDENCE[node.op]
    left, lp = _text(node.left)
    right, rp = _text(node.right)
    if node.op == "^":  # right-associative; the base must be an atom or a call (-x^2 is -(x^2))
        left = left if lp > prec else f"({left})"
        right = right if rp >= prec else f"({right})"
        return f"{left}^{right}", prec
    left = left if lp >= prec else f"({left})"
    right = right if rp > prec else f"({right})"
    sep = " " if prec == 1 else ""
    return f"{left}{sep}{node.op}{sep}{right}", prec

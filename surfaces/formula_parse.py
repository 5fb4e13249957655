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

from surfaces.formula_messages import Ref, english

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
    """A formula the lab will not use: ``str(err)`` is one sentence (its "position N" counts from 1),
    ``position`` the 0-based index of the caret, or None.

    ``ref`` is the same sentence as a template id and parameters, for ``in_language``.
    """

    def __init__(self, message: str, position: int | None = None, text: str | None = None, ref: Ref | None = None):
        super().__init__(message)
        self.position = position
        self.text = text
        self.ref = ref

    def in_language(self, lang: str) -> str:
        """The sentence in "en" or "zh" (the caret is the same in both)."""
        return self.ref.text(lang) if self.ref is not None else str(self)

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
    ast.Mod: ("%", "mod"),
    ast.FloorDiv: ("//", "floordiv"),
    ast.MatMult: ("@", "matmult"),
    ast.LShift: ("<<", "lshift"),
    ast.RShift: (">>", "rshift"),
    ast.BitOr: ("|", "bitor"),
    ast.BitAnd: ("&", "bitand"),
}
# What each rejected node kind is, in words a teacher knows (templates formula.what.* in formula_messages).
_REJECTED = {
    ast.Attribute: "attribute",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.JoinedStr: "fstring",
    ast.FormattedValue: "fstring",
    ast.NamedExpr: "assignment",
    ast.Starred: "starred",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean",
    ast.IfExp: "ifexp",
    ast.Tuple: "tuple",
    ast.List: "list",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.Await: "await",
    ast.Slice: "slice",
}
_RULE = Ref("formula.rule", {})


def _error(key: str, position: int | None = None, text: str | None = None, **params) -> FormulaError:
    """A FormulaError whose English message and translatable form come from template ``key``.

    ``position`` is the 0-based index the caret goes under; a sentence's ``pos`` counts from 1, as people do."""
    return FormulaError(english(key, **params), position, text, Ref(key, params))


def prepare(text) -> tuple[str, list[int]]:
    """Checked, parser-ready text and, per character of it, the index in the user's text."""
    if not isinstance(text, str):
        raise _error("formula.not_text", type=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise _error("formula.too_long", count=f"{len(text):,}", limit=MAX_LENGTH)
    flat = text.translate(_LOOK_ALIKES)
    for i, ch in enumerate(flat):
        if not ch.isascii() or (not ch.isprintable() and not ch.isspace()) or ch in _NEVER:
            hint = Ref("formula.hint_power" if ch in "\u00b2\u00b3" else "formula.no_hint", {})
            raise _error("formula.bad_char", i, text, char=repr(ch), pos=i + 1, hint=hint)
    if not flat.strip():
        raise _error("formula.empty", None, text)
    depth = 0
    for i, ch in enumerate(flat):
        depth += (ch == "(") - (ch == ")")
        if depth > MAX_PAREN_DEPTH:
            raise _error("formula.paren_depth", i, text, limit=MAX_PAREN_DEPTH, pos=i + 1)
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
        raise _error("formula.unreadable", None, text) from None
    count = sum(isinstance(node, ast.expr) for node in ast.walk(tree))  # breadth-first: no recursion
    if count > MAX_NODES:
        raise _error("formula.too_many_nodes", None, text, count=count, limit=MAX_NODES)
    return _Reader(source, origin, text).read(tree.body, 0)


def _syntax_error(err: SyntaxError, source: str, origin: list[int], text: str) -> FormulaError:
    at_end = not err.offset or err.offset > len(source) or (err.lineno or 1) > 1
    i = len(source) if at_end else err.offset - 1
    pos = origin[min(i, len(source))]
    msg = (err.msg or "").split(". Perhaps")[0]
    if at_end and msg == "invalid syntax":
        return _error("formula.ends_early", pos, text, pos=pos + 1)
    if "never closed" in msg:
        return _error("formula.unclosed", pos, text, pos=pos + 1)
    if msg.startswith("unmatched"):
        return _error("formula.unmatched", pos, text, pos=pos + 1)
    if "decimal literal" in msg:
        return _error("formula.number_then_name", pos, text, pos=pos + 1)
    near = text[pos : pos + 10].strip()
    near = Ref("formula.near", {"text": near}) if near else Ref("formula.nowhere", {})
    return _error("formula.syntax", pos, text, pos=pos + 1, near=near, detail=msg)


class _Reader:
    """The allowlist walk: ast nodes -> our nodes, bounding the depth."""

    def __init__(self, source: str, origin: list[int], text: str):
        self.source, self.origin, self.text = source, origin, text

    def pos(self, col: int) -> int:
        return self.origin[min(col, len(self.origin) - 1)]

    def fail(self, key: str, col: int | None, **params) -> FormulaError:
        pos = None if col is None else self.pos(col)
        at = Ref("formula.nowhere", {}) if pos is None else Ref("formula.at", {"pos": pos + 1})
        return _error(key, pos, self.text, at=at, **params)

    def read(self, node: ast.AST, depth: int) -> Node:
        col = getattr(node, "col_offset", None)
        if depth > MAX_DEPTH:
            raise self.fail("formula.too_deep", col, limit=MAX_DEPTH)
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                word = "'not'" if isinstance(node.op, ast.Not) else "'~'"
                raise self.fail("formula.bad_unary", col, word=word, rule=_RULE)
            op = "-" if isinstance(node.op, ast.USub) else "+"
            return Unary(op, self.read(node.operand, depth + 1), self.pos(col))
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):  # point at the dot, and name what was reached for
            dot = node.value.end_col_offset + self.source[node.value.end_col_offset :].index(".")
            raise self.fail("formula.attribute", dot, attr=node.attr, rule=_RULE)
        kind = _REJECTED.get(type(node), "other")
        what = Ref(f"formula.what.{kind}", {"kind": type(node).__name__} if kind == "other" else {})
        raise self.fail("formula.rejected", col, what=what, rule=_RULE)

    def constant(self, node: ast.Constant) -> Num:
        value, col = node.value, node.col_offset
        if isinstance(value, bool) or value is None:
            raise self.fail("formula.not_a_number", col, value=str(value), rule=_RULE)
        if isinstance(value, complex):
            raise self.fail("formula.complex", col)
        if isinstance(value, (str, bytes)):
            raise self.fail("formula.quoted_text", col, rule=_RULE)
        if not isinstance(value, (int, float)):
            raise self.fail("formula.not_a_number", col, value=str(ast.get_source_segment(self.source, node)), rule=_RULE)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.fail("formula.number_too_large", col)
        return Num(number, self.pos(col))

    def name(self, node: ast.Name) -> Node:
        name, col = node.id, node.col_offset
        if name in VARIABLES:
            return Var(name, self.pos(col))
        if name in ALLOWED_CONSTANTS:
            return Const(name, self.pos(col))
        if name in ARITY:
            raise self.fail("formula.is_function", col, name=name)
        raise self.fail("formula.unknown_name", col, name=name)

    def binary(self, node: ast.BinOp, depth: int) -> Binary:
        op_col = self.operator_col(node)
        if type(node.op) in _BAD_BINARY:
            what = Ref(f"formula.what.{_BAD_BINARY[type(node.op)][1]}", {})
            raise self.fail("formula.bad_binary", op_col, what=what, rule=_RULE)
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
                raise self.fail("formula.exponent_limit", col, value=shown, limit=f"{MAX_EXPONENT:g}")
            return
        if _has_variable_power(exponent):
            raise self.fail("formula.power_tower", col)

    def call(self, node: ast.Call, depth: int) -> Call:
        func, col = node.func, node.col_offset
        if isinstance(func, ast.Call):
            raise self.fail("formula.call_of_call", func.end_col_offset)
        if not isinstance(func, ast.Name):
            return self.read(func, depth + 1)  # rejected with what it is (attribute, subscript, ...)
        name = func.id
        if name not in ARITY:
            if name in VARIABLES or name in ALLOWED_CONSTANTS:
                raise self.fail("formula.not_function", col, name=name)
            raise self.fail("formula.unknown_function", col, name=name, functions=", ".join(ALLOWED_FUNCTIONS))
        if node.keywords:
            kw = node.keywords[0]
            raise self.fail("formula.keywords", kw.col_offset, name=name)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail("formula.starred", arg.col_offset, rule=_RULE)
        want = ARITY[name]
        if len(node.args) != want:
            args = Ref("formula.one_argument", {}) if want == 1 else Ref("formula.n_arguments", {"n": want})
            raise self.fail("formula.arity", col, name=name, args=args, count=len(node.args))
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

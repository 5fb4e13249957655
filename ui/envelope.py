"""The shape of a callback request, checked before Dash reads it.

Dash trusts the body of ``/_dash-update-component``: a missing key, a wrong output id or a
value where a list belongs fails deep inside it as a KeyError or TypeError (a 500). Here the
body is compared with the callback it names, so a malformed request gets a 400 and one
sentence, and only bodies a browser could have sent reach the callbacks. Pure: no Flask.
"""

from __future__ import annotations

import json

MAX_DEPTH = 32  # nesting of the body; the page's deepest real value (a figure Patch) is far less
MAX_ITEMS = 200  # entries of one pattern-matching group (8 runs x a few fields is ~40)


class BadEnvelope(ValueError):
    """A request that no page of this app could have sent; its message is safe to show."""


def depth(value, limit: int = MAX_DEPTH) -> int:
    """The nesting depth of a JSON value, counted without recursion; stops just past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _spec_id(text: str):
    """A dependency's id as Dash lists it: a plain string, or a pattern id's JSON text."""
    if text.startswith("{"):
        return json.loads(text)
    return text


def _matches_pattern(given, pattern: dict) -> bool:
    """``given`` is a concrete id for ``pattern`` (wildcards match any string or number)."""
    if not isinstance(given, dict) or set(given) != set(pattern):
        return False
    for key, want in pattern.items():
        value = given[key]
        if isinstance(want, list):  # a wildcard: ["ALL"], ["MATCH"], ["ALLSMALLER"]
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                return False
        elif value != want:
            return False
    return True


def _check_item(item, spec: dict, with_value: bool) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("property"), str):
        raise BadEnvelope("Each input of a callback request is an object with an id and a property.")
    if item["property"].split("@")[0] != spec["property"]:  # an output's property carries its "@hash"
        raise BadEnvelope("A callback request names a property its callback does not use.")
    if with_value and "value" in item and not _is_json_value(item["value"]):
        raise BadEnvelope("A callback request holds a value that is not JSON.")


def _is_json_value(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, list, dict))


def _check_group(given, specs: list[dict], what: str, with_value: bool = True) -> None:
    """``given`` (inputs, state or outputs) lines up with the callback's ``specs``, one by one."""
    if not isinstance(given, list) or len(given) != len(specs):
        raise BadEnvelope(f"The {what} of a callback request do not match its callback.")
    for item, spec in zip(given, specs):
        wanted = _spec_id(spec["id"])
        if isinstance(wanted, dict):
            entries = item if isinstance(item, list) else [item]
            if len(entries) > MAX_ITEMS:
                raise BadEnvelope(f"A callback request has more than {MAX_ITEMS} entries in one group.")
            for entry in entries:
                _check_item(entry, spec, with_value)
                if not _matches_pattern(entry.get("id"), wanted):
                    raise BadEnvelope(f"The {what} of a callback request name a component the page lacks.")
        else:
            _check_item(item, spec, with_value)
            if item.get("id") != wanted:
                raise BadEnvelope(f"The {what} of a callback request name a component the page lacks.")


def _output_specs(output: str) -> list[dict]:
    """The outputs Dash encodes in a callback's key: ``..a.b...c.d..`` or ``a.b``; hashes dropped."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    specs = []
    for part in parts:
        part = part.split("@")[0]
        id_, _, prop = part.rpartition(".")
        specs.append({"id": id_, "property": prop})
    return specs


def check_body(body, callback_map: dict) -> None:
    """Raise BadEnvelope unless ``body`` is a request the page could send to one of its callbacks."""
    if not isinstance(body, dict):
        raise BadEnvelope("A callback request is a JSON object.")
    if depth(body) > MAX_DEPTH:
        raise BadEnvelope(f"A callback request is nested more than {MAX_DEPTH} levels deep.")
    output = body.get("output")
    entry = callback_map.get(output) if isinstance(output, str) else None
    if entry is None or "callback" not in entry:
        raise BadEnvelope("A callback request names no callback of this page.")
    _check_group(body.get("inputs"), entry["inputs"], "inputs")
    _check_group(body.get("state", []), entry["state"], "states")
    outputs = body.get("outputs")
    specs = _output_specs(output)
    if not entry.get("no_output"):
        if output.startswith(".."):
            _check_group(outputs, specs, "outputs", with_value=False)
        else:
            _check_group([outputs], specs, "outputs", with_value=False)
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadEnvelope("changedPropIds of a callback request is a list of names.")

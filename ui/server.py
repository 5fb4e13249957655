"""Safe serving: capped bodies, checked callback requests, errors without internals.

A classroom network is hostile by accident and sometimes on purpose. ``harden(app)`` makes
every error a client can provoke a short sentence with the right 4xx status, and never shows
a traceback, a file path or a component id; the full traceback goes to the server's log.
``callback_failed`` is Dash's ``on_error``: a callback that fails shows a message in the page
instead of leaving it half drawn.
"""

from __future__ import annotations

import ctypes
import ipaddress
import itertools

import logging

from dash import Dash, set_props
from dash.exceptions import DependencyException, InvalidResourceError
from flask import Response, request
from werkzeug.exceptions import HTTPException

from ui.envelope import BadEnvelope, check_body

MAX_BODY = 256 * 1024  # bytes; the page's largest real request (8 runs, every field) is ~10 KiB
CALLBACK_PATH = "_dash-update-component"
MESSAGE_TARGET = ("status", "children")  # where a failed callback's message appears
CALLBACK_MESSAGE = "That change could not be shown; the page keeps the last good scene. Try another value."
LOG = logging.getLogger("errorsurfacelab.server")

# One sentence per status a client can provoke; nothing from the request is echoed.
MESSAGES = {
    400: "The request could not be read.",
    404: "There is no such page.",
    405: "That method is not allowed here.",
    413: f"The request is too large (at most {MAX_BODY // 1024} KiB).",
    429: "Too many requests; wait a moment.",
}
SERVER_ERROR = "Something went wrong on the server; reload the page."
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a name or an address) is this computer: debug mode may serve it, and it gets files plain."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def callback_failed(error: Exception) -> None:
    """Dash's on_error: log the traceback, tell the page in one sentence, change nothing else."""
    LOG.error("callback failed", exc_info=error)
    try:
        set_props(MESSAGE_TARGET[0], {MESSAGE_TARGET[1]: CALLBACK_MESSAGE})
    except Exception:  # noqa: BLE001  (no callback context: nothing to tell)
        pass
    return None  # every output: no update


def _text(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return _text(500, SERVER_ERROR)
    return _text(status, MESSAGES.get(status, MESSAGES[400]))


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_error(error)
    LOG.error("request failed: %s %s", request.method, request.path, exc_info=error)
    return _text(500, SERVER_ERROR)


def _check_callback_request(app: Dash):
    """before_request: a callback request must be JSON shaped like one of the page's callbacks."""
    if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
        return None
    try:
        body = request.get_json(force=True)  # cached: Dash's own get_json reads this parse
    except HTTPException as error:
        return _http_error(error)  # 413 for a big body, 400 for bad JSON
    except (ValueError, RecursionError):  # json's errors for deep or odd text
        return _text(400, MESSAGES[400])
    try:
        check_body(body, app.callback_map)
    except BadEnvelope as error:
        return _text(400, str(error))
    return None


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def harden(app: Dash, max_body: int = MAX_BODY) -> Dash:
    """``app`` with its body cap, request check, error handlers and headers; returns it."""
    server = app.server
    server.config.update(MAX_CONTENT_LENGTH=max_body, PROPAGATE_EXCEPTIONS=False, TRAP_HTTP_EXCEPTIONS=False)
    server.before_request(lambda: _check_callback_request(app))
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _unexpected)
    for missing in (InvalidResourceError, DependencyException):  # Dash's own messages list its files
        server.register_error_handler(missing, lambda _: _text(404, MESSAGES[404]))
    server.after_request(_security_headers)
    server.teardown_request(_give_back_memory)
    return app


TRIM_EVERY = 20  # callback requests between two malloc_trim calls in a process


def _libc_trim():
    """glibc's malloc_trim, or None elsewhere (then nothing is trimmed)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _libc_trim()
_served = itertools.count(1)


def _give_back_memory(_error=None) -> None:
    """Hand freed heap pages back to the system now and then.

    A page's response is built from multi-megabyte arrays and JSON that are freed at once; glibc keeps
    the freed pages for reuse, so a worker's resident memory stays at the peak of its busiest moment
    (measured: 100 MB more after 400 scenes in one thread, 67 MB with a trim after each; the run cache
    itself is capped at LAB_SIM_CACHE_MB). A trim costs about a millisecond.
    """
    if _TRIM is not None and request.path == "/_dash-update-component" and next(_served) % TRIM_EVERY == 0:
        _TRIM(0)

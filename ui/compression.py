"""Scripts and style sheets compressed once, for a classroom's shared Wi-Fi.

A first visit downloads 2.7 MB of JavaScript (plotly.js's cartesian bundle alone is 1.5 MB); thirty
phones opening the teacher's link at once ask a school network for 80 MB. flask-compress (the Flask
extension Dash's own ``compress=True`` uses) sends them as zstd, brotli or gzip, whichever the browser
takes: 0.8 MB instead of 2.8. Only scripts and style sheets: their URLs carry a version or a modification
time, so each is compressed once per worker and kept; the callbacks' JSON stays plain, so no change pays
for compression on its way to the plot. And only for other machines: over loopback (``python app.py`` on
the teacher's own computer) the bytes cost nothing and decompressing cost a first load 60 ms here.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

from ui.server import is_loopback

STATIC_TYPES = ("application/javascript", "text/javascript", "text/css")


class CompressedFiles(dict):
    """flask-compress's cache interface (get, set) over a dict: a few dozen files, each under a fixed URL."""

    def set(self, key: str, value: bytes) -> None:
        self[key] = value


def over_network(address: str | None) -> bool:
    """Whether a request came from another machine (an unknown address counts as one)."""
    return not is_loopback(address)


def compress_static(server: Flask) -> Flask:
    server.config.update(
        COMPRESS_MIMETYPES=list(STATIC_TYPES),
        COMPRESS_CACHE_BACKEND=CompressedFiles,
        COMPRESS_CACHE_KEY=lambda req: req.full_path,  # flask-compress adds the algorithm to the key
        COMPRESS_REGISTER=False,  # registered below, for other machines only
    )
    compress = Compress(server)

    @server.after_request
    def compress_for_the_network(response: Response) -> Response:
        if not over_network(request.remote_addr):
            return response
        if response.is_streamed and response.mimetype in STATIC_TYPES:
            # /assets/ comes as a file stream, which flask-compress would compress anew each time (and
            # never as gzip): read into memory (the largest is 1.5 MB) so it is compressed once and cached
            response.direct_passthrough = False
            response.make_sequence()
        return compress.after_request(response)

    return server

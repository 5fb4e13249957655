"""ui.compression: scripts and style sheets compressed for other machines, never the callbacks' JSON."""

from __future__ import annotations

import gzip
import re

import pytest

import app as app_module
from tests.test_server import callback_body
from ui.compression import CompressedFiles, over_network

LAN = {"REMOTE_ADDR": "192.168.1.23"}  # a student's laptop on the classroom's network


@pytest.fixture(scope="module")
def client():
    return app_module.build_app().server.test_client()


def page_files(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'src="([^"]+\.js[^"]*)"', html) + re.findall(r'href="([^"]+\.css[^"]*)"', html)


def test_every_script_and_style_sheet_goes_to_the_network_gzipped_to_the_same_bytes(client):
    files = page_files(client)
    assert any("plotly-cartesian" in f for f in files) and any(f.endswith(".css") or ".css?" in f for f in files)
    plain_total = sent_total = 0
    for url in files:
        plain = client.get(url).get_data()
        sent = client.get(url, headers={"Accept-Encoding": "gzip"}, environ_base=LAN)
        assert sent.headers["Content-Encoding"] == "gzip" and sent.headers["Vary"] == "Accept-Encoding", url
        assert gzip.decompress(sent.get_data()) == plain, url
        again = client.get(url, headers={"Accept-Encoding": "gzip"}, environ_base=LAN)
        assert again.get_data() == sent.get_data()  # (from the cache: compressed once)
        plain_total += len(plain)
        sent_total += len(sent.get_data())
    assert sent_total < 0.4 * plain_total  # 2.8 MB of scripts as about 0.8 MB
    browser = client.get(files[0], headers={"Accept-Encoding": "gzip, deflate, br, zstd"}, environ_base=LAN)
    assert browser.headers["Content-Encoding"] in ("zstd", "br")  # what Chromium asks for, where installed


def test_the_teachers_own_computer_gets_them_plain(client):
    for address in ("127.0.0.1", "::1"):
        response = client.get(page_files(client)[0], headers={"Accept-Encoding": "gzip, br, zstd"},
                              environ_base={"REMOTE_ADDR": address})
        assert "Content-Encoding" not in response.headers


def test_callback_json_is_never_compressed(client):
    response = client.post("/_dash-update-component", json=callback_body(), headers={"Accept-Encoding": "gzip"},
                           environ_base=LAN)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert "surface-graph" in response.get_json()["response"]


@pytest.mark.parametrize("address, remote", [("127.0.0.1", False), ("::1", False), ("127.3.4.5", False),
                                             ("10.0.0.7", True), ("fe80::1", True), (None, True), ("??", True)])
def test_over_network_is_any_address_but_loopback(address, remote):
    assert over_network(address) is remote


def test_the_cache_keeps_what_flask_compress_sets():
    cache = CompressedFiles()
    cache.set("gzip;/assets/a.js?m=1", b"x")
    assert cache.get("gzip;/assets/a.js?m=1") == b"x" and cache.get("br;/assets/a.js?m=1") is None

"""The server's safe defaults: flags over environment, capped bodies, errors without internals."""

from __future__ import annotations

import json

import pytest

import app as app_module
from lab.query import from_query
from lab.sim_cache import RunCache
from lab.simulate import simulate
from ui import server


@pytest.fixture(scope="module")
def client():
    return app_module.build_app().server.test_client()


def callback_body(query="?lesson=adam"):
    """What the browser posts for the link -> page callback (show_scene, fed by the nav store),
    built from the app's own list of callbacks as the page reads it from /_dash-dependencies."""
    deps = app_module.build_app().server.test_client().get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if [i["id"] for i in d["inputs"]] == ["nav"])
    outputs = [o.rpartition(".") for o in dep["output"].strip(".").split("...")]
    defaults = {"view-mode": "2d"}
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, _, p in outputs],
        "inputs": [{"id": "nav", "property": "data", "value": query}],
        "state": [{"id": st["id"], "property": st["property"], "value": defaults.get(st["id"])} for st in dep["state"]],
        "changedPropIds": ["nav.data"],
    }


def test_a_real_callback_request_draws_the_scene(client):
    response = client.post("/_dash-update-component", json=callback_body())
    assert response.status_code == 200
    assert "surface-graph" in response.get_json()["response"]


def test_the_browsers_output_property_with_its_hash_is_accepted(client):
    """As Chromium sends it: a duplicate output's property is 'search@<hash>' (here: the lesson picker)."""
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if [i["id"] for i in d["inputs"]] == ["lesson"])
    assert "url.search@" in dep["output"]
    outputs = [o.rpartition(".") for o in dep["output"].strip(".").split("...")]
    body = {"output": dep["output"], "outputs": [{"id": i, "property": p} for i, _, p in outputs],
            "inputs": [{"id": "lesson", "property": "value", "value": "adam"}], "changedPropIds": ["lesson.value"],
            "state": [{"id": st["id"], "property": st["property"], "value": "2d" if st["id"] == "view-mode" else None}
                      for st in dep["state"]]}
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200 and "?lesson=adam" in response.data.decode()


def test_a_body_over_the_cap_is_refused_with_413_and_one_sentence(client):
    response = client.post("/_dash-update-component", data=b"x" * (server.MAX_BODY + 1),
                           content_type="application/json")
    assert response.status_code == 413
    assert response.data.decode() == server.MESSAGES[413] + "\n"


@pytest.mark.parametrize("text, sentence", [
    ("[" * 100_000, server.MESSAGES[400]),  # json's RecursionError
    ("{", server.MESSAGES[400]),
    ('{"a": 1' + "0" * 5000 + "}", server.MESSAGES[400]),  # past Python's 4,300-digit limit
    ("null", "A callback request is a JSON object."),
    ('{"output": "status.children"}', "A callback request names no callback of this page."),
    ('{"output": "copy-link.content"}', "A callback request names no callback of this page."),  # clientside
])
def test_unreadable_or_unknown_requests_get_400(client, text, sentence):
    response = client.post("/_dash-update-component", data=text, content_type="application/json")
    assert (response.status_code, response.data.decode().strip()) == (400, sentence)


@pytest.mark.parametrize("change, sentence", [
    (lambda b: b.pop("inputs"), "The inputs of a callback request do not match its callback."),
    (lambda b: b["inputs"][0].update(id="nope"), "The inputs of a callback request name a component the page lacks."),
    (lambda b: b["inputs"][0].update(property="value"), "A callback request names a property its callback does not use."),
    (lambda b: b["state"].pop(), "The states of a callback request do not match its callback."),
    (lambda b: b["outputs"].pop(), "The outputs of a callback request do not match its callback."),
    (lambda b: b.update(changedPropIds="url.search"), "changedPropIds of a callback request is a list of names."),
    (lambda b: b["inputs"][0].update(value=[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]),
     "A callback request is nested more than 32 levels deep."),
])
def test_a_broken_envelope_gets_400_naming_what_is_wrong(client, change, sentence):
    body = callback_body()
    change(body)
    response = client.post("/_dash-update-component", json=body)
    assert (response.status_code, response.data.decode().strip()) == (400, sentence)


def test_a_failing_callback_answers_200_with_a_message_in_the_page(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("/secret/path.py surface-graph")

    monkeypatch.setattr("ui.callbacks.simulate", broken)
    body = callback_body("?lesson=warmup")
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert response.get_json()["sideUpdate"] == {"status": {"children": server.CALLBACK_MESSAGE}}
    assert b"Traceback" not in response.data and b".py" not in response.data


@pytest.mark.parametrize("path, status", [
    ("/_dash-component-suites/dash/nope.js", 404), ("/_dash-component-suites/os/x.js", 404),
    ("/assets/../app.py", 404), ("/assets/nope.css", 404),
])
def test_missing_files_say_404_without_naming_files(client, path, status):
    response = client.get(path)
    assert (response.status_code, response.data.decode()) == (status, server.MESSAGES[404] + "\n")


def test_wrong_method_is_405_and_every_answer_carries_the_safe_headers(client):
    response = client.delete("/")
    assert response.status_code == 405
    for name, value in server.SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


def test_an_unexpected_error_is_500_with_one_sentence_and_no_internals():
    dash_app = app_module.build_app.__wrapped__()  # a fresh app, still unserved, to add a failing route to

    @dash_app.server.route("/boom")
    def boom():
        raise RuntimeError("/secret/path.py component-id")

    response = dash_app.server.test_client().get("/boom")
    assert (response.status_code, response.data.decode()) == (500, server.SERVER_ERROR + "\n")


# ------------------------------------------------------------------ flags


def test_defaults_are_loopback_without_debug_whatever_the_environment(monkeypatch):
    for name, value in {"HOST": "0.0.0.0", "PORT": "80", "DASH_DEBUG": "true", "FLASK_DEBUG": "1"}.items():
        monkeypatch.setenv(name, value)
    args = app_module.parse_args([])
    assert (args.host, args.port, args.debug, args.classroom) == ("127.0.0.1", 8050, False, False)


def test_classroom_serves_the_lan_and_debug_refuses_a_shared_network(capsys):
    assert app_module.parse_args(["--classroom"]).host == "0.0.0.0"
    assert app_module.parse_args(["--debug", "--host", "::1"]).debug
    for argv in (["--debug", "--host", "0.0.0.0"], ["--debug", "--classroom"], ["--port", "0"]):
        with pytest.raises(SystemExit) as stop:
            app_module.parse_args(argv)
        assert stop.value.code == 2
    assert "--debug only serves this computer" in capsys.readouterr().err


def test_the_classroom_command_runs_gunicorn_with_the_committed_config():
    command = app_module.classroom_command(app_module.parse_args(["--classroom", "--port", "9000"]))
    assert command[1:3] == ["-m", "gunicorn"] and command[-1] == "0.0.0.0:9000"
    assert command[command.index("-c") + 1].endswith("gunicorn.conf.py")


# ------------------------------------------------------------------ simulation cache and budget


def test_the_run_cache_is_bounded_by_bytes_and_evicts_the_oldest():
    cache = RunCache(max_bytes=100)
    for key in "abc":
        cache.get(key, lambda: key * 40, len)
    assert cache.bytes == 80 and len(cache) == 2  # 'a' evicted
    calls = []
    assert cache.get("c", lambda: calls.append(1), len) == "c" * 40 and not calls
    cache.get("big", lambda: "x" * 101, len)
    assert "big" not in cache._items  # larger than the whole cache: not kept


def test_pinned_values_stay_outside_the_bound_and_are_never_evicted():
    cache = RunCache(max_bytes=100)
    cache.get("lesson", lambda: "L" * 60, len)
    cache.pin("lesson", "L" * 60)
    assert cache.bytes == 0 and cache.pinned == 1  # moved out of the bounded part
    for key in "abcd":
        cache.get(key, lambda: key * 40, len)
    calls = []
    assert cache.get("lesson", lambda: calls.append(1), len) == "L" * 60 and not calls
    cache.clear()
    assert cache.pinned == 0 and cache.get("lesson", lambda: "new", len) == "new"


def test_the_classroom_server_pins_every_lessons_runs_before_it_forks(monkeypatch):
    from lab import simulate as simulate_module
    from lessons import LESSONS

    simulate.cache_clear()
    try:
        app_module.classroom_server()
        cache = simulate_module._RUNS
        monkeypatch.setattr(cache, "max_bytes", 2**20)  # 1 MB: no lesson run would survive the loop below
        distinct = {simulate_module._run_args(l.scene, r, simulate_module.far_bounds(l.scene))
                    for l in LESSONS.values() for r in l.scene.runs}
        assert cache.pinned == len(distinct)
        for i in range(10):  # 10 x 10,000-step runs: 6 MB, far more than the bound
            simulate(from_query(f"?steps=10000&run=adam:lr={0.001 * (i + 1):.3g}").scene)
        misses = cache.misses
        for lesson in LESSONS.values():
            assert all(t.status in ("ok", "diverged", "undefined") for t in simulate(lesson.scene))
        assert cache.misses == misses  # every lesson run still served from the pinned part
    finally:
        simulate.cache_clear()


def test_threads_asking_for_the_same_run_compute_it_once():
    import threading
    import time

    cache, calls = RunCache(max_bytes=10**6), []

    def compute():
        calls.append(1)
        time.sleep(0.2)
        return "value"

    threads = [threading.Thread(target=cache.get, args=("k", compute, len)) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1


def test_long_uncached_runs_take_one_lane_and_small_scenes_pass_them(monkeypatch):
    import threading

    from lab import simulate as simulate_module

    running, most, go = [0], [0], threading.Event()
    real = simulate_module.simulate_run

    def held_open(*args, **kw):  # a long run holds the lane until the test says go
        if args[3] > simulate_module.LONG_RUN:
            running[0] += 1
            most[0] = max(most[0], running[0])
            go.wait(5)
            running[0] -= 1
        return real(args[0], args[1], args[2], min(args[3], 10), *args[4:], **kw)

    monkeypatch.setattr(simulate_module, "simulate_run", held_open)
    simulate.cache_clear()
    longs = [threading.Thread(target=simulate, args=(from_query(f"?steps=100000&run=adam:lr=0.00{i + 1}").scene,))
             for i in range(3)]
    for t in longs:
        t.start()
    while not running[0]:
        threading.Event().wait(0.01)
    simulate(from_query("?steps=1000&run=gd:lr=0.01").scene)  # a small scene does not queue behind them
    passed = not go.is_set() and running[0] == 1  # it finished while a long run still held the lane
    go.set()
    for t in longs:
        t.join()
    assert passed and most[0] == 1  # and never two long runs at once in one process
    simulate.cache_clear()


def test_a_run_past_the_time_budget_stops_says_so_and_is_not_cached(monkeypatch):
    from lab.query import from_query

    monkeypatch.setenv("LAB_SIM_BUDGET_S", "0.000001")
    scene = from_query("?steps=100000&run=adam").scene
    simulate.cache_clear()
    (traj,) = simulate(scene)
    assert traj.status == "stopped" and traj.message.startswith("stopped at step 4,096: the time budget ran out")
    assert len(traj.x) == 4097 and len(traj.grad_x) == 4096
    monkeypatch.setenv("LAB_SIM_BUDGET_S", "0")
    (again,) = simulate(scene)
    assert again.status == "ok" and len(again.x) == 100_001


def test_a_worker_hands_freed_memory_back_every_few_callback_requests(client, monkeypatch):
    calls = []
    monkeypatch.setattr(server, "_TRIM", calls.append)
    for _ in range(2 * server.TRIM_EVERY):
        client.post("/_dash-update-component", json=callback_body("?lesson=adam"))
    client.get("/_dash-layout")  # other requests do not count
    assert calls == [0, 0]

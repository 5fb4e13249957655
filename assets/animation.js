/* Error Surface Lab: the animation player. Behaviour: see ui/animation.py.
 *
 * Data comes from the anim-data store (lab/animation.py) through the clientside
 * callbacks of ui/animation.py. The player moves only the marker traces of
 * #surface-graph (found by uid, and only if their meta.scene is the data's
 * scene) and the cursor traces of #panels-graph (meta.role, same check), draws
 * each run's trail in an SVG group of its own (g.esl-trails: drawTrails; no
 * trace in the figure), and writes the scrubber and the step readout. Nothing
 * goes to the server.
 *
 * Cost, measured in headless Chromium on 2 cores: Plotly.restyle of a marker's
 * x and y replots the whole figure, contour included (65-85 ms); Plotly.animate
 * without redraw re-runs supplyDefaults and the contour's calc (about 15 ms) and,
 * given a subset of traces, erases the others. So while playing, a frame writes
 * the new x, y into gd.data and moves the trace's own SVG node (a transform, or
 * a path's d) through the axis' c2p: well under a millisecond for all of it.
 * When the player stops, one Plotly.restyle per graph brings Plotly's own state
 * (hover, zoom redraws) in line. Without those Plotly internals (gd._fullLayout
 * axes, the trace's SVG group) a frame falls back to Plotly.restyle.
 */
(function () {
  "use strict";

  var SECONDS_AT_1X = 10; // 1x plays any scene in 10 s: 600 frames at 60 fps, 21 frames at 2 fps
  var TRAIL_FRAMES = 8; // a trail covers at most this many frames (a tab left in the background skips more)
  // from: the frame the trails start at (the previous frame shown, k - 1 for a step or a drag)
  var state = { data: null, frame: 0, from: 0, playing: false, speed: 1, t0: 0, f0: 0, raf: 0, busy: false, settleTimer: 0 };
  var stats = { shown: 0, ms: 0, worstMs: 0, fallbacks: 0 }; // read by the browser tests
  var hooked = new WeakSet();

  function plotOf(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    var gd = el.classList.contains("js-plotly-plot") ? el : el.querySelector(".js-plotly-plot");
    return gd && gd.data && gd._fullLayout ? gd : null;
  }

  function last() {
    return state.data ? state.data.steps.length - 1 : 0;
  }

  function fmt(n) {
    return Number(n).toLocaleString("en-US");
  }

  function ours(trace) {
    return trace && trace.meta && trace.meta.scene === state.data.scene;
  }

  // Where frame k puts each of our traces: [{i, x, y}] for one graph (y omitted: unchanged).
  function markerTargets(gd, k) {
    var runs = {}, out = [];
    state.data.runs.forEach(function (r) { runs[r.uid] = r; });
    gd.data.forEach(function (t, i) {
      if (ours(t) && Object.prototype.hasOwnProperty.call(runs, t.uid)) {
        out.push({ i: i, x: [runs[t.uid].x[k]], y: [runs[t.uid].y[k]] });
      }
    });
    return out;
  }

  // The trails: each run's steps since the previous frame shown, drawn by the player itself in an
  // SVG group it owns (no trace in the figure: every trace slows each Plotly redraw of the page).
  // A frame shows every n-th step: a run that flips between two walls each step would seem parked
  // on one wall; its trail zigzags between them. The group sits in the subplot's scatter layer, so
  // it shares the paths' pixel frame (the subplot's translate) and the axes' clip-path, just before
  // the first marker's group: over the paths, under the markers. Plotly may drop it on a redraw;
  // plotly_afterplot (reapply) draws it again.
  var SVG_NS = "http://www.w3.org/2000/svg";
  var TRAIL_EDGE = "rgba(0,0,0,0.55)"; // the trail lies on its own path: only a dark edge tells it apart

  function scatterLayer(gd) {
    var sp = gd._fullLayout && gd._fullLayout._plots && gd._fullLayout._plots.xy;
    var plot = sp && sp.plot && sp.plot.node && sp.plot.node();
    return plot ? plot.querySelector(".scatterlayer") : null;
  }

  function clearTrails(gd) {
    var old = gd && gd.querySelectorAll("g.esl-trails");
    for (var n = 0; old && n < old.length; n++) old[n].parentNode.removeChild(old[n]);
  }

  // Pixels within the subplot from data: null or a point off the axes' scale breaks the line.
  function pathData(xa, ya, xs, ys) {
    var d = "", pen = "M";
    for (var j = 0; j < xs.length; j++) {
      var px = xs[j] === null ? NaN : xa.c2p(xs[j]);
      var py = ys[j] === null ? NaN : ya.c2p(ys[j]);
      if (!isFinite(px) || !isFinite(py)) {
        pen = "M";
        continue;
      }
      d += pen + Math.round(px * 100) / 100 + "," + Math.round(py * 100) / 100;
      pen = "L";
    }
    return d;
  }

  function stroke(path, color, width) {
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", color);
    path.setAttribute("stroke-width", String(width));
    path.setAttribute("stroke-linejoin", "round");
    path.setAttribute("stroke-linecap", "round");
  }

  // Draw every run's trail at frame k since frame `from`; at the last frame (the still figure's
  // state: a scene just loaded, the end of play) nothing. A run is drawn only if its marker is of
  // the data's scene and its path is shown (not hidden from the legend).
  function drawTrails(gd, k, from) {
    if (!state.data || k >= last() || from >= k) return clearTrails(gd);
    var layer = scatterLayer(gd);
    if (!layer) return clearTrails(gd);
    var byUid = {};
    gd.data.forEach(function (t, i) { if (t.uid) byUid[t.uid] = i; });
    var runs = state.data.runs, before = null, lines = [];
    runs.forEach(function (r, i) {
      var m = byUid[r.uid], p = byUid[r.path];
      if (m === undefined || p === undefined || !ours(gd.data[m])) return;
      var marker = traceNode(gd, m);
      if (marker && (!before || marker.compareDocumentPosition(before) & Node.DOCUMENT_POSITION_FOLLOWING)) before = marker;
      var full = gd._fullData && gd._fullData[p];
      if (!full || full.visible !== true) return;
      var xa = axis(gd, full.xaxis || "x"), ya = axis(gd, full.yaxis || "y");
      if (!xa || !ya || !xa.c2p || !ya.c2p) return;
      var points = trail(full, r, k, from, state.data.steps);
      var w = (full.line && full.line.width) || 2;
      lines.push({ run: i, d: pathData(xa, ya, points.x, points.y), color: (full.line && full.line.color) || "#000", w: 1.5 * w });
    });
    if (!lines.length || !before || before.parentNode !== layer) return clearTrails(gd);
    var g = layer.querySelector(":scope > g.esl-trails");
    if (!g) {
      g = document.createElementNS(SVG_NS, "g");
      g.setAttribute("class", "esl-trails");
      g.setAttribute("pointer-events", "none");
    }
    if (g.parentNode !== layer || g.nextSibling !== before) layer.insertBefore(g, before);
    while (g.childNodes.length > 2 * lines.length) g.removeChild(g.lastChild);
    lines.forEach(function (line, n) {
      [[TRAIL_EDGE, line.w + 3, "edge"], [line.color, line.w, "core"]].forEach(function (look, e) {
        var path = g.childNodes[2 * n + e];
        if (!path) path = g.appendChild(document.createElementNS(SVG_NS, "path"));
        if (path.getAttribute("data-run") !== String(line.run) || path.getAttribute("stroke") !== look[0]) {
          path.setAttribute("class", "esl-trail-" + look[2]);
          path.setAttribute("data-run", String(line.run));
          stroke(path, look[0], look[1]);
        } else if (path.getAttribute("stroke-width") !== String(look[1])) {
          path.setAttribute("stroke-width", String(look[1]));
        }
        path.setAttribute("d", line.d || "M0,0");
      });
    });
  }

  // Where run r stood at frame `from`, every point of its drawn path (customdata: the update index)
  // after that step and before frame k's, and where it stands at k. A zoomed view's path has gaps
  // (customdata -1, x NaN) where the run leaves the view: null there breaks the trail as it does the path.
  function trail(path, r, k, from, steps) {
    var per = r.per || 1, xs = [r.x[from]], ys = [r.y[from]], gap = false;
    var lo = Math.round(steps[from] * per), hi = Math.min(Math.round(steps[k] * per), r.last);
    var cd = path && path.customdata, px = path && path.x, py = path && path.y;
    if (cd && px && py && hi > lo + 1) {
      for (var j = 0; j < cd.length; j++) {
        var c = cd[j], ok = c >= 0 && isFinite(px[j]) && isFinite(py[j]);
        if (!ok) {
          gap = true;
          continue;
        }
        if (c >= hi) break;
        if (c > lo) {
          if (gap) {
            xs.push(null);
            ys.push(null);
          }
          xs.push(px[j]);
          ys.push(py[j]);
        }
        gap = false;
      }
    }
    if (gap) {
      xs.push(null);
      ys.push(null);
    }
    xs.push(r.x[k]);
    ys.push(r.y[k]);
    return { x: xs, y: ys };
  }

  function cursorTargets(gd, k) {
    var s = state.data.steps[k], out = [];
    gd.data.forEach(function (t, i) {
      if (ours(t) && t.meta.role === state.data.cursor) out.push({ i: i, x: [s, s] });
    });
    return out;
  }

  function same(a, b) {
    if (!a || !b || a.length !== b.length) return false;
    for (var j = 0; j < a.length; j++) if (a[j] !== b[j]) return false;
    return true;
  }

  function axis(gd, id) {
    return gd._fullLayout[id.replace(/^([xy])/, "$1axis")];
  }

  // The SVG group Plotly drew for trace i (its d3 datum is the trace's calcdata).
  function traceNode(gd, i) {
    var nodes = gd.querySelectorAll("g.trace.scatter");
    for (var n = 0; n < nodes.length; n++) {
      var cd = nodes[n].__data__;
      if (cd && cd[0] && cd[0].trace && cd[0].trace.index === i) return nodes[n];
    }
    return null;
  }

  // Move one trace's drawing without Plotly's pipeline; false if the internals are not there.
  function draw(gd, target) {
    var full = gd._fullData && gd._fullData[target.i];
    var xa = full && axis(gd, full.xaxis || "x"), ya = full && axis(gd, full.yaxis || "y");
    var node = full && traceNode(gd, target.i);
    if (!xa || !ya || !xa.c2p || !ya.c2p || !node) return false;
    if (target.y) {
      var point = node.querySelector("path.point");
      if (!point) return false;
      var px = xa.c2p(target.x[0]), py = ya.c2p(target.y[0]);
      if (!isFinite(px) || !isFinite(py)) return false;
      point.setAttribute("transform", "translate(" + px + "," + py + ")"); // clipped outside the axes
    } else {
      var line = node.querySelector("path.js-line");
      var cx = xa.c2p(target.x[0]);
      if (!line || !isFinite(cx)) return false;
      line.setAttribute("d", "M" + cx + "," + ya.c2p(0) + "L" + cx + "," + ya.c2p(1));
    }
    return true;
  }

  // Plotly's own update: a full replot of that graph, so only when the player stops (or as a
  // fallback). Not Plotly.animate: with a subset of traces it erases the graph's other traces.
  function restyle(gd, targets) {
    if (!targets.length || !window.Plotly) return;
    var update = { x: targets.map(function (t) { return t.x; }) };
    if (targets.every(function (t) { return t.y; })) update.y = targets.map(function (t) { return t.y; });
    try {
      var p = window.Plotly.restyle(gd, update, targets.map(function (t) { return t.i; }));
      if (p && p.catch) p.catch(function () {});
    } catch (e) {
      /* a graph unmounted meanwhile: nothing to bring in line */
    }
  }

  // Per frame: gd.data and the SVG, nothing else (see the header). Returns how many moved.
  function moveFast(gd, targets) {
    var slow = [], moved = 0;
    targets.forEach(function (t) {
      var trace = gd.data[t.i];
      if (same(trace.x, t.x) && (!t.y || same(trace.y, t.y))) return;
      moved += 1;
      trace.x = t.x;
      if (t.y) trace.y = t.y;
      var full = gd._fullData && gd._fullData[t.i];
      if (full) {
        full.x = t.x; // so that whoever reads gd._fullData (the browser tests) sees the frame too
        if (t.y) full.y = t.y;
      }
      if (full && full.visible !== true) return; // hidden from the legend: drawn right when shown again
      if (!draw(gd, t)) slow.push(t);
    });
    if (slow.length) {
      stats.fallbacks += 1;
      restyle(gd, slow);
    }
    return moved;
  }

  function eachGraph(fn) {
    var sg = plotOf("surface-graph"), pg = plotOf("panels-graph");
    if (sg) fn(sg, markerTargets(sg, state.frame));
    if (pg) fn(pg, cursorTargets(pg, state.frame));
  }

  // When the player stops: one real Plotly update per graph, so hover and zoom redraws agree.
  // Its replot fires plotly_afterplot; reapply then finds gd.data already right and stops.
  function settle() {
    if (state.settleTimer) clearTimeout(state.settleTimer);
    state.settleTimer = 0;
    if (!state.data) return;
    state.busy = true;
    try {
      eachGraph(function (gd, targets) {
        hook(gd);
        restyle(gd, targets);
      });
    } finally {
      state.busy = false;
    }
    syncScrubber();
  }

  function settleSoon() {
    if (state.settleTimer) clearTimeout(state.settleTimer);
    state.settleTimer = setTimeout(settle, 150); // after a burst of steps or a drag, not per event
  }

  // The scrubber is a dcc.Input: per frame its DOM value is written directly; its Dash props
  // (max, value) are synced only when the player stops, so that a React render keeps them.
  function syncScrubber() {
    var dc = window.dash_clientside;
    if (dc && dc.set_props) dc.set_props("anim-scrubber", { max: last(), value: String(state.frame) });
  }

  function showControls(k) {
    var scrubber = document.getElementById("anim-scrubber");
    if (scrubber) {
      if (scrubber.max !== String(last())) scrubber.max = String(last());
      scrubber.value = String(k);
    }
    var readout = document.getElementById("anim-step");
    if (readout) {
      readout.textContent = state.data ? readoutText(state.data, k) : "";
    }
  }

  // The words come with the data (lab/animation.py player_labels), in the page's language.
  function readoutText(data, k) {
    var words = data.labels || {};
    var template = words.readout || (data.unit || "step") + " {k} of {total}";
    return template.replace("{k}", fmt(data.steps[k])).replace("{total}", fmt(data.total));
  }

  // Show frame k, its trails starting at frame `from` (by default the frame before k).
  function show(k, from) {
    if (!state.data) return 0;
    var t = performance.now(), moved = 0;
    state.frame = Math.max(0, Math.min(last(), k));
    from = from === undefined ? state.frame - 1 : from;
    state.from = Math.max(0, state.frame - TRAIL_FRAMES, Math.min(state.frame, from));
    state.busy = true;
    try {
      eachGraph(function (gd, targets) {
        hook(gd);
        moved += moveFast(gd, targets);
      });
      var sg = plotOf("surface-graph");
      if (sg) drawTrails(sg, state.frame, state.from); // not counted as moved: a redraw must not settle again
    } finally {
      state.busy = false;
    }
    showControls(state.frame);
    var ms = performance.now() - t;
    stats.shown += 1;
    stats.ms += ms;
    stats.worstMs = Math.max(stats.worstMs, ms);
    return moved;
  }

  // A graph redrawn from a new figure prop (a Patch, say) shows the final positions again:
  // while the player stands anywhere but the end, put its frame back. A redraw that kept
  // gd.data (a zoom) moves nothing, so settling cannot loop.
  function reapply() {
    if (state.busy || !state.data) return;
    if (state.frame === last()) {
      var sg = plotOf("surface-graph");
      if (sg) clearTrails(sg); // the still figure: nothing of the player's own
      return;
    }
    if (show(state.frame, state.from) && !state.playing) settleSoon();
  }

  function hook(gd) {
    if (hooked.has(gd) || !gd.on) return;
    hooked.add(gd);
    gd.on("plotly_afterplot", reapply);
  }

  function word(name, english) {
    var words = (state.data && state.data.labels) || {};
    return words[name] || english;
  }

  function label() {
    var dc = window.dash_clientside;
    if (!dc || !dc.set_props) return;
    state.playWord = word("play", "▶ Play");
    dc.set_props("anim-play", {
      children: state.playing ? word("pause", "❚❚ Pause") : word("play", "▶ Play"),
      "aria-pressed": state.playing ? "true" : "false",
    });
  }

  function tick(now) {
    state.raf = 0;
    if (!state.playing || !state.data) return;
    var n = last();
    var rate = (n / SECONDS_AT_1X) * state.speed; // frames per second
    var k = Math.min(n, Math.floor(state.f0 + ((now - state.t0) / 1000) * rate));
    if (k !== state.frame) show(k, state.frame); // the trails cover every step since the last frame shown
    if (k >= n) {
      pause(); // at the end: the markers stand where the runs ended, as in the still figure
      return;
    }
    state.raf = requestAnimationFrame(tick);
  }

  function play() {
    if (!state.data || last() === 0) return;
    if (state.frame >= last()) show(0);
    state.playing = true;
    state.t0 = performance.now();
    state.f0 = state.frame;
    label();
    if (!state.raf) state.raf = requestAnimationFrame(tick);
  }

  function pause() {
    var was = state.playing;
    state.playing = false;
    if (state.raf) cancelAnimationFrame(state.raf);
    state.raf = 0;
    if (was) {
      label();
      settle();
    }
  }

  function step(by) {
    pause();
    show(state.frame + by);
    settleSoon();
  }

  function load(data) {
    pause();
    if (state.settleTimer) clearTimeout(state.settleTimer);
    state.settleTimer = 0;
    var ok = data && Array.isArray(data.steps) && data.steps.length > 0 && Array.isArray(data.runs);
    state.data = ok ? data : null;
    // Stand at the end: the new figures already show the final positions and the cursor there,
    // so nothing is moved (and nothing races the figures still being drawn).
    state.frame = last();
    state.from = state.frame;
    var sg = plotOf("surface-graph");
    if (sg) clearTrails(sg); // the new figures show the runs' ends and no trail
    showControls(state.frame);
    syncScrubber();
    if (state.data && state.data.labels && state.data.labels.play !== state.playWord) label(); // a new language
    // For assets/classroom.js (predict, then reveal; the exercise link): a scene has arrived.
    document.dispatchEvent(new CustomEvent("lab:scene", { detail: { scene: state.data ? state.data.scene : null } }));
  }

  function setSpeed(value) {
    var v = Number(value);
    if (!(v > 0)) return;
    if (state.playing) {
      state.f0 = state.frame;
      state.t0 = performance.now();
    }
    state.speed = v;
  }

  document.addEventListener("input", function (event) {
    if (!event.target || event.target.id !== "anim-scrubber" || !state.data) return;
    state.frame = Math.max(0, Math.min(last(), parseInt(event.target.value, 10) || 0));
    pause(); // dcc.Input itself keeps its value prop in step with the drag
    show(state.frame);
    settleSoon();
  });

  function triggered() {
    var ctx = window.dash_clientside && window.dash_clientside.callback_context;
    var t = ctx && ctx.triggered && ctx.triggered[0];
    return t && t.prop_id ? t.prop_id.split(".")[0] : null;
  }

  function noUpdate() {
    return window.dash_clientside && window.dash_clientside.no_update;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.errorSurfaceLab = {
    load: function (data) {
      load(data);
      return noUpdate();
    },
    press: function () {
      var id = triggered();
      if (id === "anim-play") {
        if (state.playing) pause();
        else play();
      } else if (id === "anim-back") step(-1);
      else if (id === "anim-forward") step(1);
      return noUpdate();
    },
    speed: function (value) {
      setSpeed(value);
      return noUpdate();
    },
  };

  // For browser tests and the console: the player's state and per-frame cost.
  // assets/classroom.js's keys call step and toggle directly: rapid presses of the buttons reach the
  // clientside callback fewer times than they are pressed.
  window.errorSurfacePlayer = {
    state: state, stats: stats, show: show, play: play, pause: pause, load: load, step: step,
    toggle: function () {
      if (state.playing) pause();
      else play();
    },
  };
})();

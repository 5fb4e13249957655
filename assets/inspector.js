/* Error Surface Lab: the step inspector's arrows on the main plot (see ui/inspector_panel.py).
 *
 * The store inspector-arrows holds the arrows at theta^t in parameter units. They are drawn as
 * layout annotations with axref/ayref "x"/"y" (pixel-sized heads on any axis scale), each over a
 * wider halo of its own, all named "inspector-*": the figure's own annotations (the thinning
 * notes) are kept as they are. Only the browser knows the pixels, so here it is decided which
 * arrows are too short to see or leave the view (not drawn, said in #inspector-arrow-notes), and
 * whether all of them are drawn longer at one stated scale because even the longest is tiny.
 * A new figure (another scene) drops the arrows with its annotations; they are put back only on
 * the figure of the scene they belong to (the markers' meta.scene).
 */
(function () {
  "use strict";

  var PREFIX = "inspector-";
  var MIN_PX = 4; // shorter than this an arrow is a dot with a head: said, not drawn
  var SCALE_BELOW_PX = 24; // when even the longest arrow is shorter, all are drawn at one larger scale
  var TARGET_PX = 60;
  var state = { data: null, hooked: new WeakSet(), notes: null, pending: 0, sent: "" };

  function graph() {
    var gd = document.querySelector("#surface-graph .js-plotly-plot");
    return gd && gd._fullLayout && gd.data ? gd : null;
  }

  function sceneOf(gd) {
    for (var i = 0; i < gd.data.length; i++) {
      var m = gd.data[i].meta;
      if (m && m.role === "marker" && m.scene) return m.scene;
    }
    return null;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  function nice(x) {
    // the largest of 1, 2, 5 x 10^k not above x
    var p = Math.pow(10, Math.floor(Math.log10(x))), best = p;
    [2, 5, 10].forEach(function (f) { if (f * p <= x) best = f * p; });
    return best;
  }

  function px(n) {
    return n < 10 ? n.toFixed(1) : String(Math.round(n));
  }

  function inside(range, v) {
    var lo = Math.min(range[0], range[1]), hi = Math.max(range[0], range[1]);
    return v >= lo && v <= hi;
  }

  // The annotations and notes for the current view: {annotations, notes}.
  function plan(gd, data) {
    var xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    var sx = xa._length / Math.abs(xa.range[1] - xa.range[0]);
    var sy = ya._length / Math.abs(ya.range[1] - ya.range[0]);
    var lengths = data.arrows.map(function (a) { return Math.hypot(a.dx * sx, a.dy * sy); });
    var longest = Math.max.apply(null, lengths.concat([0]));
    var scale = longest > 0 && longest < SCALE_BELOW_PX ? nice(TARGET_PX / longest) : 1;
    var notes = [], annotations = [], placed = [];
    data.arrows.forEach(function (a, i) {
      var tip = [a.x + a.dx * scale, a.y + a.dy * scale];
      var label = a.label + (scale > 1 ? " ×" + scale : "");
      if (lengths[i] * scale < MIN_PX) {
        notes.push(fill(data.text.short, { label: a.label, px: px(lengths[i]) }));
        return;
      }
      if (!inside(xa.range, a.x) || !inside(ya.range, a.y) || !inside(xa.range, tip[0]) || !inside(ya.range, tip[1])) {
        notes.push(fill(data.text.leaves, { label: label }));
        return;
      }
      var arrow = {
        x: tip[0], y: tip[1], ax: a.x, ay: a.y, xref: "x", yref: "y", axref: "x", ayref: "y",
        text: "", showarrow: true, arrowhead: 2, arrowsize: 1, standoff: 0, startstandoff: 0,
      };
      annotations.push(Object.assign({}, arrow, { name: PREFIX + a.kind + "-halo", arrowcolor: a.halo, arrowwidth: 5 }));
      annotations.push(Object.assign({}, arrow, { name: PREFIX + a.kind, arrowcolor: a.color, arrowwidth: 2.5 }));
      var right = a.dx * sx >= 0, up = a.dy * sy >= 0;
      // a label near an earlier one moves on by a line, so that none hides another
      var at = [xa.d2p(tip[0]), ya.d2p(tip[1])], lift = 0;
      placed.forEach(function (q) {
        if (Math.abs(q[0] - at[0]) < 90 && Math.abs(q[1] - at[1]) < 16) lift += 16;
      });
      placed.push([at[0], at[1] - (up ? lift : -lift)]);
      annotations.push({
        name: PREFIX + a.kind + "-label", x: tip[0], y: tip[1], xref: "x", yref: "y", text: label, showarrow: false,
        xanchor: right ? "left" : "right", yanchor: up ? "bottom" : "top", xshift: right ? 4 : -4, yshift: up ? 2 + lift : -2 - lift,
        font: { size: 12, color: "#111" }, bgcolor: "rgba(255,255,255,0.8)", borderpad: 1,
      });
    });
    if (scale > 1) {
      var stepIndex = data.arrows.findIndex(function (a) { return a.kind === "step"; });
      notes.unshift(fill(data.text.scaled, { scale: scale, px: px(stepIndex >= 0 ? lengths[stepIndex] : longest) }));
    }
    return { annotations: annotations, notes: notes.join(" · ") };
  }

  function setNotes(text) {
    if (text === state.notes) return;
    state.notes = text;
    var dc = window.dash_clientside;
    if (dc && dc.set_props) dc.set_props("inspector-arrow-notes", { children: text });
  }

  function ours(a) {
    return a && typeof a.name === "string" && a.name.indexOf(PREFIX) === 0;
  }

  function render() {
    state.pending = 0;
    var gd = graph();
    if (!gd || !window.Plotly) return;
    hook(gd);
    var data = state.data;
    var flat = gd._fullLayout.xaxis && gd._fullLayout.yaxis && !gd._fullLayout.scene;
    var wanted = { annotations: [], notes: "" };
    if (data && data.arrows && sceneOf(gd) === data.scene) {
      if (flat) wanted = plan(gd, data);
      else wanted.notes = data.text.flat_view;
    } else if (data && data.arrows && !flat) {
      wanted.notes = data.text.flat_view;
    }
    setNotes(wanted.notes);
    var current = gd.layout.annotations || [];
    var mine = current.filter(ours);
    var text = JSON.stringify(wanted.annotations);
    // Nothing to redraw, or just sent and Plotly keeps them in its own form: either way no loop.
    if (JSON.stringify(mine) === text || (text === state.sent && mine.length === wanted.annotations.length)) return;
    state.sent = text;
    var others = current.filter(function (a) { return !ours(a); });
    try {
      var p = window.Plotly.relayout(gd, { annotations: others.concat(wanted.annotations) });
      if (p && p.catch) p.catch(function () {});
    } catch (e) {
      /* the graph was unmounted meanwhile: the next draw puts the arrows back */
    }
  }

  function soon() {
    if (!state.pending) state.pending = setTimeout(render, 0);
  }

  // A redraw (a Patch, a zoom, a new scene) may drop or misplace the arrows: plan them again.
  function hook(gd) {
    if (state.hooked.has(gd) || !gd.on) return;
    state.hooked.add(gd);
    gd.on("plotly_afterplot", soon);
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.errorSurfaceInspector = {
    // Open or closed (the title button); while open, the scene's link, the scrubber's frame and
    // plot clicks go on to the server's inspector, while closed nothing does. Closing sends "", which
    // takes the arrows off the plot. Returns [hidden, aria-expanded, query, frame, click].
    gate: function (clicks, query, frame, click) {
      var nu = window.dash_clientside.no_update;
      var open = (clicks || 0) % 2 === 1;
      var context = window.dash_clientside.callback_context || {};
      var fired = (context.triggered || []).map(function (t) { return t.prop_id || ""; });
      var by = function (id) { return fired.some(function (p) { return p.indexOf(id + ".") === 0; }); };
      if (by("inspector-toggle")) {
        return [!open, open ? "true" : "false", open ? (typeof query === "string" ? query : null) : "",
                open ? frame : nu, nu];
      }
      if (!open) return [nu, nu, nu, nu, nu];
      return [nu, nu, by("scene-query") ? query : nu, by("anim-scrubber") ? frame : nu,
              by("surface-graph") ? click : nu];
    },
    draw: function (data) {
      state.data = data && Array.isArray(data.arrows) ? data : null;
      soon();
      return window.dash_clientside.no_update;
    },
  };
  window.errorSurfaceInspector = { state: state, render: render };
})();
